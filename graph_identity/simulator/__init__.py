"""A deterministic customer-journey simulator with its ground truth, and scoring against it.

Pure Python: no database, no network, no wall clock. See :mod:`.world` for the people and
their journeys, :mod:`.truth` for what really happened, :mod:`.metrics` for scores and
:mod:`.delivery` for the ways events arrive. ``python -m graph_identity.simulator`` times a
large world and can write it out as JSON lines.
"""

from graph_identity.simulator.delivery import (
    batched,
    delayed,
    deliver,
    in_time_order,
    shuffled,
    with_duplicates,
)
from graph_identity.simulator.metrics import (
    AttributionScores,
    PairScores,
    SharedScores,
    account_purity,
    attribution_scores,
    impure_persons,
    majority_map,
    pairwise_scores,
    shared_scores,
)
from graph_identity.simulator.truth import Truth, TruthBuilder
from graph_identity.simulator.world import (
    BASE_TIME,
    EventDict,
    PersonProfile,
    World,
    WorldConfig,
    generate_world,
    iter_events,
)

__all__ = [
    "BASE_TIME",
    "AttributionScores",
    "EventDict",
    "PairScores",
    "PersonProfile",
    "SharedScores",
    "Truth",
    "TruthBuilder",
    "World",
    "WorldConfig",
    "account_purity",
    "attribution_scores",
    "batched",
    "delayed",
    "deliver",
    "generate_world",
    "impure_persons",
    "in_time_order",
    "iter_events",
    "majority_map",
    "pairwise_scores",
    "shared_scores",
    "shuffled",
    "with_duplicates",
]
