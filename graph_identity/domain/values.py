"""What a stored value may be: the accepted time range, clean strings, plain JSON attributes.

Each check answers a problem (a short text, no field name) or None, so callers can name the
field themselves: ingest refuses one event with ``"<field>: <problem>"`` and keeps the rest of
the batch; GraphQL arguments turn it into ``BAD_USER_INPUT``.

Times: years 1900 to 2199 after conversion to UTC. Earlier or later instants are typing
mistakes or sentinels (``0001-01-01``, ``9999-12-31``), and near the ends of Python's range
they cannot even be converted to UTC.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
TIME_RANGE = "must lie in the years 1900 to 2199 (UTC)"

#: attributes deeper than this are refused (a timeline UI shows a few levels)
MAX_ATTRIBUTES_DEPTH = 16


def to_utc(value: datetime) -> datetime | None:
    """``value`` (aware) in UTC when it lies in the accepted range, else None."""
    try:
        utc = value.astimezone(UTC)
    except (OverflowError, ValueError):
        return None
    return utc if EARLIEST <= utc < LATEST else None


def string_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored (a lone surrogate is not valid Unicode), else None."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode (lone surrogate)"
    return None


def attributes_problem(value: object) -> str | None:
    """Why ``value`` is not plain JSON we can store and serve back, else None.

    Refused: NaN and infinities (``1e400`` parses as infinity), which standard JSON parsers
    cannot read back; non-string keys; lone surrogates; nesting deeper than
    :data:`MAX_ATTRIBUTES_DEPTH`. Walked without recursion, so depth itself cannot crash it.
    """
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_ATTRIBUTES_DEPTH:
            return f"nested deeper than {MAX_ATTRIBUTES_DEPTH} levels"
        if isinstance(item, dict):
            for key, inner in item.items():
                if not isinstance(key, str) or string_problem(key):
                    return "keys must be valid strings"
                stack.append((inner, depth + 1))
        elif isinstance(item, list):
            stack.extend((inner, depth + 1) for inner in item)
        elif isinstance(item, str):
            if problem := string_problem(item):
                return f"a string {problem}"
        elif isinstance(item, float):
            if not math.isfinite(item):
                return "NaN and infinite numbers are not JSON"
        elif item is not None and not isinstance(item, bool | int):
            return "must be JSON"
    return None


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def epoch_us(at: datetime) -> int:
    """An aware datetime as microseconds since the epoch: how writes send instants. The driver
    packs a Python datetime in some 50 microseconds of Python; an int costs nothing, and Cypher
    turns it back with ``datetime({epochSeconds: us / 1000000, nanosecond: ...})``."""
    return (at - EPOCH) // MICROSECOND


def instant(at_us: int) -> datetime:
    """Microseconds since the epoch (how bulk reads return instants) as a UTC datetime."""
    seconds, micros = divmod(at_us, 1_000_000)
    return datetime.fromtimestamp(seconds, UTC).replace(microsecond=micros)
