"""Events in their JSON form (the API's ``EventInput``: ``id``, ``at``, ``type``,
``identifiers``, ``channel``, ``attributes``, ``idToken``), read into :class:`RawEvent` for the
bulk loader, the demo, the benchmarks and the tests. See docs/events.md.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from graph_identity.domain.events import EventType, RawEvent, RawIdentifier
from graph_identity.domain.identifiers import IdentifierType


class BadLine(ValueError):
    """A line that is not an event; the message says which field is wrong."""


def _text(obj: dict[str, Any], name: str, *, required: bool = True) -> str | None:
    value = obj.get(name)
    if value is None:
        if required:
            raise BadLine(f"{name}: missing")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise BadLine(f"{name}: must be a string")
    return str(value)


def raw_event(obj: object) -> RawEvent:
    """An event from its JSON form (the contract's ``EventInput``); BadLine when malformed."""
    if not isinstance(obj, dict):
        raise BadLine("not a JSON object")
    at_text = _text(obj, "at") or ""
    try:
        at = datetime.fromisoformat(at_text)
    except ValueError as exc:
        raise BadLine(f"at: not an ISO-8601 date-time: {at_text!r}") from exc
    if at.tzinfo is None:
        raise BadLine("at: needs a UTC offset")
    try:
        kind = EventType(str(obj.get("type")))
    except ValueError as exc:
        raise BadLine(f"type: not an event type: {obj.get('type')!r}") from exc
    items = obj.get("identifiers")
    if not isinstance(items, list):
        raise BadLine("identifiers: must be a list")
    identifiers = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("value"), str):
            raise BadLine(f"identifiers[{index}]: needs a type and a string value")
        try:
            identifiers.append(RawIdentifier(IdentifierType(str(item.get("type"))), item["value"]))
        except ValueError as exc:
            raise BadLine(
                f"identifiers[{index}].type: not an identifier type: {item.get('type')!r}"
            ) from exc
    return RawEvent(
        id=_text(obj, "id") or "",
        at=at,
        type=kind,
        identifiers=tuple(identifiers),
        channel=_text(obj, "channel", required=False),
        attributes=obj.get("attributes"),
        id_token=_text(obj, "idToken", required=False),
    )
