"""Rebuild by chunks of whole components equals the pure function over all events, and keeps
every person's id: a world ingested incrementally, rebuilt in many small chunks and small
UNWIND batches, stores exactly what ``resolve`` gives, under the same person ids."""

from __future__ import annotations

import neo4j

from graph_identity.domain.event_json import raw_event
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


async def test_timelines_read_what_a_rebuild_from_nothing_wrote(
    store: Neo4jIdentityStore, driver: neo4j.AsyncDriver
) -> None:
    """A rebuild of a graph with no persons writes every timeline entry, and each person's
    timeline (read through the (person, at) index) lists exactly its entries, at once: not
    only after the next start-up's migration fills the index in."""
    world = generate_world(WorldConfig(seed=5, households=6, households_per_neighbourhood=6))
    await store.ingest([raw_event(e) for e in world.events], verified_ids=set())
    async with driver.session(database=store.database) as session:
        result = await session.run(query("bench/drop_persons"))
        await result.consume()
    await rebuild(store)
    rows, _, _ = await driver.execute_query(query("testing/attribution"), database_=store.database)
    want: dict[str, set[str]] = {}
    for row in rows:
        for person in row["persons"]:
            want.setdefault(person, set()).add(row["event"])
    assert want
    for person, events in want.items():
        page = await store.person_events(person, 200, None)
        assert not page.has_next
        assert {item.id for _, item in page.items} == events, person
