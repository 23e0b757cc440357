"""Shorthands the store tests share: events at minutes after T0, identifiers by type name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from graph_identity.domain.events import EventType, RawEvent, RawIdentifier
from graph_identity.domain.identifiers import Identifier, IdentifierType

T0 = datetime(2026, 1, 5, 8, tzinfo=UTC)


def ev(event_id: str, minutes: float, kind: str, *ids: tuple[str, str]) -> RawEvent:
    """A raw event ``minutes`` after T0 carrying ``(type, value)`` identifiers."""
    return RawEvent(
        event_id,
        T0 + timedelta(minutes=minutes),
        EventType(kind),
        tuple(RawIdentifier(IdentifierType(k), v) for k, v in ids),
    )


def ident(kind: str, value: str) -> Identifier:
    return Identifier(IdentifierType(kind), value)
