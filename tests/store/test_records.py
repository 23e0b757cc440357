"""Stored segments round-trip through store/records.py, and the holder at a moment read from
them is the one the segments' own ``contains``/``at_time`` give (no second parser)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from graph_identity.domain.segments import Segment
from graph_identity.store.records import (
    HeldSegment,
    segment_holder,
    segments_from_json,
    segments_json,
)

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


CASES = [
    ("before any session", T0 - H, None),
    ("the first instant of a session", T0, ("p_husband", 0.9)),
    ("inside a session cut by a logout", T0 + H / 2, ("p_husband", 0.9)),
    ("the instant the logout cut it", T0 + H, ("p_husband", 0.4)),
    ("an open session", T0 + 30 * H, ("p_wife", 0.8)),
]


@pytest.mark.parametrize(("description", "at", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_holder_at_a_moment_is_the_covering_segments(
    description: str, at: datetime, expected: tuple[str, float] | None
) -> None:
    assert segment_holder(TABLET, segments_json(STORED), at) == expected, description


def test_without_a_moment_only_an_open_login_answers() -> None:
    assert segment_holder(TABLET, segments_json(STORED), None) == ("p_wife", 0.8)
    anonymous_now = [*STORED[:3], HeldSegment(Segment(TABLET, 3, T0 + 2 * H, None, None), "p", 1)]
    assert segment_holder(TABLET, segments_json(anonymous_now), None) is None
