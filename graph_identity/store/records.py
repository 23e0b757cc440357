"""Conversions between driver values and domain objects, in one place."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from graph_identity.domain.events import Event, EventType
from graph_identity.domain.identifiers import Identifier
from graph_identity.store.cypher import identifier_label


def native(value: Any) -> datetime:
    """A driver DateTime (or a Python one) as an aware Python datetime in UTC."""
    if hasattr(value, "to_native"):
        value = value.to_native()
    assert isinstance(value, datetime)
    return value.astimezone(UTC)


def from_epoch_us(value: int) -> datetime:
    """Microseconds since the epoch (how bulk reads return instants) as a UTC datetime."""
    seconds, micros = divmod(value, 1_000_000)
    return datetime.fromtimestamp(seconds, UTC).replace(microsecond=micros)


def epoch_us(value: datetime) -> int:
    """An instant as microseconds since the epoch: how writes send instants. The driver packs
    a Python datetime in some 50 microseconds of Python; an int costs nothing, and Cypher
    turns it back with ``datetime({epochSeconds: us / 1000000, nanosecond: ...})``."""
    delta = value - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def event_from_record(record: Any) -> Event:
    """An Event from a row with id, at, type, verified and keys (and, for timelines, channel
    and attributes; resolution does not need them, so region loads leave them out)."""
    attributes = record.get("attributes")
    return Event(
        id=record["id"],
        at=from_epoch_us(record["at_us"]) if "at_us" in record else native(record["at"]),
        type=EventType(record["type"]),
        identifiers=tuple(sorted(Identifier.from_key(k) for k in record["keys"])),
        channel=record.get("channel"),
        attributes=json.loads(attributes) if attributes is not None else None,
        verified=bool(record["verified"]),
    )


def event_row(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "at_us": epoch_us(event.at),
        "type": event.type.value,
        "channel": event.channel,
        "attributes": None if event.attributes is None else json.dumps(event.attributes),
        "verified": event.verified,
        "identifiers": [
            {
                "key": i.key,
                "type": i.type.value,
                "value": i.value,
                "label": identifier_label(i.type.value),
            }
            for i in event.identifiers
        ],
    }
