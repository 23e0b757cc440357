"""The one way tests build events: :func:`event` gives the JSON form the API, the bulk loader
and the demo take (``EventInput``, docs/events.md), and :func:`raw` the same event read into a
``RawEvent`` by the package's own parser. Tests keep their own small adapters for the clock they
count in (minutes after a start, a time of day), and their own identifiers, so that no two
tests share a value by accident."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from graph_identity.domain.event_json import raw_event
from graph_identity.domain.events import RawEvent

#: An identifier as a test writes it: ``{"type": ..., "value": ...}`` or ``(type, value)``.
Ident = dict[str, str] | tuple[str, str]


def ident(kind: str, value: str) -> dict[str, str]:
    """An identifier in its JSON form."""
    return {"type": kind, "value": value}


def event(
    event_id: str, at: datetime | str, kind: str, *identifiers: Ident, **extra: Any
) -> dict[str, Any]:
    """An event in its JSON form; ``at`` an aware datetime or ISO-8601 text, ``extra`` the
    optional fields (``channel``, ``attributes``, ``idToken``)."""
    return {
        "id": event_id,
        "at": at.isoformat() if isinstance(at, datetime) else at,
        "type": kind,
        "identifiers": [i if isinstance(i, dict) else ident(*i) for i in identifiers],
        **extra,
    }


def raw(
    event_id: str, at: datetime | str, kind: str, *identifiers: Ident, **extra: Any
) -> RawEvent:
    """The same event as the store takes it, read by ``domain/event_json.py``."""
    return raw_event(event(event_id, at, kind, *identifiers, **extra))
