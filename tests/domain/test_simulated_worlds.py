"""Resolution against simulated ground truth: default-size simulated worlds, prepared and
resolved purely in memory, scored with the simulator's metrics. Guards account purity,
pairwise precision and recall (absolute on the default world, and against what the events can
show at all on harder seeds), shared flags on kiosks, household tablets and fraud devices,
touchpoint attribution, placeholders kept out, and independence from delivery order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

import pytest

from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.events import Event, EventType, RawEvent, RawIdentifier, prepare
from graph_identity.domain.identifiers import IdentifierType
from graph_identity.domain.resolution import Partition, resolve
from graph_identity.simulator import (
    EventDict,
    Truth,
    World,
    WorldConfig,
    attribution_scores,
    deliver,
    generate_world,
    impure_persons,
    majority_map,
    pairwise_scores,
    shared_scores,
)
from graph_identity.simulator.delivery import Order

CONFIG = ResolutionConfig()
DEFAULT_SEED = WorldConfig().seed
#: the default world, and two seeds with the lowest recall ceilings seen (5) and a tablet
#: cookie whose second user never logged in (42)
SEEDS = (DEFAULT_SEED, 5, 42)
CARRIER_ROLES = ("kiosk", "household_tablet", "fraud_device")


def raw_event(data: EventDict) -> RawEvent:
    return RawEvent(
        id=data["id"],
        at=datetime.fromisoformat(data["at"]),
        type=EventType(data["type"]),
        identifiers=tuple(
            RawIdentifier(IdentifierType(i["type"]), i["value"]) for i in data["identifiers"]
        ),
        channel=data.get("channel"),
        attributes=data.get("attributes"),
    )


def prepared(events: list[EventDict]) -> list[Event]:
    kept = (prepare(raw_event(e), CONFIG).event for e in events)
    return [e for e in kept if e is not None]


@dataclass(frozen=True)
class Resolved:
    world: World
    events: list[Event]
    partition: Partition

    @property
    def truth(self) -> Truth:
        return self.world.truth


@cache
def resolved(seed: int) -> Resolved:
    world = generate_world(WorldConfig(seed=seed))
    events = prepared(world.events)
    return Resolved(world, events, resolve(events, CONFIG))


@pytest.fixture(params=SEEDS, ids=[f"seed {s}" for s in SEEDS])
def case(request: pytest.FixtureRequest) -> Resolved:
    seed: int = request.param
    return resolved(seed)


def recall_ceiling(case: Resolved) -> float:
    """The pairwise recall of an oracle that joins any two identifiers of one true person seen
    together in any event: more than that, no engine can find in these events."""
    owner = case.truth.person_of
    parent = {key: key for key in owner}

    def find(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for event in case.events:
        keys = [i.key for i in event.identifiers if i.key in owner]
        for key in keys[1:]:
            if owner[key] == owner[keys[0]]:
                parent[find(key)] = find(keys[0])
    return pairwise_scores({key: find(key) for key in owner}, case.truth).recall


def test_the_world_has_what_the_tests_need(case: Resolved) -> None:
    roles = set(case.truth.roles.values())
    assert set(CARRIER_ROLES) <= roles
    assert len(case.truth.account_holder) > 20
    assert len(case.truth.attributable_events) > 500


def test_no_person_holds_the_accounts_of_two_account_holders(case: Resolved) -> None:
    assert impure_persons(case.partition.owner, case.truth) == {}


def test_pairwise_precision(case: Resolved) -> None:
    scores = pairwise_scores(case.partition.owner, case.truth)
    assert scores.precision >= 0.95, scores


def test_pairwise_recall_on_the_default_world() -> None:
    scores = pairwise_scores(resolved(DEFAULT_SEED).partition.owner, resolved(DEFAULT_SEED).truth)
    assert scores.recall >= 0.8, scores


def test_pairwise_recall_reaches_what_the_events_can_show(case: Resolved) -> None:
    """Below 0.8 on some seeds, the recall is bounded by the world, not the engine: people
    whose laptop cookie only ever saw page views, or whose second email only ever received
    messages. The engine must find (nearly) every pair the events do show."""
    scores = pairwise_scores(case.partition.owner, case.truth)
    assert scores.recall >= 0.98 * recall_ceiling(case), scores


def _observably_shared(case: Resolved, key: str) -> bool:
    """Two or more accounts logged in on the carrier: sharing the events can show."""
    accounts = {
        account.key
        for e in case.events
        if e.type is EventType.LOGIN and any(i.key == key for i in e.identifiers)
        for account in e.accounts
    }
    return len(accounts) >= 2


def test_kiosks_tablets_and_fraud_devices_are_flagged_shared(case: Resolved) -> None:
    keys = sorted(
        key
        for key, role in case.truth.roles.items()
        if role in CARRIER_ROLES and key in case.truth.shared
    )
    observable = [k for k in keys if _observably_shared(case, k)]
    assert len(observable) >= 3
    missed = {k: case.truth.roles[k] for k in observable if k not in case.partition.shared}
    assert missed == {}
    # a tablet whose other user never logged in shows one user: it may be owned, by that one
    mapping = majority_map(case.partition.owner, case.truth)
    for key in set(keys) - set(observable):
        if key in case.partition.owner:
            assert mapping.get(case.partition.owner[key]) in case.truth.shared[key], key


def test_shared_flags_are_precise(case: Resolved) -> None:
    scores = shared_scores(case.partition.shared, case.truth)
    assert scores.precision >= 0.95, scores


def test_touchpoint_attribution(case: Resolved) -> None:
    mapping = majority_map(case.partition.owner, case.truth)
    scores = attribution_scores(case.partition.attribution, mapping, case.truth)
    assert scores.precision >= 0.95, scores
    assert scores.recall >= 0.95, scores


def test_placeholders_and_invalid_values_never_become_identifiers(case: Resolved) -> None:
    known = set(case.truth.person_of) | set(case.truth.shared)
    seen = set(case.partition.owner) | set(case.partition.shared)
    assert seen <= known, sorted(seen - known)[:10]


def _summary(partition: Partition) -> dict[str, Any]:
    return {
        "persons": partition.persons(),
        "owner": partition.owner,
        "shared": partition.shared,
        "attribution": partition.attribution,
    }


def _arrived(world: World, order: Order, duplicates: float) -> list[Event]:
    batches = deliver(
        world.events, seed=3, order=order, duplicate_fraction=duplicates, batch_size=250
    )
    return prepared([event for batch in batches for event in batch])


@pytest.mark.parametrize(
    ("description", "order", "duplicates"),
    [
        ("shuffled", "shuffled", 0.0),
        ("some events days late", "late", 0.0),
        ("shuffled, with redeliveries", "shuffled", 0.1),
    ],
)
def test_delivery_order_does_not_change_the_partition(
    description: str, order: Order, duplicates: float
) -> None:
    world = resolved(DEFAULT_SEED).world
    in_time = _arrived(world, "time", 0.0)
    arrived = _arrived(world, order, duplicates)
    assert arrived != in_time, description
    if duplicates:
        assert len(arrived) > len(in_time), description
    expected = _summary(resolve(in_time, CONFIG))
    assert _summary(resolve(arrived, CONFIG)) == expected, description
