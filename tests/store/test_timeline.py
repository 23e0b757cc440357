"""Person timelines read from the (person, at) index: filters by type, channel and time select
exactly the events a filter over the whole history would, pages walk them without gaps or
repeats, a merged-away id reads its survivor's timeline, and attributions written before the
index existed are backfilled by the migration."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import neo4j
import pytest

from graph_identity.domain.events import EventType, RawEvent
from graph_identity.domain.views import EventView, TimelineFilter
from graph_identity.store.cypher import query
from graph_identity.store.neo4j_store import Neo4jIdentityStore
from graph_identity.store.schema import migrate
from tests.store.store_helpers import T0, ev, ident

KINDS = (EventType.PAGE_VIEW, EventType.CHAT, EventType.PURCHASE)
CHANNELS = ("web", "app", None)


def history() -> list[RawEvent]:
    """One account over 60 events: types and channels in turns, two pairs at one instant."""
    events = [ev("login", 0, "LOGIN", ("ACCOUNT", "ann"), ("COOKIE", "c1"))]
    for n in range(60):
        minutes = 10 + (n // 2 if n < 4 else n)  # e0/e1 and e2/e3 share an instant
        event = ev(f"e{n:02d}", minutes, KINDS[n % 3].value, ("ACCOUNT", "ann"))
        events.append(replace(event, channel=CHANNELS[n % 3]))
    return events


async def walk(
    store: Neo4jIdentityStore, person: str, size: int, only: TimelineFilter
) -> list[EventView]:
    """Every page of a filtered timeline, in order."""
    seen: list[EventView] = []
    after: str | None = None
    while True:
        page = await store.person_events(person, size, after, only)
        seen += [e for _, e in page.items]
        if not page.has_next:
            return seen
        after = page.end_cursor


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


CASES = [
    ("no filter", TimelineFilter()),
    ("one type", TimelineFilter(types=[EventType.CHAT])),
    ("two types", TimelineFilter(types=[EventType.CHAT, EventType.PURCHASE])),
    ("a channel", TimelineFilter(channels=["web"])),
    ("type and channel", TimelineFilter(types=[EventType.PAGE_VIEW], channels=["app", "web"])),
    ("since, inclusive", TimelineFilter(since=at(40))),
    ("until, exclusive", TimelineFilter(until=at(40))),
    ("a window", TimelineFilter(since=at(11), until=at(30), types=[EventType.PAGE_VIEW])),
    ("a window on a shared instant", TimelineFilter(since=at(10), until=at(11))),
]


@pytest.mark.parametrize(("description", "only"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("size", [1, 4, 200])
async def test_filtered_pages_equal_the_filter_over_the_whole_history(
    store: Neo4jIdentityStore, description: str, only: TimelineFilter, size: int
) -> None:
    events = history()
    await store.ingest(events, verified_ids=set())
    person = (await store.resolve(ident("ACCOUNT", "ann"), None)).person
    assert person is not None
    everything = await walk(store, person.id, 200, TimelineFilter())
    assert {e.id for e in everything} == {e.id for e in events}
    expected = [
        e
        for e in everything
        if (only.types is None or e.type in only.types)
        and (only.channels is None or e.channel in only.channels)
        and (only.since is None or e.at >= only.since)
        and (only.until is None or e.at < only.until)
    ]
    assert expected, description
    got = await walk(store, person.id, size, only)
    assert [e.id for e in got] == [e.id for e in expected], description
    assert [(e.at, e.id) for e in got] == sorted(((e.at, e.id) for e in got), reverse=True)


async def test_a_merged_away_id_reads_its_survivors_timeline(store: Neo4jIdentityStore) -> None:
    await store.ingest(
        [
            ev("a1", 0, "PAGE_VIEW", ("ACCOUNT", "ann"), ("COOKIE", "c1")),
            ev("b1", 1, "PAGE_VIEW", ("EMAIL", "bob@x.com"), ("COOKIE", "c2")),
        ],
        verified_ids=set(),
    )
    ann = (await store.resolve(ident("ACCOUNT", "ann"), None)).person
    bob = (await store.resolve(ident("EMAIL", "bob@x.com"), None)).person
    assert ann is not None and bob is not None and ann.id != bob.id
    survivor = await store.merge_persons([ann.id, bob.id], "same person", "test")
    merged_away = bob.id if survivor.id == ann.id else ann.id
    page = await store.person_events(merged_away, 50, None)
    assert {e.id for _, e in page.items} == {"a1", "b1"}
    assert [e.id for _, e in (await store.person_events("no-such-person", 50, None)).items] == []


async def test_migration_backfills_attributions_written_before_the_index(
    store: Neo4jIdentityStore, driver: neo4j.AsyncDriver
) -> None:
    await store.ingest(history(), verified_ids=set())
    person = (await store.resolve(ident("ACCOUNT", "ann"), None)).person
    assert person is not None
    before = await walk(store, person.id, 7, TimelineFilter())
    await driver.execute_query(query("testing/strip_timeline"), database_=store.database)
    assert (await store.person_events(person.id, 50, None)).items == []
    await migrate(driver, store.database)
    assert await walk(store, person.id, 7, TimelineFilter()) == before
