"""Carrier segmentation (docs/resolution.md): how LOGIN and LOGOUT cut a cookie's or device's
timeline into whole, session and anonymous segments, and which segment an event falls in."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from graph_identity.domain.events import Event, EventType
from graph_identity.domain.identifiers import Identifier, IdentifierType
from graph_identity.domain.segments import Segment, at_time, locate, segment_carrier

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=30)
CARRIER = "DEVICE:tablet"
A = "ACCOUNT:a"
B = "ACCOUNT:b"


def t(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def ev(event_id: str, minutes: float, kind: EventType, account: str | None = None) -> Event:
    identifiers = [Identifier(IdentifierType.DEVICE, "tablet")]
    if account is not None:
        identifiers.append(Identifier.from_key(account))
    return Event(event_id, t(minutes), kind, tuple(sorted(identifiers)))


def seg(
    index: int,
    start: float | None,
    end: float | None,
    account: str | None = None,
    login: float | None = None,
    cut: bool = False,
) -> Segment:
    return Segment(
        CARRIER,
        index,
        None if start is None else t(start),
        None if end is None else t(end),
        account,
        None if login is None else t(login),
        cut,
    )


LOGIN, LOGOUT, VIEW = EventType.LOGIN, EventType.LOGOUT, EventType.PAGE_VIEW


@pytest.mark.parametrize(
    ("description", "events", "expected"),
    [
        (
            "no login at all: one whole anonymous segment",
            [ev("v1", 0, VIEW), ev("v2", 500, VIEW)],
            [seg(0, None, None)],
        ),
        (
            "one account, no logout: one whole segment of that account",
            [ev("l1", 100, LOGIN, A), ev("l2", 900, LOGIN, A), ev("v1", 0, VIEW)],
            [seg(0, None, None, A)],
        ),
        (
            "one account logged out: gap, session (cut), gap",
            [ev("l1", 100, LOGIN, A), ev("o1", 130, LOGOUT, A)],
            [seg(0, None, 70), seg(1, 70, 130, A, 100, cut=True), seg(2, 130, None)],
        ),
        (
            "login/logout of two accounts: gap, A, gap, B, gap",
            [
                ev("l1", 100, LOGIN, A),
                ev("o1", 130, LOGOUT, A),
                ev("l2", 300, LOGIN, B),
                ev("o2", 330, LOGOUT, B),
            ],
            [
                seg(0, None, 70),
                seg(1, 70, 130, A, 100, cut=True),
                seg(2, 130, 270),
                seg(3, 270, 330, B, 300, cut=True),
                seg(4, 330, None),
            ],
        ),
        (
            "the pre-login window stops at the previous session's end",
            [
                ev("l1", 100, LOGIN, A),
                ev("o1", 130, LOGOUT, A),
                ev("l2", 140, LOGIN, B),
                ev("o2", 150, LOGOUT, B),
            ],
            [
                seg(0, None, 70),
                seg(1, 70, 130, A, 100, cut=True),
                seg(2, 130, 150, B, 140, cut=True),
                seg(3, 150, None),
            ],
        ),
        (
            "a login of B while A is open closes A without a cut",
            [ev("l1", 100, LOGIN, A), ev("l2", 200, LOGIN, B)],
            [seg(0, None, 70), seg(1, 70, 200, A, 100), seg(2, 200, None, B, 200)],
        ),
        (
            "a second login of the open account does not open a new session",
            [
                ev("l1", 100, LOGIN, A),
                ev("l2", 110, LOGIN, A),
                ev("o1", 130, LOGOUT, A),
                ev("l3", 300, LOGIN, A),
            ],
            [
                seg(0, None, 70),
                seg(1, 70, 130, A, 100, cut=True),
                seg(2, 130, 270),
                seg(3, 270, None, A, 300),
            ],
        ),
        (
            "a logout of an account that is not open changes no session",
            [ev("l1", 100, LOGIN, A), ev("o1", 130, LOGOUT, B)],
            [seg(0, None, 70), seg(1, 70, None, A, 100)],
        ),
    ],
)
def test_segment_carrier(description: str, events: list[Event], expected: list[Segment]) -> None:
    assert segment_carrier(CARRIER, events, WINDOW) == expected, description


def test_segments_do_not_depend_on_event_order() -> None:
    events = [
        ev("l1", 100, LOGIN, A),
        ev("o1", 130, LOGOUT, A),
        ev("l2", 140, LOGIN, B),
        ev("l3", 400, LOGIN, A),
        ev("o3", 420, LOGOUT, A),
        ev("v1", 50, VIEW),
    ]
    expected = segment_carrier(CARRIER, events, WINDOW)
    rng = random.Random(7)
    for _ in range(20):
        rng.shuffle(events)
        assert segment_carrier(CARRIER, events, WINDOW) == expected


def test_segments_tile_the_timeline() -> None:
    events = [
        ev("l1", 100, LOGIN, A),
        ev("o1", 130, LOGOUT, A),
        ev("l2", 140, LOGIN, B),
        ev("l3", 400, LOGIN, A),
        ev("o3", 420, LOGOUT, A),
    ]
    segments = segment_carrier(CARRIER, events, WINDOW)
    assert segments[0].start is None
    assert segments[-1].end is None
    for before, after in pairwise(segments):
        assert before.end == after.start
    assert [s.index for s in segments] == list(range(len(segments)))


def test_segment_element_names_carrier_and_index() -> None:
    assert seg(3, 0, 10).element == "DEVICE:tablet#3"


SESSIONS = [
    ev("l1", 100, LOGIN, A),
    ev("o1", 130, LOGOUT, A),
    ev("l2", 300, LOGIN, B),
]


@pytest.mark.parametrize(
    ("description", "event", "expected_index"),
    [
        ("long before the first login: anonymous", ev("x", 10, VIEW), 0),
        ("inside the pre-login window: A's session", ev("x", 75, VIEW), 1),
        ("during A's session", ev("x", 120, VIEW), 1),
        ("the LOGIN itself", ev("l1", 100, LOGIN, A), 1),
        ("the LOGOUT belongs to the session it ends", ev("o1", 130, LOGOUT, A), 1),
        ("a touchpoint at the logout instant: after the cut", ev("x", 130, VIEW), 2),
        ("between the sessions", ev("x", 200, VIEW), 2),
        ("inside B's pre-login window", ev("x", 280, VIEW), 3),
        ("after B's login, B still open", ev("x", 5000, VIEW), 3),
    ],
)
def test_locate(description: str, event: Event, expected_index: int) -> None:
    segments = segment_carrier(CARRIER, SESSIONS, WINDOW)
    assert locate(segments, event).index == expected_index, description


def test_locate_on_a_whole_segment_is_that_segment_at_any_time() -> None:
    segments = segment_carrier(CARRIER, [ev("l1", 100, LOGIN, A)], WINDOW)
    assert locate(segments, ev("x", -10_000, VIEW)) == segments[0]
    assert locate(segments, ev("x", 10_000, VIEW)) == segments[0]


def test_at_time_covers_instants_with_exclusive_ends() -> None:
    segments = segment_carrier(CARRIER, SESSIONS, WINDOW)
    assert at_time(segments, t(69.99)).index == 0
    assert at_time(segments, t(70)).index == 1
    assert at_time(segments, t(129.99)).index == 1
    assert at_time(segments, t(130)).index == 2


def test_a_wider_window_reaches_further_back() -> None:
    events = [ev("l1", 100, LOGIN, A), ev("o1", 130, LOGOUT, A)]
    narrow = segment_carrier(CARRIER, events, timedelta(minutes=5))
    wide = segment_carrier(CARRIER, events, timedelta(hours=1))
    assert narrow[1].start == t(95)
    assert wide[1].start == t(40)
