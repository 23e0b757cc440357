"""When a collected message happened: the Segment Spec's clock-skew correction.

A browser's or a phone's clock may be wrong. The SDKs stamp each message with
``originalTimestamp`` (the device's clock when the call was made) and ``sentAt`` (the device's
clock when it was sent); the server knows ``receivedAt`` by its own clock. The device's error
cancels out of ``receivedAt - (sentAt - originalTimestamp)``. A ``timestamp`` the caller sets
is taken as it is (server SDKs set it from a trusted clock; analytics.js only when asked to).
docs/collect.md "Time" has the rule with examples.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


class BadTime(ValueError):
    """A time field that is not an ISO-8601 date-time; the message names the field."""


def parse_time(value: Any, field: str) -> datetime | None:
    """An ISO-8601 date-time (``Z`` or an offset; none means UTC), or None when absent."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadTime(f"{field}: an ISO-8601 date-time string is needed")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise BadTime(f"{field}: not an ISO-8601 date-time: {value[:40]!r}") from exc
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def event_time(message: dict[str, Any], received_at: datetime, batch_sent_at: Any) -> datetime:
    """The event's time: ``timestamp`` when given, else ``originalTimestamp`` corrected by
    the skew between ``sentAt`` (the message's, else the batch's) and ``received_at``, else
    ``originalTimestamp`` as it is, else ``received_at``. Raises BadTime."""
    stamped = parse_time(message.get("timestamp"), "timestamp")
    if stamped is not None:
        return stamped
    original = parse_time(message.get("originalTimestamp"), "originalTimestamp")
    if original is None:
        return received_at
    sent = parse_time(message.get("sentAt"), "sentAt") or parse_time(batch_sent_at, "sentAt")
    if sent is None:
        return original
    try:
        return received_at - (sent - original)
    except OverflowError as exc:
        raise BadTime("sentAt: too far from originalTimestamp") from exc
