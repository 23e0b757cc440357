"""Link summaries: the evidence of many events folded per link, so that resolution can read
O(identifiers and sessions) instead of O(events).

Resolution links *elements* (:mod:`evidence`): a non-carrier identifier, or a carrier's
segment, and segments move when a late LOGIN or LOGOUT arrives. A summary is therefore kept
per pair of *ends*: a non-carrier identifier, or a carrier *bucket*. A carrier's buckets are
the intervals between its candidate boundaries (every session event's instant ``t`` and
``t - prelogin_window``); every segment any set of its session events can cut is a union of
buckets (:func:`segments.segment_carrier` only ever starts or ends a segment at those
instants), so summaries per bucket add up to the links per segment exactly. A new session
event splits at most the bucket or two its instants fall in, and re-splitting reads only the
carrier's events inside those buckets (:meth:`SummaryBook.add`).

LOGIN and LOGOUT events themselves are kept whole, as the carrier's *session records*: they cut
the segments and their links are derived from them directly. See docs/data-model.md.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from graph_identity.domain.events import Event, EventType
from graph_identity.domain.identifiers import Identifier
from graph_identity.domain.links import MAX_EVIDENCE, LinkKind, event_kind

#: one end of a summary: (identifier key, bucket start); the bucket is None for a
#: non-carrier, and for a carrier's time before its first boundary
End = tuple[str, datetime | None]
#: a carrier's raw events inside [start, end) (None: unbounded), for re-splitting buckets
EventsIn = Callable[[str, datetime | None, datetime | None], Iterable[Event]]
SESSION_TYPES = (EventType.LOGIN, EventType.LOGOUT)


def is_session(event: Event) -> bool:
    return event.type in SESSION_TYPES


def _end_order(end: End) -> tuple[str, bool, datetime | None]:
    return (end[0], end[1] is not None, end[1])


@dataclass(slots=True)
class LinkSummary:
    """Every non-session event's link between two ends, folded into one record."""

    a: End
    b: End
    kind: LinkKind
    count: int
    first: datetime
    last: datetime
    evidence: list[tuple[datetime, str]] = field(default_factory=list)  # earliest (at, id)

    def add(self, kind: LinkKind, at: datetime, event_id: str) -> None:
        self.kind = max(self.kind, kind)
        self.count += 1
        self.first = min(self.first, at)
        self.last = max(self.last, at)
        insort(self.evidence, (at, event_id))
        del self.evidence[MAX_EVIDENCE:]


def boundaries(sessions: Iterable[Event], window: timedelta) -> list[datetime]:
    """A carrier's candidate segment boundaries, sorted: each session event's instant and the
    instant a pre-login window before it."""
    return sorted({t for e in sessions for t in (e.at, e.at - window)})


def bucket_of(bounds: list[datetime], at: datetime) -> datetime | None:
    """The start of the bucket holding ``at`` (None: before the first boundary)."""
    index = bisect_right(bounds, at)
    return bounds[index - 1] if index else None


def bucket_end(bounds: list[datetime], start: datetime | None) -> datetime | None:
    """Where the bucket starting at ``start`` ends (None: open)."""
    index = 0 if start is None else bisect_right(bounds, start)
    return bounds[index] if index < len(bounds) else None


@dataclass(slots=True)
class Seen:
    """An identifier as resolution needs it: what it is, and its first and last sighting."""

    identifier: Identifier
    first: datetime
    last: datetime


@dataclass(slots=True)
class SummaryBook:
    """Link summaries, session records and sightings, maintained event by event.

    The same book results from the same set of events whatever the order and batching in which
    :meth:`add` received them (tests/domain/test_summaries.py proves it)."""

    window: timedelta
    links: dict[tuple[End, End], LinkSummary] = field(default_factory=dict)
    sessions: dict[str, list[Event]] = field(default_factory=dict)  # carrier -> session events
    session_events: dict[str, Event] = field(default_factory=dict)  # id -> LOGIN/LOGOUT event
    bounds: dict[str, list[datetime]] = field(default_factory=dict)  # carrier -> boundaries
    seen: dict[str, Seen] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)

    def ends(self, event: Event, bounds: dict[str, list[datetime]] | None = None) -> list[End]:
        table = self.bounds if bounds is None else bounds
        return sorted(
            (
                (i.key, bucket_of(table.get(i.key, []), event.at) if i.is_carrier else None)
                for i in event.identifiers
            ),
            key=_end_order,
        )

    def add(self, events: Iterable[Event], events_in: EventsIn) -> set[tuple[str, datetime | None]]:
        """Fold new events in (ones seen before change nothing). ``events_in`` gives the
        events already in the book on a carrier in a time range; it is asked only for the
        buckets new session events split. Returns those (carrier, old bucket start) pairs."""
        fresh = {e.id: e for e in events if e.id not in self.ids}
        ordered = sorted(fresh.values(), key=lambda e: (e.at, e.id))
        for event in ordered:
            self._sight(event)
        split = self._split([e for e in ordered if is_session(e)], events_in, set(fresh))
        self.ids |= set(fresh)
        for event in ordered:
            if is_session(event):
                self.session_events[event.id] = event
            else:
                self._fold(event, self.ends(event))
        return split

    def _sight(self, event: Event) -> None:
        for ident in event.identifiers:
            seen = self.seen.get(ident.key)
            if seen is None:
                self.seen[ident.key] = Seen(ident, event.at, event.at)
            else:
                seen.first, seen.last = min(seen.first, event.at), max(seen.last, event.at)

    def _fold(
        self, event: Event, ends: list[End], only: Callable[[End, End], bool] | None = None
    ) -> None:
        kind = event_kind(event)
        for i, a in enumerate(ends):
            for b in ends[i + 1 :]:
                if only is not None and not only(a, b):
                    continue
                summary = self.links.get((a, b))
                if summary is None:
                    self.links[(a, b)] = LinkSummary(
                        a, b, kind, 1, event.at, event.at, [(event.at, event.id)]
                    )
                else:
                    summary.add(kind, event.at, event.id)

    def _split(
        self, sessions: list[Event], events_in: EventsIn, fresh: set[str]
    ) -> set[tuple[str, datetime | None]]:
        """Add the new session events' boundaries; re-fold the events of every bucket they
        split (all removals first, then the re-folds, so a pair two split buckets share is
        counted once)."""
        old = {k: list(v) for k, v in self.bounds.items()}
        split: set[tuple[str, datetime | None]] = set()
        for event in sessions:
            for carrier in event.carriers:
                self.sessions.setdefault(carrier.key, []).append(event)
                bounds = self.bounds.setdefault(carrier.key, [])
                for t in (event.at - self.window, event.at):
                    index = bisect_right(bounds, t)
                    if index and bounds[index - 1] == t:
                        continue
                    split.add((carrier.key, bucket_of(old.get(carrier.key, []), t)))
                    bounds.insert(index, t)
        if not split:
            return split
        for pair in [p for p in self.links if p[0] in split or p[1] in split]:
            del self.links[pair]
        refold: dict[str, Event] = {}
        for key, start in split:
            end = bucket_end(old.get(key, []), start)
            for event in events_in(key, start, end):
                if event.id not in fresh and not is_session(event):
                    refold[event.id] = event
        for event in refold.values():
            before = dict(zip(self.ends(event, old), self.ends(event), strict=True))
            self._fold(event, self.ends(event), _touching(before, split))
        return split


def _touching(
    before: dict[End, End], split: set[tuple[str, datetime | None]]
) -> Callable[[End, End], bool]:
    """Whether a pair of (new) ends had an end in a split bucket (by its old end)."""
    old_of = {new: old for old, new in before.items()}
    return lambda a, b: old_of[a] in split or old_of[b] in split
