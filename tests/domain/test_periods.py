"""Attribution by periods (domain/periods.py) equals the per-event attribution of resolve():
for random small worlds, with random admin constraints, under both resolution configs, every
event's timeline entries follow from the partition's periods alone (owners, segment holders,
shared identifiers' turns, admin-split pairs)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from graph_identity.domain.claims import WEAK_CLAIM
from graph_identity.domain.events import Event, EventType
from graph_identity.domain.periods import attribute, periods_of
from graph_identity.domain.resolution import Constraints, resolve
from tests.domain.test_order_independence import (
    CONFIGS,
    PROPERTY,
    constraints,
    events_of_a_world,
)
from tests.domain.test_resolution import CONFIG as RESOLUTION_CONFIG
from tests.domain.test_resolution import DAY, ev
from tests.domain.test_resolution import resolved as resolved
from tests.domain.test_simulated_worlds import CONFIG, SEEDS
from tests.domain.test_simulated_worlds import resolved as resolved_world
from tests.domain.test_weak_claims import FORM, holder, mistype_world


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
        case = resolved_world(seed)
        periods = periods_of(case.partition, CONFIG.handover_gap)
        got = {e.id: attribute(e, periods) for e in case.events}
        assert got == case.partition.attribution, seed


def test_periods_keep_a_weak_claims_event_off_the_holders_timeline() -> None:
    """The mistyped newsletter and the bot's forms: the claim's event goes to the claimant,
    never through the held email to its holder, by periods as by resolve()."""
    worlds = [mistype_world(kind) for kind in (FORM, EventType.IDENTIFY)]
    worlds.append(
        [e for n in range(1, 4) for e in holder(n)]
        + [
            ev(
                f"bot-{n}",
                10 * DAY + n,
                EventType.FORM_SUBMIT,
                "COOKIE:bot",
                f"EMAIL:c{n}@example.com",
            )
            for n in range(1, 4)
        ]
    )
    for events in worlds:
        partition = resolved(events)
        assert WEAK_CLAIM in partition.trace.rejected.values()
        periods = periods_of(partition, RESOLUTION_CONFIG.handover_gap)
        assert {e.id: attribute(e, periods) for e in events} == partition.attribution
