"""Ingest through the real store: counts, idempotent replay, rejections, placeholders, the
logout cut, order independence and concurrent batches."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from datetime import timedelta

import neo4j
from store_helpers import T0, ev, ident

from graph_identity.domain.events import RawEvent, prepare
from graph_identity.domain.identifiers import IdentifierType
from graph_identity.store.maintenance import check, rebuild
from graph_identity.store.neo4j_store import Neo4jIdentityStore

PartitionReader = Callable[[Iterable[RawEvent]], Awaitable[frozenset[frozenset[str]]]]
Wipe = Callable[[], Awaitable[None]]


async def timeline_ids(store: Neo4jIdentityStore, person_id: str) -> list[str]:
    page = await store.person_events(person_id, 200, None)
    assert not page.has_next
    return [e.id for _, e in page.items]


async def owner_id(store: Neo4jIdentityStore, kind: str, value: str) -> str | None:
    res = await store.resolve(ident(kind, value), None)
    return res.person.id if res.person is not None else None


def merging_story() -> list[RawEvent]:
    """Two accounts, cookies that meet through an email, a phone that bridges two visitors."""
    return [
        ev("m1", 0, "PAGE_VIEW", ("COOKIE", "c1")),
        ev("m2", 5, "LOGIN", ("ACCOUNT", "alice"), ("COOKIE", "c1"), ("DEVICE", "d1")),
        ev("m3", 20, "IDENTIFY", ("ACCOUNT", "alice"), ("EMAIL", "Alice@Example.com")),
        ev("m4", 60, "IDENTIFY", ("COOKIE", "c2"), ("EMAIL", "alice@example.com")),
        ev("m5", 61, "PAGE_VIEW", ("COOKIE", "c2")),
        ev("m6", 90, "LOGIN", ("ACCOUNT", "bob"), ("COOKIE", "c3"), ("DEVICE", "d3")),
        ev("m7", 95, "FORM_SUBMIT", ("COOKIE", "c3"), ("PHONE", "(415) 223-0123")),
        ev("m8", 120, "IDENTIFY", ("COOKIE", "c4"), ("PHONE", "+14152230123")),
        ev("m9", 130, "CALL", ("PHONE", "+1 415 223 0123")),
        ev("m10", 200, "PAGE_VIEW", ("COOKIE", "c5"), ("DEVICE", "d5")),
    ]


async def test_accepted_and_duplicate_counts(store: Neo4jIdentityStore) -> None:
    events = merging_story()
    first = await store.ingest(events[:6], verified_ids=set())
    assert (first.accepted, first.duplicates, first.rejected) == (6, 0, [])
    second = await store.ingest(events, verified_ids=set())
    assert (second.accepted, second.duplicates, second.rejected) == (4, 6, [])
    # the same id twice inside one batch is stored once
    third = await store.ingest(
        [ev("z1", 300, "PAGE_VIEW", ("COOKIE", "cz"))] * 2, verified_ids=set()
    )
    assert third.accepted + third.duplicates == 2
    assert third.accepted == 1
    assert await check(store) == []


async def test_replaying_a_batch_changes_nothing(
    store: Neo4jIdentityStore, partition: PartitionReader, ipad_events: list[RawEvent]
) -> None:
    events = ipad_events + merging_story()
    outcome = await store.ingest(events, verified_ids=set())
    assert outcome.accepted == len(events)
    before = await partition(events)
    people = {
        k: await owner_id(store, *k)
        for k in [
            ("ACCOUNT", "wife"),
            ("ACCOUNT", "husband"),
            ("ACCOUNT", "alice"),
            ("ACCOUNT", "bob"),
        ]
    }
    timelines = {k: await timeline_ids(store, pid) for k, pid in people.items() if pid}
    replay = await store.ingest(events, verified_ids=set())
    assert (replay.accepted, replay.duplicates, replay.rejected) == (0, len(events), [])
    assert await partition(events) == before
    assert {k: await owner_id(store, *k) for k in people} == people
    assert {k: await timeline_ids(store, pid) for k, pid in people.items() if pid} == timelines
    assert await check(store) == []


async def test_invalid_identifier_is_rejected_and_the_event_kept(store: Neo4jIdentityStore) -> None:
    bad = ev("bad", 0, "PAGE_VIEW", ("EMAIL", "not-an-email"), ("COOKIE", "anon"))
    outcome = await store.ingest([bad], verified_ids=set())
    assert outcome.accepted == 1
    assert len(outcome.rejected) == 1
    event_id, reason = outcome.rejected[0]
    assert event_id == "bad"
    assert "identifiers[0]" in reason
    anon = await store.resolve(ident("COOKIE", "anon"), None)
    assert anon.person is not None
    assert [(i.type, i.value) for i in anon.person.identifiers] == [(IdentifierType.COOKIE, "anon")]
    page = await store.person_events(anon.person.id, 10, None)
    [(_, stored)] = page.items
    assert stored.id == "bad"
    assert stored.identifiers == [ident("COOKIE", "anon")]
    assert (await store.resolve(ident("EMAIL", "not-an-email"), None)).person is None


async def test_event_with_nothing_usable_is_rejected(store: Neo4jIdentityStore) -> None:
    outcome = await store.ingest(
        [ev("void", 0, "PAGE_VIEW", ("EMAIL", "nope")), ev("ok", 1, "PAGE_VIEW", ("COOKIE", "k"))],
        verified_ids=set(),
    )
    assert outcome.accepted == 1
    assert [eid for eid, _ in outcome.rejected].count("void") >= 1
    assert "ok" not in [eid for eid, _ in outcome.rejected]


async def test_blocked_placeholder_never_links(
    store: Neo4jIdentityStore, driver: neo4j.AsyncDriver
) -> None:
    events = [
        ev("p1", 0, "IDENTIFY", ("ACCOUNT", "acc-1"), ("EMAIL", "test@test.com")),
        ev("p2", 10, "IDENTIFY", ("ACCOUNT", "acc-2"), ("EMAIL", "Test@Test.com")),
        ev("p3", 20, "FORM_SUBMIT", ("COOKIE", "pc"), ("EMAIL", " test@test.com ")),
    ]
    outcome = await store.ingest(events, verified_ids=set())
    assert (outcome.accepted, outcome.rejected) == (3, [])
    one = await owner_id(store, "ACCOUNT", "acc-1")
    two = await owner_id(store, "ACCOUNT", "acc-2")
    cookie = await owner_id(store, "COOKIE", "pc")
    assert None not in (one, two, cookie)
    assert len({one, two, cookie}) == 3
    placeholder = await store.resolve(ident("EMAIL", "test@test.com"), None)
    assert placeholder.person is None
    assert placeholder.candidates == []
    records, _, _ = await driver.execute_query(
        "MATCH (i:Identifier) WHERE toLower(i.key) CONTAINS 'test@test.com' RETURN count(i) AS n"
    )
    assert records[0]["n"] == 0
    assert await check(store) == []


async def test_logout_cuts_later_activity(store: Neo4jIdentityStore) -> None:
    events = [
        ev("l1", 0, "LOGIN", ("ACCOUNT", "solo"), ("COOKIE", "lc"), ("DEVICE", "ld")),
        ev("l2", 5, "PAGE_VIEW", ("COOKIE", "lc"), ("DEVICE", "ld")),
        ev("l3", 10, "LOGOUT", ("ACCOUNT", "solo"), ("COOKIE", "lc"), ("DEVICE", "ld")),
        ev("l4", 120, "PAGE_VIEW", ("COOKIE", "lc"), ("DEVICE", "ld")),
        ev("l5", 130, "IDENTIFY", ("DEVICE", "ld"), ("EMAIL", "guest@x.com")),
    ]
    await store.ingest(events, verified_ids=set())
    solo = await owner_id(store, "ACCOUNT", "solo")
    assert solo is not None
    timeline = await timeline_ids(store, solo)
    assert "l2" in timeline
    assert "l4" not in timeline
    assert await owner_id(store, "EMAIL", "guest@x.com") != solo
    during = await store.resolve(ident("DEVICE", "ld"), T0 + timedelta(minutes=5))
    assert during.person is not None and during.person.id == solo
    after = await store.resolve(ident("DEVICE", "ld"), T0 + timedelta(minutes=120))
    assert after.person is None or after.person.id != solo
    assert await check(store) == []


async def test_order_and_batching_do_not_change_the_partition(
    store: Neo4jIdentityStore, partition: PartitionReader, wipe: Wipe, ipad_events: list[RawEvent]
) -> None:
    events = sorted(ipad_events + merging_story(), key=lambda e: (e.at, e.id))
    results = {}
    for name in ("one-by-one", "reverse", "batch"):
        await wipe()
        if name == "batch":
            await store.ingest(events, verified_ids=set())
        else:
            for e in events if name == "one-by-one" else reversed(events):
                await store.ingest([e], verified_ids=set())
        assert await check(store) == [], name
        results[name] = await partition(events)
        await rebuild(store)
        assert await check(store) == [], name
        assert await partition(events) == results[name], f"rebuild after {name}"
    assert results["reverse"] == results["one-by-one"]
    assert results["batch"] == results["one-by-one"]
    groups = results["batch"]
    alice = next(g for g in groups if "ACCOUNT:alice" in g)
    assert {"COOKIE:c1", "DEVICE:d1", "EMAIL:alice@example.com", "COOKIE:c2"} <= alice
    bob = next(g for g in groups if "ACCOUNT:bob" in g)
    assert {"COOKIE:c3", "DEVICE:d3", "PHONE:+14152230123", "COOKIE:c4"} <= bob
    assert not any("ACCOUNT:wife" in g and "ACCOUNT:husband" in g for g in groups)


def overlapping_events() -> list[RawEvent]:
    """60 events over a small pool of identifiers, so that concurrent batches collide."""
    pool = [("COOKIE", f"cc{i}") for i in range(6)] + [("EMAIL", f"u{i}@x.com") for i in range(4)]
    events: list[RawEvent] = []
    for n in range(60):
        a, b = pool[n % len(pool)], pool[(n * 7 + 3) % len(pool)]
        if n % 10 == 0:
            account = ("ACCOUNT", f"acct{n // 10}")
            events.append(ev(f"c{n}", n, "LOGIN", account, ("COOKIE", f"cc{n % 6}")))
        elif n % 3 == 0:
            events.append(ev(f"c{n}", n, "IDENTIFY", a, b))
        else:
            events.append(ev(f"c{n}", n, "PAGE_VIEW", a))
    return events


async def concurrent_run(
    store: Neo4jIdentityStore,
    driver: neo4j.AsyncDriver,
    partition: PartitionReader,
    wipe: Wipe,
    *,
    compare: bool = True,
) -> None:
    events = overlapping_events()
    batches = [events[k * 6 : k * 6 + 18] for k in range(8)]  # overlapping id ranges
    batches[7] = batches[7] + events[:6]
    results = await asyncio.gather(
        *(store.ingest(b, verified_ids=set()) for b in batches), return_exceptions=True
    )
    # every ingest has finished before anything is raised: none is left running into the next test
    for result in results:
        if isinstance(result, BaseException):
            raise result
    outcomes = [r for r in results if not isinstance(r, BaseException)]
    distinct = {e.id for b in batches for e in b}
    assert sum(o.accepted for o in outcomes) == len(distinct)
    assert sum(o.duplicates for o in outcomes) == sum(len(b) for b in batches) - len(distinct)
    assert all(o.rejected == [] for o in outcomes)
    records, _, _ = await driver.execute_query(
        "MATCH (i:Identifier) WITH i.key AS key, count(*) AS n WHERE n > 1"
        " RETURN collect(key) AS dup"
    )
    assert records[0]["dup"] == []
    records, _, _ = await driver.execute_query(
        "MATCH (e:Event) WHERE e.id STARTS WITH 'c'"
        " RETURN count(e) AS n, count(DISTINCT e.id) AS d, collect(e.id) AS ids"
    )
    assert records[0]["n"] == records[0]["d"] == len(distinct)
    assert set(records[0]["ids"]) == distinct
    assert await check(store) == []
    if not compare:
        return
    concurrent = await partition(events)
    await wipe()
    await store.ingest(sorted(events, key=lambda e: e.at), verified_ids=set())
    assert await partition(events) == concurrent


async def test_concurrent_overlapping_ingests(
    store: Neo4jIdentityStore, driver: neo4j.AsyncDriver, partition: PartitionReader, wipe: Wipe
) -> None:
    # one earlier write, as on any live database: the resolver lock node exists
    await store.ingest([ev("warm", 0, "PAGE_VIEW", ("COOKIE", "warm"))], verified_ids=set())
    await concurrent_run(store, driver, partition, wipe, compare=False)


async def test_concurrent_ingests_give_the_sequential_partition(
    store: Neo4jIdentityStore, driver: neo4j.AsyncDriver, partition: PartitionReader, wipe: Wipe
) -> None:
    await store.ingest([ev("warm", 0, "PAGE_VIEW", ("COOKIE", "warm"))], verified_ids=set())
    await concurrent_run(store, driver, partition, wipe)


async def test_concurrent_overlapping_ingests_on_an_empty_database(
    store: Neo4jIdentityStore, driver: neo4j.AsyncDriver, partition: PartitionReader, wipe: Wipe
) -> None:
    await concurrent_run(store, driver, partition, wipe)


async def test_ingests_with_disjoint_regions_do_not_wait_for_each_other(
    store: Neo4jIdentityStore, driver: neo4j.AsyncDriver
) -> None:
    """A write transaction holding one region's locks (opened by hand and left uncommitted)
    does not stop an ingest elsewhere; an ingest into the held region waits for its commit."""
    await store.ingest(
        [
            ev("a0", 0, "LOGIN", ("ACCOUNT", "ann"), ("COOKIE", "ca")),
            ev("b0", 0, "LOGIN", ("ACCOUNT", "ben"), ("COOKIE", "cb")),
        ],
        verified_ids=set(),
    )
    held = [ev("a1", 5, "IDENTIFY", ("COOKIE", "ca"), ("EMAIL", "ann@x.com"))]
    prepared = [p.event for r in held if (p := prepare(r, store.config)).event is not None]
    async with driver.session(database=store.database) as session:
        tx = await session.begin_transaction()
        try:
            await store._ingest_tx(tx, prepared)  # type: ignore[arg-type]
            elsewhere = [ev("b1", 6, "IDENTIFY", ("COOKIE", "cb"), ("EMAIL", "ben@x.com"))]
            outcome = await asyncio.wait_for(store.ingest(elsewhere, verified_ids=set()), 30)
            assert outcome.accepted == 1
            inside = [ev("a2", 7, "PAGE_VIEW", ("EMAIL", "ann@x.com"))]
            waiting = asyncio.create_task(store.ingest(inside, verified_ids=set()))
            await asyncio.sleep(2)
            assert not waiting.done()
            await tx.commit()
        finally:
            if tx.closed() is False:
                await tx.rollback()
    assert (await asyncio.wait_for(waiting, 30)).accepted == 1
    assert await check(store) == []
    ann = await store.resolve(ident("EMAIL", "ann@x.com"), None)
    assert ann.person is not None
    assert {i.value for i in ann.person.identifiers} == {"ann", "ca", "ann@x.com"}
