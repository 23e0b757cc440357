"""A small simulated world through the real store, scored against the simulator's truth.

Run with ``-s`` to see the measured figures.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from itertools import combinations

import pytest

from graph_identity.domain.event_json import raw_event
from graph_identity.domain.events import RawEvent
from graph_identity.domain.identifiers import Identifier
from graph_identity.simulator.truth import Truth
from graph_identity.simulator.world import World, WorldConfig, generate_world
from graph_identity.store.maintenance import check, rebuild
from graph_identity.store.neo4j_store import Neo4jIdentityStore

PartitionReader = Callable[[Iterable[RawEvent]], Awaitable[frozenset[frozenset[str]]]]
Wipe = Callable[[], Awaitable[None]]

BATCH = 100
MIN_PAIR_PRECISION = 0.9
MIN_PAIR_RECALL = 0.7
MIN_ATTRIBUTION_PRECISION = 0.9


@pytest.fixture(scope="module")
def world() -> World:
    return generate_world(WorldConfig(seed=11, households=8, days=28))


def raw_events(world: World) -> list[RawEvent]:
    return [raw_event(e) for e in world.events]


def shuffled_with_duplicates(events: list[RawEvent], seed: int = 3) -> list[RawEvent]:
    """Every event, some of them twice, in a random order (late arrivals included)."""
    rng = random.Random(seed)
    delivery = events + rng.sample(events, len(events) // 10)
    rng.shuffle(delivery)
    return delivery


async def deliver(store: Neo4jIdentityStore, events: list[RawEvent]) -> tuple[int, int]:
    accepted = duplicates = 0
    for start in range(0, len(events), BATCH):
        outcome = await store.ingest(events[start : start + BATCH], verified_ids=set())
        accepted += outcome.accepted
        duplicates += outcome.duplicates
    return accepted, duplicates


async def engine_view(
    store: Neo4jIdentityStore, truth: Truth
) -> tuple[dict[str, str | None], dict[str, set[str]], dict[str, list[str]]]:
    """(owned key -> engine person or None, engine person -> owned keys, person -> timeline)."""
    owner_of: dict[str, str | None] = {}
    persons: set[str] = set()
    for key in sorted(set(truth.person_of) | set(truth.shared)):
        res = await store.resolve(Identifier.from_key(key), None)
        if res.person is not None:
            persons.add(res.person.id)
        persons.update(c.person.id for c in res.candidates)
        if key in truth.person_of:
            owner_of[key] = res.person.id if res.person is not None and not res.shared else None
    owned: dict[str, set[str]] = {}
    timelines: dict[str, list[str]] = {}
    for pid in sorted(persons):
        person = await store.person(pid)
        assert person is not None
        owned[person.id] = {
            Identifier(i.type, i.value).key for i in person.identifiers if not i.shared
        }
        events: list[str] = []
        after: str | None = None
        while True:
            page = await store.person_events(person.id, 200, after)
            events += [e.id for _, e in page.items]
            if not page.has_next:
                break
            after = page.end_cursor
        timelines[person.id] = events
    return owner_of, owned, timelines


def pairwise(owner_of: dict[str, str | None], truth: Truth) -> tuple[float, float]:
    keys = sorted(owner_of)
    together = same = both = 0
    for a, b in combinations(keys, 2):
        engine_same = owner_of[a] is not None and owner_of[a] == owner_of[b]
        true_same = truth.person_of[a] == truth.person_of[b]
        together += engine_same
        same += true_same
        both += engine_same and true_same
    precision = both / together if together else 1.0
    recall = both / same if same else 1.0
    return precision, recall


async def test_simulated_world_against_truth(
    store: Neo4jIdentityStore, world: World, partition: PartitionReader, wipe: Wipe
) -> None:
    truth = world.truth
    events = raw_events(world)
    delivery = shuffled_with_duplicates(events)
    accepted, duplicates = await deliver(store, delivery)
    distinct = {e.id for e in events}
    assert accepted <= len(distinct)
    assert accepted + duplicates <= len(delivery)
    assert await check(store) == []

    owner_of, owned, timelines = await engine_view(store, truth)
    # no engine person holds the accounts of two different true people
    mixed = {
        pid: holders
        for pid, keys in owned.items()
        if len(holders := {truth.account_holder[k] for k in keys if k in truth.account_holder}) > 1
    }
    precision, recall = pairwise(owner_of, truth)

    # attribution: each engine person stands for the true person owning most of its identifiers
    stands_for: dict[str, str] = {}
    for pid, keys in owned.items():
        votes = Counter(truth.person_of[k] for k in keys if k in truth.person_of)
        if votes:
            stands_for[pid] = votes.most_common(1)[0][0]
    attributed = right = 0
    wrong: list[tuple[str, str, str | None]] = []
    listed: Counter[str] = Counter()
    for pid, ids in timelines.items():
        for eid in ids:
            if not truth.is_touchpoint(eid):
                continue
            listed[eid] += 1
            attributed += 1
            if stands_for.get(pid) == truth.actor_of.get(eid):
                right += 1
            else:
                wrong.append((eid, pid, truth.actor_of.get(eid)))
    attribution_precision = right / attributed if attributed else 1.0
    covered = {e for e in listed if truth.attributable(e)}
    coverage = len(covered) / len(truth.attributable_events) if truth.attributable_events else 1.0
    print(
        f"\nworld: {len(events)} events ({len(delivery)} delivered), {len(truth.persons)} people,"
        f" {len(owned)} engine persons; accepted={accepted} duplicates={duplicates}"
        f"\npairwise precision={precision:.3f} recall={recall:.3f}"
        f"\nattribution precision={attribution_precision:.3f} ({right}/{attributed}),"
        f" coverage of attributable={coverage:.3f}"
        f" ({len(covered)}/{len(truth.attributable_events)})"
        f"\npersons with two account holders: {mixed}"
        f"\nmisattributed (event, engine person, true actor): {wrong[:10]}"
    )
    assert mixed == {}
    assert precision >= MIN_PAIR_PRECISION
    assert recall >= MIN_PAIR_RECALL
    assert attribution_precision >= MIN_ATTRIBUTION_PRECISION
    assert all(len(ids) == len(set(ids)) for ids in timelines.values()), "an event listed twice"


async def test_simulated_world_partition_ignores_delivery_order(
    store: Neo4jIdentityStore, world: World, partition: PartitionReader, wipe: Wipe
) -> None:
    events = raw_events(world)
    await deliver(store, shuffled_with_duplicates(events))
    assert await check(store) == []
    shuffled = await partition(events)
    await rebuild(store)
    assert await check(store) == []
    assert await partition(events) == shuffled, "rebuild disagrees with shuffled ingest"
    await wipe()
    await deliver(store, sorted(events, key=lambda e: (e.at, e.id)))
    assert await check(store) == []
    in_order = await partition(events)
    await rebuild(store)
    assert await check(store) == []
    rebuilt = await partition(events)
    assert rebuilt == in_order, "rebuild disagrees with incremental ingest in time order"
    assert shuffled == in_order, "shuffled delivery gives another partition"
