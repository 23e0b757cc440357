"""Conversions between driver values and domain objects, in one place."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from graph_identity.domain.events import Event, EventType
from graph_identity.domain.identifiers import Identifier
from graph_identity.domain.segments import Segment
from graph_identity.domain.values import epoch_us as epoch_us  # the store writes with it
from graph_identity.domain.values import instant
from graph_identity.store.cypher import identifier_label


def native(value: Any) -> datetime:
    """A driver DateTime (or a Python one) as an aware Python datetime in UTC."""
    if hasattr(value, "to_native"):
        value = value.to_native()
    assert isinstance(value, datetime)
    return value.astimezone(UTC)


#: microseconds since the epoch (how bulk reads return instants) as a UTC datetime
from_epoch_us = instant


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


@dataclass(frozen=True, slots=True)
class HeldSegment:
    """A carrier's segment as stored on its identifier: who held it, and how surely."""

    segment: Segment
    person: str | None  # person id; None for time that belongs to nobody
    confidence: float
    #: time between sessions: when an IDENTIFY on the carrier ended it (None: none did)
    claimed: datetime | None = None


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _instant(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def segments_json(held: Iterable[HeldSegment]) -> str:
    """The ``segments`` property of a carrier identifier (its segments in time order)."""
    return json.dumps(
        [
            {
                "start": _iso(h.segment.start),
                "end": _iso(h.segment.end),
                "account": h.segment.account,
                "cut": h.segment.cut,
                "person": h.person,
                "confidence": h.confidence,
                # only when set: carriers stored before it existed compare equal to a rebuild
                **({"claimed": _iso(h.claimed)} if h.claimed is not None else {}),
            }
            for h in held
        ]
    )


def segments_from_json(carrier: str, text: str) -> list[HeldSegment]:
    """The inverse of :func:`segments_json` (a login time is not stored, so it comes back as
    None)."""
    return [
        HeldSegment(
            Segment(
                carrier,
                index,
                _instant(row["start"]),
                _instant(row["end"]),
                row["account"],
                cut=bool(row.get("cut", False)),
            ),
            row["person"],
            float(row["confidence"]),
            _instant(row.get("claimed")),
        )
        for index, row in enumerate(json.loads(text))
    ]
