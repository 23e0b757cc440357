"""Argument checks made before the service is called, so bad input writes nothing.

Optional numeric arguments have defaults in the schema; an explicit ``null`` means the
default too.
"""

from __future__ import annotations

from datetime import datetime

from graph_identity.api.scalars import moment
from graph_identity.domain.errors import BadInput
from graph_identity.domain.events import MAX_CHANNEL_LENGTH, EventType
from graph_identity.domain.values import string_problem
from graph_identity.domain.views import TimelineFilter

DEFAULT_PAGE = 50
MAX_PAGE = 200
DEFAULT_HOPS = 2
MAX_HOPS = 4
DEFAULT_MIN_PERSONS = 2
MAX_REASON = 1000


def page_size(first: int | None, field: str = "first") -> int:
    value = DEFAULT_PAGE if first is None else first
    if not 1 <= value <= MAX_PAGE:
        raise BadInput(field, f"must be between 1 and {MAX_PAGE}, got {value}")
    return value


def hops(value: int | None) -> int:
    count = DEFAULT_HOPS if value is None else value
    if not 1 <= count <= MAX_HOPS:
        raise BadInput("hops", f"must be between 1 and {MAX_HOPS}, got {count}")
    return count


def min_persons(value: int | None) -> int:
    count = DEFAULT_MIN_PERSONS if value is None else value
    if count < 2:
        raise BadInput("minPersons", f"must be at least 2, got {count}")
    return count


def reason(value: str) -> str:
    text = value.strip()
    if not text:
        raise BadInput("reason", "must not be empty: say why, it goes into the audit log")
    if len(text) > MAX_REASON:
        raise BadInput("reason", f"at most {MAX_REASON} characters")
    if problem := string_problem(text):
        raise BadInput("reason", problem)
    return text


def cursor(value: str | None, field: str = "after") -> str | None:
    """The cursor to continue after; None (or strawberry's UNSET) means the first page."""
    if not isinstance(value, str):
        return None
    if not value.strip():
        raise BadInput(field, "must not be empty; leave it out for the first page")
    return value


def event_id(value: str, field: str = "id") -> str:
    text = str(value).strip()
    if not text:
        raise BadInput(field, "must not be empty")
    return text


#: most values a timeline filter list may name
MAX_FILTER_VALUES = 50


def timeline_filter(
    types: list[EventType] | None,
    channels: list[str] | None,
    since: datetime | None,
    until: datetime | None,
) -> TimelineFilter:
    """``Person.events``' filters; an empty list or a left-out argument filters nothing."""
    for name, values in (("types", types), ("channels", channels)):
        if values is not None and len(values) > MAX_FILTER_VALUES:
            raise BadInput(name, f"at most {MAX_FILTER_VALUES} values, got {len(values)}")
    for value in channels or ():
        if not value.strip():
            raise BadInput("channels", "a channel must not be empty")
        if len(value) > MAX_CHANNEL_LENGTH:
            raise BadInput("channels", f"a channel has at most {MAX_CHANNEL_LENGTH} characters")
    low = moment(since, "since") if since is not None else None
    high = moment(until, "until") if until is not None else None
    if low is not None and high is not None and high <= low:
        raise BadInput("until", "must be later than since")
    return TimelineFilter(
        types=list(dict.fromkeys(types)) if types else None,
        channels=list(dict.fromkeys(channels)) if channels else None,
        since=low,
        until=high,
    )
