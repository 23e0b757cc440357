"""Incremental resolution equals the pure function over all events, and so does rebuild.

Ingest recomputes only the region new evidence can influence (store/region.py). This guards
the claim that makes that safe: for simulated worlds delivered in random orders and batch
sizes (late, shuffled, duplicated), the stored persons, shared identifiers and timelines are
exactly what ``domain.resolution.resolve`` gives for the whole event set, and ``rebuild``
gives the same again.
"""

from __future__ import annotations

import random
from collections import defaultdict

import neo4j
import pytest

from graph_identity.app.loader import raw_event
from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.events import Event, prepare
from graph_identity.domain.resolution import resolve
from graph_identity.simulator.world import WorldConfig, generate_world
from graph_identity.store.cypher import query
from graph_identity.store.maintenance import check, rebuild
from graph_identity.store.neo4j_store import Neo4jIdentityStore

#: owned identifier keys per person; shared identifier keys; event -> owned keys of its persons
View = tuple[frozenset[frozenset[str]], frozenset[str], dict[str, frozenset[frozenset[str]]]]


def expected(events: list[Event], config: ResolutionConfig) -> View:
    partition = resolve(events, config)
    owned: dict[str, set[str]] = defaultdict(set)
    for key, group in partition.owner.items():
        owned[group].add(key)
    timeline = {
        e.id: frozenset(frozenset(owned[g]) for g in partition.attribution[e.id] if g in owned)
        for e in events
    }
    return frozenset(frozenset(v) for v in owned.values()), frozenset(partition.shared), timeline


async def stored(driver: neo4j.AsyncDriver, database: str) -> View:
    rows, _, _ = await driver.execute_query(query("testing/memberships"), database_=database)
    owned: dict[str, set[str]] = defaultdict(set)
    shared = set()
    for row in rows:
        if row["shared"]:
            shared.add(row["key"])
        else:
            owned[row["person"]].add(row["key"])
    rows, _, _ = await driver.execute_query(query("testing/attribution"), database_=database)
    timeline = {
        row["event"]: frozenset(frozenset(owned[p]) for p in row["persons"] if p in owned)
        for row in rows
    }
    return frozenset(frozenset(v) for v in owned.values()), frozenset(shared), timeline


CASES = [
    # (description, world seed, households, households per neighbourhood, order seed, batch)
    ("one by one, shuffled", 11, 3, 3, 1, 1),
    ("small batches, shuffled, duplicated", 5, 6, 6, 3, 7),
    ("kiosk hub, batches of 40", 7, 20, 20, 4, 40),
    ("two neighbourhoods, batches of 100", 3, 20, 10, 5, 100),
]


@pytest.mark.parametrize(
    ("description", "seed", "households", "per_hood", "order", "batch"),
    CASES,
    ids=[c[0] for c in CASES],
)
async def test_incremental_equals_full_resolution(
    store: Neo4jIdentityStore,
    driver: neo4j.AsyncDriver,
    description: str,
    seed: int,
    households: int,
    per_hood: int,
    order: int,
    batch: int,
) -> None:
    config = store.config
    world = generate_world(
        WorldConfig(seed=seed, households=households, households_per_neighbourhood=per_hood)
    )
    raws = [raw_event(e) for e in world.events]
    events = [p.event for r in raws if (p := prepare(r, config)).event is not None]
    want = expected(events, config)
    rng = random.Random(order)
    delivery = raws + rng.sample(raws, len(raws) // 10)
    rng.shuffle(delivery)
    for start in range(0, len(delivery), batch):
        await store.ingest(delivery[start : start + batch], verified_ids=set())
    got = await stored(driver, store.database)
    assert got[0] == want[0], description
    assert got[1] == want[1], description
    assert got[2] == want[2], description
    assert await check(store) == []
    await rebuild(store)
    assert await stored(driver, store.database) == want
    assert await check(store) == []
