"""Link summaries (domain/summaries.py) stand in for the events exactly: a book maintained in
any order and batching equals the book of the whole set at once, and the partition settled
from the book equals the partition resolved from the events (links, unions, refusals, owners,
shared identifiers, memberships with their figures, segment holders), late logins and logouts
that move segment boundaries included. Splitting a bucket reads only that bucket's events."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.events import Event, EventType
from graph_identity.domain.evidence import gather, gather_summarized
from graph_identity.domain.identifiers import Identifier, IdentifierType
from graph_identity.domain.resolution import Constraints, Partition, settle
from graph_identity.domain.summaries import SummaryBook
from tests.domain.test_order_independence import (
    CONFIGS,
    EVERYTHING,
    PROPERTY,
    T0,
    constraints,
    events_of_a_world,
)


class Archive:
    """The raw events a book has taken so far, and every range it was asked for."""

    def __init__(self) -> None:
        self.events: dict[str, Event] = {}
        self.asked: list[tuple[str, datetime | None, datetime | None]] = []
        self.read = 0

    def events_in(
        self, carrier: str, start: datetime | None, end: datetime | None
    ) -> Iterable[Event]:
        self.asked.append((carrier, start, end))
        found = [
            e
            for e in self.events.values()
            if carrier in {i.key for i in e.identifiers}
            and (start is None or start <= e.at)
            and (end is None or e.at < end)
        ]
        self.read += len(found)
        return found


def book_of(batches: Iterable[list[Event]], window: timedelta) -> tuple[SummaryBook, Archive]:
    book, archive = SummaryBook(window), Archive()
    for batch in batches:
        book.add(batch, archive.events_in)
        archive.events.update((e.id, e) for e in batch)
    return book, archive


def state(book: SummaryBook) -> dict[str, Any]:
    return {
        "links": book.links,
        "seen": book.seen,
        "bounds": book.bounds,
        "sessions": sorted(book.session_events),
        "ids": book.ids,
    }


def settled(partition: Partition) -> dict[str, Any]:
    trace = partition.trace
    return {
        "owner": partition.owner,
        "shared": partition.shared,
        "memberships": sorted(partition.memberships, key=lambda m: (m.person, m.identifier)),
        "segment_group": partition.segment_group,
        "segment_confidence": partition.segment_confidence,
        "links": trace.links,
        "merged": trace.merged,
        "rejected": trace.rejected,
        "excluded": trace.excluded,
        "group_of": trace.group_of,
    }


@st.composite
def batches_of(draw: st.DrawFn, events: list[Event]) -> list[list[Event]]:
    """The events in a random order (some twice), cut into random batches."""
    repeats = draw(st.lists(st.sampled_from(events), max_size=3))
    order = draw(st.permutations(events + repeats))
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(order) - 1)), max_size=6)))
    bounds = [0, *cuts, len(order)]
    return [order[a:b] for a, b in pairwise(bounds) if a < b]


@PROPERTY
@given(events=events_of_a_world(), config_name=st.sampled_from(sorted(CONFIGS)), data=st.data())
def test_any_order_and_batching_give_the_same_book(
    events: list[Event], config_name: str, data: st.DataObject
) -> None:
    window = CONFIGS[config_name].prelogin_window
    whole, _ = book_of([events], window)
    batched, _ = book_of(data.draw(batches_of(events)), window)
    assert state(batched) == state(whole)


@PROPERTY
@given(
    events=events_of_a_world(),
    admin=constraints(),
    config_name=st.sampled_from(sorted(CONFIGS)),
    data=st.data(),
)
def test_the_partition_from_summaries_is_the_partition_from_events(
    events: list[Event], admin: Constraints, config_name: str, data: st.DataObject
) -> None:
    config = CONFIGS[config_name]
    fixed = frozenset(i.key for i in data.draw(st.lists(st.sampled_from(EVERYTHING), max_size=2)))
    book, _ = book_of(data.draw(batches_of(events)), config.prelogin_window)
    sessions = book.session_events.values()
    evidence = gather_summarized(book.seen, sessions, book.links.values(), config)
    from_events, _ = settle(gather(events, config), config, admin, fixed)
    assert settled(settle(evidence, config, admin, fixed)[0]) == settled(from_events)


C = Identifier(IdentifierType.COOKIE, "tablet")
E = Identifier(IdentifierType.EMAIL, "ann@example.com")
A = Identifier(IdentifierType.ACCOUNT, "ann")


def _event(n: int, minutes: int, kind: EventType, *idents: Identifier) -> Event:
    return Event(f"e{n:03d}", T0 + timedelta(minutes=minutes), kind, tuple(sorted(idents)))


def test_a_late_login_reads_only_the_bucket_it_splits() -> None:
    config = ResolutionConfig()
    window = config.prelogin_window
    day = 24 * 60
    early = [_event(0, 0, EventType.LOGIN, A, C)]
    # a long history on the tablet, most of it days before or after the late login's bucket
    history = [_event(n, n * 60, EventType.PAGE_VIEW, C, E) for n in range(1, 200)]
    book, archive = book_of([early, history], window)
    archive.asked.clear()
    late = _event(500, 100 * 60, EventType.LOGOUT, A, C)
    split = book.add([late], archive.events_in)
    archive.events[late.id] = late
    assert split == {(C.key, T0)}
    # the bucket from the first login on was the whole history: every tablet event in it is
    # read once, and the stored links now tell the session from what followed the logout
    assert archive.asked == [(C.key, T0, None)]
    book2, _ = book_of([[*early, *history, late]], window)
    assert state(book) == state(book2)
    more = _event(600, 2 * day, EventType.LOGIN, A, C)
    before = archive.read
    book.add([more], archive.events_in)
    # the new login's two boundaries fall in the open bucket after the logout: only its
    # events are read again, not the 100 hours before the logout
    assert archive.read - before == len([e for e in history if e.at >= late.at])
    evidence = gather_summarized(
        book.seen, book.session_events.values(), book.links.values(), config
    )
    everything = [*early, *history, late, more]
    expected = settle(gather(everything, config), config)[0]
    assert settled(settle(evidence, config)[0]) == settled(expected)
