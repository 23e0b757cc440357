"""Stored segments round-trip through store/records.py, and the holder at a moment read from
them follows the sessions (domain/carrier_moment.py, no second parser): the session's holder,
and nobody, with the reason and who signed out last, between sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from graph_identity.domain.carrier_moment import NoPersonReason
from graph_identity.domain.segments import Segment
from graph_identity.store.records import HeldSegment, segments_from_json, segments_json
from graph_identity.store.resolving import carrier_holder

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
H = timedelta(hours=1)
TABLET = "DEVICE:tablet"

#: anonymous until 9:00, the husband's session 9:00-10:00 (cut by a logout), anonymous 10:00
#: to 11:00, the wife's session from 11:00 on
STORED = [
    HeldSegment(Segment(TABLET, 0, None, T0, None), None, 1.0),
    HeldSegment(Segment(TABLET, 1, T0, T0 + H, "ACCOUNT:husband", cut=True), "p_husband", 0.9),
    HeldSegment(Segment(TABLET, 2, T0 + H, T0 + 2 * H, None), "p_husband", 0.4),
    HeldSegment(Segment(TABLET, 3, T0 + 2 * H, None, "ACCOUNT:wife"), "p_wife", 0.8),
]


def test_segments_round_trip_through_the_stored_json() -> None:
    assert segments_from_json(TABLET, segments_json(STORED)) == STORED


SIGNED_OUT, NOT_SIGNED_IN = NoPersonReason.SIGNED_OUT, NoPersonReason.NOT_SIGNED_IN
CASES = [
    ("before any session", T0 - H, (None, NOT_SIGNED_IN, None)),
    ("the first instant of a session", T0, ("p_husband", None, None)),
    ("inside a session cut by a logout", T0 + H / 2, ("p_husband", None, None)),
    # the gap after a logout names nobody, even though its stored holder is the husband's
    ("the instant the logout cut it", T0 + H, (None, SIGNED_OUT, "p_husband")),
    ("an open session", T0 + 30 * H, ("p_wife", None, None)),
]


def holder(held: list[HeldSegment], at: datetime) -> tuple[str | None, object, str | None]:
    found, reason, last = carrier_holder(held, at)
    return (found.person if found else None, reason, last.person if last else None)


@pytest.mark.parametrize(("description", "at", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_holder_at_a_moment_is_the_covering_session(
    description: str, at: datetime, expected: tuple[str | None, object, str | None]
) -> None:
    stored = segments_from_json(TABLET, segments_json(STORED))
    assert holder(stored, at) == expected, description


def test_now_after_the_last_logout_is_nobody() -> None:
    anonymous_now = [*STORED[:3], HeldSegment(Segment(TABLET, 3, T0 + 2 * H, None, None), "p", 1)]
    stored = segments_from_json(TABLET, segments_json(anonymous_now))
    assert holder(stored, datetime.now(UTC)) == (None, SIGNED_OUT, "p_husband")
