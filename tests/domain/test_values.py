"""Guards what a stored value may be (domain/values.py): the accepted time range after UTC
conversion, clean strings, and attributes that are plain, finite, shallow JSON."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from graph_identity.domain.values import (
    MAX_ATTRIBUTES_DEPTH,
    attributes_problem,
    string_problem,
    to_utc,
)

PLUS_14 = timezone(timedelta(hours=14))
MINUS_14 = timezone(timedelta(hours=-14))


@pytest.mark.parametrize(
    ("description", "value", "expected"),
    [
        ("inside", datetime(2026, 1, 5, 10, tzinfo=PLUS_14), datetime(2026, 1, 4, 20, tzinfo=UTC)),
        ("first instant", datetime(1900, 1, 1, tzinfo=UTC), datetime(1900, 1, 1, tzinfo=UTC)),
        ("before", datetime(1899, 12, 31, 23, 59, tzinfo=UTC), None),
        ("end of range", datetime(2200, 1, 1, tzinfo=UTC), None),
        ("year 9999 west", datetime(9999, 12, 31, 23, 59, 59, tzinfo=MINUS_14), None),
        ("year 1 east", datetime(1, 1, 1, tzinfo=PLUS_14), None),
    ],
)
def test_time_range(description: str, value: datetime, expected: datetime | None) -> None:
    assert to_utc(value) == expected


def test_lone_surrogates_are_not_strings() -> None:
    assert string_problem("caf\u00e9 \U0001f600") is None
    assert string_problem("x\ud800") is not None


def deep(levels: int) -> object:
    value: object = 1
    for _ in range(levels):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("description", "value", "refused"),
    [
        ("plain", {"url": "/a", "n": 1, "f": 1.5, "ok": True, "none": None, "l": [1]}, False),
        ("NaN", {"x": float("nan")}, True),
        ("infinity in a list", [1, float("inf")], True),
        ("lone surrogate value", {"x": "\udc00"}, True),
        ("lone surrogate key", {"\udc00": 1}, True),
        ("non-string key", {1: 1}, True),
        ("not JSON", {"x": object()}, True),
        ("at the depth limit", deep(MAX_ATTRIBUTES_DEPTH), False),
        ("too deep", deep(MAX_ATTRIBUTES_DEPTH + 1), True),
        ("very deep", deep(100_000), True),
    ],
)
def test_attributes(description: str, value: object, refused: bool) -> None:
    assert (attributes_problem(value) is not None) is refused
