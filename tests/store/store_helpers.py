"""Shorthands the store tests share: events at minutes after T0, identifiers by type name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from graph_identity.domain.events import RawEvent
from graph_identity.domain.identifiers import Identifier, IdentifierType
from tests.events import raw

T0 = datetime(2026, 1, 5, 8, tzinfo=UTC)


def ev(event_id: str, minutes: float, kind: str, *ids: tuple[str, str]) -> RawEvent:
    """A raw event ``minutes`` after T0 carrying ``(type, value)`` identifiers."""
    return raw(event_id, T0 + timedelta(minutes=minutes), kind, *ids)


def ident(kind: str, value: str) -> Identifier:
    return Identifier(IdentifierType(kind), value)
