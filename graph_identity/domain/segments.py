"""Device sessions: how LOGIN and LOGOUT cut a carrier's (cookie's, device's) timeline.

A carrier's timeline is split into segments. A *session* segment belongs to the account that
logged in (it opens at the login, reaches back over anonymous activity within the pre-login
window, and ends at the logout or at the next account's login). The time between sessions is an
*anonymous* segment that belongs to nobody through the carrier. A carrier that only ever served
one account and never saw a logout is one *whole* segment of that account; a carrier with no
login at all is one whole anonymous segment. Everything here is a pure function of the
carrier's events, so arrival order cannot change it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from graph_identity.domain.events import Event, EventType


@dataclass(frozen=True, slots=True)
class Segment:
    carrier: str  # identifier key of the cookie or device
    index: int
    start: datetime | None  # inclusive; None: since the beginning
    end: datetime | None  # exclusive; None: still open
    account: str | None  # account key of a session; None for anonymous time
    login_at: datetime | None = None  # when the session's login happened
    cut: bool = False  # ended by a LOGOUT

    @property
    def element(self) -> str:
        """The segment's name as a node of the resolution graph."""
        return f"{self.carrier}#{self.index}"

    def contains(self, at: datetime) -> bool:
        return (self.start is None or self.start <= at) and (self.end is None or at < self.end)


def _sessions(
    events: Iterable[Event],
) -> list[tuple[str, datetime, datetime | None, bool]]:
    """(account, login time, end, cut) for each session, from LOGIN/LOGOUT in time order."""
    order = {EventType.LOGIN: 0, EventType.LOGOUT: 1}
    ordered = sorted(
        (e for e in events if e.type in order and e.accounts),
        key=lambda e: (e.at, order[e.type], e.id),
    )
    sessions: list[tuple[str, datetime, datetime | None, bool]] = []
    open_account: str | None = None
    open_at: datetime | None = None
    for event in ordered:
        account = event.accounts[0].key
        if event.type is EventType.LOGIN:
            if open_account == account:
                continue
            if open_account is not None and open_at is not None:
                sessions.append((open_account, open_at, event.at, False))
            open_account, open_at = account, event.at
        elif open_account == account and open_at is not None:
            sessions.append((open_account, open_at, event.at, True))
            open_account = open_at = None
    if open_account is not None and open_at is not None:
        sessions.append((open_account, open_at, None, False))
    return sessions


def segment_carrier(carrier: str, events: Iterable[Event], window: timedelta) -> list[Segment]:
    """Segments of ``carrier`` in time order, from the LOGIN and LOGOUT events on it."""
    events = list(events)
    logins = {e.accounts[0].key for e in events if e.type is EventType.LOGIN and e.accounts}
    logged_out = any(e.type is EventType.LOGOUT for e in events)
    if not logins:
        return [Segment(carrier, 0, None, None, None)]
    if len(logins) == 1 and not logged_out:
        return [Segment(carrier, 0, None, None, next(iter(logins)))]
    segments: list[Segment] = []
    previous_end: datetime | None = None
    first = True
    for account, login_at, end, cut in _sessions(events):
        start = login_at - window
        if previous_end is not None and start < previous_end:
            start = previous_end
        if first or (previous_end is not None and previous_end < start):
            gap_start = None if first else previous_end
            segments.append(Segment(carrier, len(segments), gap_start, start, None))
        first = False
        segments.append(Segment(carrier, len(segments), start, end, account, login_at, cut))
        previous_end = end
        if end is None:
            break
    if previous_end is not None:
        segments.append(Segment(carrier, len(segments), previous_end, None, None))
    return segments


def locate(segments: list[Segment], event: Event) -> Segment:
    """The segment an event on the carrier belongs to.

    A LOGIN or LOGOUT belongs to its own session even at the instant the session ends.
    """
    if len(segments) == 1:
        return segments[0]
    if event.type in (EventType.LOGIN, EventType.LOGOUT) and event.accounts:
        account = event.accounts[0].key
        for segment in reversed(segments):
            if (
                segment.account == account
                and segment.login_at is not None
                and segment.login_at <= event.at
                and (segment.end is None or event.at <= segment.end)
            ):
                return segment
    return at_time(segments, event.at)


def at_time(segments: list[Segment], at: datetime) -> Segment:
    """The segment covering the instant ``at`` (segments tile the timeline in order, so a
    binary search on their starts finds it; kiosks have thousands)."""
    index = bisect_right(segments, at, lo=1, key=lambda s: s.start or at) - 1
    return segments[max(index, 0)]
