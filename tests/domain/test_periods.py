"""Attribution by periods (domain/periods.py) equals the per-event attribution of resolve():
for random small worlds, with random admin constraints, under both resolution configs, every
event's timeline entries follow from the partition's periods alone (owners, segment holders,
shared identifiers' turns, admin-split pairs)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from graph_identity.domain.events import Event
from graph_identity.domain.periods import attribute, periods_of
from graph_identity.domain.resolution import Constraints, resolve
from tests.domain.test_order_independence import (
    CONFIGS,
    PROPERTY,
    constraints,
    events_of_a_world,
)
from tests.domain.test_simulated_worlds import CONFIG, SEEDS, resolved


@PROPERTY
@given(
    events=events_of_a_world(), admin=constraints(), config_name=st.sampled_from(sorted(CONFIGS))
)
def test_periods_give_every_event_its_timeline_entries(
    events: list[Event], admin: Constraints, config_name: str
) -> None:
    config = CONFIGS[config_name]
    partition = resolve(events, config, admin)
    periods = periods_of(partition, config.handover_gap)
    assert {e.id: attribute(e, periods) for e in events} == partition.attribution


def test_periods_give_a_simulated_world_its_timelines() -> None:
    """Tablets, kiosks, recycled phones, family emails and fraud devices included."""
    for seed in SEEDS:
        case = resolved(seed)
        periods = periods_of(case.partition, CONFIG.handover_gap)
        got = {e.id: attribute(e, periods) for e in case.events}
        assert got == case.partition.attribution, seed
