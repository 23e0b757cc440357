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
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import neo4j
import pytest
from store_helpers import ev

from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.event_json import raw_event
from graph_identity.domain.events import Event, EventType, RawEvent, prepare
from graph_identity.domain.identifiers import IdentifierType
from graph_identity.domain.resolution import resolve
from graph_identity.simulator.world import WorldConfig, generate_world
from graph_identity.store.cypher import query
from graph_identity.store.exactness import differences
from graph_identity.store.maintenance import check, rebuild
from graph_identity.store.neo4j_store import Neo4jIdentityStore

if TYPE_CHECKING:  # conftest is pytest's to import; only its type is needed here
    from tests.conftest import Neo4jServer

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
    await assert_exact(store, driver, want, description)


async def assert_exact(
    store: Neo4jIdentityStore, driver: neo4j.AsyncDriver, want: View, description: str
) -> None:
    """The stored persons, shared identifiers and timelines are ``want``; the exactness check
    finds nothing a rebuild would change, a rebuild then changes no membership figure, age or
    timeline, and the graph checks clean throughout."""
    got = await stored(driver, store.database)
    assert got[0] == want[0], description
    assert got[1] == want[1], description
    assert got[2] == want[2], description
    assert await check(store) == []
    assert await differences(store) == [], description
    before = await figures(driver, store.database)
    await rebuild(store)
    assert await stored(driver, store.database) == want
    assert await figures(driver, store.database) == before
    assert await check(store) == []


Figures = frozenset[tuple[object, ...]]


async def figures(driver: neo4j.AsyncDriver, database: str) -> Figures:
    """Every membership's figures (confidence, period, linked) and its person's age, with the
    person named by the identifiers it owns (ids may differ between runs)."""
    rows, _, _ = await driver.execute_query(query("testing/membership_figures"), database_=database)
    owned: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if not row["shared"]:
            owned[row["person"]].add(row["key"])
    return frozenset(
        (
            frozenset(owned[row["person"]]),
            row["key"],
            row["shared"],
            row["confidence"],
            row["first"],
            row["last"],
            row["linked"],
            row["since"],
        )
        for row in rows
    )


def page_views(raws: list[RawEvent], count: int, rng: random.Random) -> list[RawEvent]:
    """``count`` lone-identifier page views on identifiers the world already has, at random
    moments from before its first event to after its last (the fast path's traffic)."""
    pool = sorted({(i, r.at) for r in raws for i in r.identifiers}, key=lambda p: (str(p[0]), p[1]))
    first, last = min(r.at for r in raws), max(r.at for r in raws)
    span = (last - first).total_seconds() + 7200
    views = []
    for n in range(count):
        ident, _ = rng.choice(pool)
        at = first + timedelta(seconds=rng.uniform(-3600, span))
        views.append(RawEvent(f"pv-{n}", at, EventType.PAGE_VIEW, (ident,)))
    return views


STREAMS = [
    # (description, world seed, households, page views, order seed, batch)
    ("page views one by one, late sessions", 11, 3, 150, 1, 1),
    ("page views in small batches, late sessions, duplicates", 5, 6, 400, 3, 9),
    ("page views beside a kiosk, batches of 60", 7, 20, 1500, 4, 60),
]


@pytest.mark.parametrize(
    ("description", "seed", "households", "views", "order", "batch"),
    STREAMS,
    ids=[c[0] for c in STREAMS],
)
async def test_streamed_page_views_and_late_sessions_equal_full_resolution(
    store: Neo4jIdentityStore,
    driver: neo4j.AsyncDriver,
    description: str,
    seed: int,
    households: int,
    views: int,
    order: int,
    batch: int,
) -> None:
    """Many page views on known identifiers (the fast path), with a share of the world's
    logins and logouts held back until after the page views they reshape, and duplicates of
    both: stored state equals the pure function, and rebuild changes no figure."""
    config = store.config
    world = generate_world(
        WorldConfig(seed=seed, households=households, households_per_neighbourhood=households)
    )
    rng = random.Random(order)
    raws = [raw_event(e) for e in world.events]
    sessions = [r for r in raws if r.type in (EventType.LOGIN, EventType.LOGOUT)]
    late = set(id(r) for r in rng.sample(sessions, len(sessions) // 3))
    early = [r for r in raws if id(r) not in late]
    stream = page_views(raws, views, rng)
    rng.shuffle(early)
    tail = stream + [r for r in raws if id(r) in late]
    tail += rng.sample(tail, len(tail) // 10) + rng.sample(early, len(early) // 10)
    rng.shuffle(tail)
    everything = raws + stream
    events = [p.event for r in everything if (p := prepare(r, config)).event is not None]
    want = expected(events, config)
    for delivery in (early, tail):
        for start in range(0, len(delivery), batch):
            await store.ingest(delivery[start : start + batch], verified_ids=set())
    await assert_exact(store, driver, want, description)


SESSION_LIMIT = [
    # (description, the cookie whose session a LOGOUT cuts, delivery order)
    ("no logout, in time order", None, [0, 1, 2]),
    ("first session cut, newest first", "c0", [3, 2, 1, 0]),
    ("third session cut, logout first", "c2", [3, 0, 2, 1]),
    ("third session cut, in time order", "c2", [0, 1, 2, 3]),
]


@pytest.mark.parametrize(
    ("description", "cut", "order"), SESSION_LIMIT, ids=[c[0] for c in SESSION_LIMIT]
)
async def test_sessions_over_the_cookie_limit_are_stored_as_resolved(
    driver: neo4j.AsyncDriver,
    neo4j_server: Neo4jServer,
    clean_db: None,
    description: str,
    cut: str | None,
    order: list[int],
) -> None:
    """One account logging in on three cookies under a cookie limit of two, one event at a
    time in several orders: the stored state is the pure function's (the third cookie shared,
    not owned), rebuild agrees and the graph checks clean against the limit."""
    config = ResolutionConfig(limits={IdentifierType.COOKIE: 2})
    store = Neo4jIdentityStore(driver, neo4j_server.database, config)
    account = ("ACCOUNT", "a")
    raws = [ev(f"in{n}", 10 * n, "LOGIN", account, ("COOKIE", f"c{n}")) for n in range(3)]
    if cut is not None:
        raws.append(ev("out", 40, "LOGOUT", account, ("COOKIE", cut)))
    for n in order:
        await store.ingest([raws[n]], verified_ids=set())
    events = [p.event for r in raws if (p := prepare(r, config)).event is not None]
    want = expected(events, config)
    assert "COOKIE:c2" in want[1]
    await assert_exact(store, driver, want, description)


async def test_page_views_on_known_identifiers_take_the_fast_path_exactly(
    store: Neo4jIdentityStore,
    driver: neo4j.AsyncDriver,
    ipad_events: list[RawEvent],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On the family iPad: page views in the wife's session, in the gap after her logout, in
    the husband's session, on the recycled-or-shared phone and on the wife's own phone recompute
    no region, and land where the pure function puts them; a late logout does recompute."""
    await store.ingest(ipad_events, verified_ids=set())
    recomputed: list[set[str]] = []
    original = store.recompute

    async def counting(*args: Any, **kwargs: Any) -> dict[str, str]:
        recomputed.append(args[1])
        return await original(*args, **kwargs)

    monkeypatch.setattr(store, "recompute", counting)
    views = [
        ev("v1", 186, "PAGE_VIEW", ("COOKIE", "ipad")),
        ev("v2", 250, "PAGE_VIEW", ("COOKIE", "ipad")),
        ev("v3", 305, "CHAT", ("DEVICE", "ipad-d")),
        ev("v4", 400, "CALL", ("PHONE", "+14155552671")),
        ev("v5", 360, "PAGE_VIEW", ("DEVICE", "wife-phone")),
        ev("v6", -30, "PAGE_VIEW", ("DEVICE", "wife-phone")),  # before anything else on it
    ]
    await store.ingest(views, verified_ids=set())
    assert recomputed == []
    late = [ev("late", 330, "LOGOUT", ("ACCOUNT", "husband"), ("COOKIE", "ipad"))]
    await store.ingest(late, verified_ids=set())
    assert len(recomputed) == 1
    config = store.config
    raws = ipad_events + views + late
    events = [p.event for r in raws if (p := prepare(r, config)).event is not None]
    await assert_exact(store, driver, expected(events, config), "fast path on the iPad")


async def test_asynchronous_ingest_resolves_to_the_same_persons(
    store: Neo4jIdentityStore, driver: neo4j.AsyncDriver
) -> None:
    """An asynchronous ingest (``deferred``) stores and acknowledges without resolving; events
    pending while a synchronous ingest recomputes their region, replays of pending events, and
    a resolver in another process (a cold event cache) taking the backlog in small
    transactions still end exactly where the pure function and rebuild put everything. (The
    world has a fraud device shared by 30 persons; the hub threshold is raised so that the
    comparison is exact there too: hubs are reconciliation's, docs/guarantees.md.)"""
    config = store.config.model_copy(update={"hub_persons": 1000})
    store = Neo4jIdentityStore(driver, store.database, config)
    world = generate_world(WorldConfig(seed=3, households=20, households_per_neighbourhood=10))
    raws = [raw_event(e) for e in world.events]
    events = [p.event for r in raws if (p := prepare(r, config)).event is not None]
    want = expected(events, config)
    rng = random.Random(8)
    delivery = list(raws)
    rng.shuffle(delivery)
    deferred = Neo4jIdentityStore(driver, store.database, config, deferred=True)
    half = len(delivery) // 2
    pending = 0
    for start in range(0, half, 100):
        outcome = await deferred.ingest(
            delivery[start : min(start + 100, half)], verified_ids=set()
        )
        assert outcome.pending == outcome.accepted
        pending += outcome.pending
    assert pending == len({e.id for e in events if e.id in {r.id for r in delivery[:half]}})
    assert await deferred.backlog() == pending
    assert (await stored(driver, store.database))[0] == frozenset()  # nothing resolved yet
    replay = await deferred.ingest(delivery[:50], verified_ids=set())
    assert (replay.accepted, replay.pending) == (0, 0)
    assert await deferred.backlog() == pending
    # the rest synchronously, while the first half still waits: their regions overlap
    for start in range(half, len(delivery), 100):
        outcome = await store.ingest(delivery[start : start + 100], verified_ids=set())
        assert outcome.pending == 0
    assert await deferred.backlog() == pending
    assert any("await resolution" in problem for problem in await check(store))
    other_process = Neo4jIdentityStore(driver, store.database, config)
    transactions = 0
    while await other_process.resolve_backlog(250):
        transactions += 1
    assert transactions == -(-pending // 250)
    assert await deferred.backlog() == 0
    await assert_exact(other_process, driver, want, "asynchronous ingest")
