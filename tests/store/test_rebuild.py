"""Rebuild by chunks of whole components equals the pure function over all events, and keeps
every person's id: a world ingested incrementally, rebuilt in many small chunks and small
UNWIND batches, stores exactly what ``resolve`` gives, under the same person ids."""

from __future__ import annotations

import neo4j

from graph_identity.app.loader import raw_event
from graph_identity.domain.events import prepare
from graph_identity.simulator.world import WorldConfig, generate_world
from graph_identity.store.cypher import query
from graph_identity.store.maintenance import check, rebuild
from graph_identity.store.neo4j_store import Neo4jIdentityStore
from tests.store.test_incremental import expected, stored


async def listed_by_person(
    driver: neo4j.AsyncDriver, database: str
) -> dict[str, frozenset[tuple[str, bool]]]:
    """person id -> (identifier key, shared) it lists."""
    rows, _, _ = await driver.execute_query(query("testing/memberships"), database_=database)
    listed: dict[str, set[tuple[str, bool]]] = {}
    for row in rows:
        listed.setdefault(row["person"], set()).add((row["key"], bool(row["shared"])))
    return {person: frozenset(keys) for person, keys in listed.items()}


async def test_rebuild_in_small_chunks_equals_resolve_and_keeps_ids(
    store: Neo4jIdentityStore, driver: neo4j.AsyncDriver
) -> None:
    world = generate_world(WorldConfig(seed=7, households=20, households_per_neighbourhood=20))
    raws = [raw_event(e) for e in world.events]
    events = [p.event for r in raws if (p := prepare(r, store.config)).event is not None]
    for start in range(0, len(raws), 200):
        await store.ingest(raws[start : start + 200], verified_ids=set())
    before = await listed_by_person(driver, store.database)

    persons = await rebuild(store, chunk=150, batch=40)

    assert await stored(driver, store.database) == expected(events, store.config)
    assert await listed_by_person(driver, store.database) == before
    assert persons == len(before)
    assert await check(store) == []
