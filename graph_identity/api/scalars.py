"""Scalars beyond GraphQL's own.

``DateTime`` is strawberry's ISO-8601 datetime. The contract wants an offset on every one;
strawberry accepts naive values, so resolvers pass each through :func:`aware`, which refuses
them as ``BAD_USER_INPUT`` naming the field (also inside lists, such as ``events[3].at``).
``JSON`` carries an event's free-form ``attributes``.
"""

from __future__ import annotations

from datetime import datetime

from strawberry.scalars import JSON

from graph_identity.domain.errors import BadInput
from graph_identity.domain.values import TIME_RANGE, to_utc

__all__ = ["JSON", "aware", "moment"]


def aware(value: datetime, field: str) -> datetime:
    """``value`` if it carries a UTC offset; BadInput naming ``field`` otherwise."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise BadInput(field, "needs a UTC offset, e.g. 2024-05-01T10:00:00+00:00")
    return value


def moment(value: datetime, field: str) -> datetime:
    """An aware time argument inside the accepted range (domain/values.py), in UTC."""
    utc = to_utc(aware(value, field))
    if utc is None:
        raise BadInput(field, TIME_RANGE)
    return utc
