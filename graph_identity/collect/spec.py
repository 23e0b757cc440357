"""Segment Spec messages to graph-identity events: the mapping docs/collect.md describes.

Pure: a message (already parsed JSON) and the time it arrived go in, a :class:`Mapped` comes
out: the :class:`RawEvent` the GraphQL ``ingest`` would receive for the same facts, or the
reason the message is refused on its own, or nothing to store (``group``). Identifier values
are normalised later, by the same :func:`graph_identity.domain.events.prepare` as every event.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from graph_identity.collect.clock import BadTime, event_time
from graph_identity.domain.events import EventType, RawEvent, RawIdentifier
from graph_identity.domain.identifiers import IdentifierType

MESSAGE_TYPES = ("identify", "track", "page", "screen", "alias", "group")
AnonymousRule = Literal["auto", "cookie", "device"]


@dataclass(frozen=True, slots=True)
class SpecMapping:
    """The configurable part of the mapping (README "Collection" names the variables)."""

    signed_in: frozenset[str] = frozenset({"Signed In"})
    signed_out: frozenset[str] = frozenset({"Signed Out"})
    #: what ``anonymousId`` is: ``auto`` = a DEVICE when the message has ``context.app``
    #: (the mobile SDKs send it; the id is then per app install), else a COOKIE
    anonymous_id: AnonymousRule = "auto"


@dataclass(frozen=True, slots=True)
class Mapped:
    """One message's outcome: an event to ingest, a refusal, or nothing to store."""

    message_id: str
    event: RawEvent | None = None
    reason: str | None = None
    #: accepted and answered, but nothing to store (``group``)
    ignored: bool = False


@dataclass(slots=True)
class _Ids:
    found: list[RawIdentifier] = field(default_factory=list)

    def add(self, kind: IdentifierType, value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, str | int):
            return
        text = str(value)
        if text.strip() and RawIdentifier(kind, text) not in self.found:
            self.found.append(RawIdentifier(kind, text))


def map_message(
    message: Any,
    received_at: datetime,
    *,
    source: str,
    mapping: SpecMapping,
    type_hint: str | None = None,
    batch_sent_at: Any = None,
) -> Mapped:
    """Map one message; ``type_hint`` is the endpoint's type (``/v1/track``...), which a
    message's own ``type`` may repeat but not contradict."""
    if not isinstance(message, dict):
        return Mapped("", reason="message: expected a JSON object")
    message_id = _message_id(message)
    kind = message.get("type", type_hint)
    if type_hint is not None and kind != type_hint:
        return Mapped(message_id, reason=f"type: this endpoint takes {type_hint} messages")
    if kind not in MESSAGE_TYPES:
        return Mapped(message_id, reason=f"type: one of {', '.join(MESSAGE_TYPES)}")
    if message.get("userId") in (None, "") and message.get("anonymousId") in (None, ""):
        return Mapped(message_id, reason="userId or anonymousId: a message needs one of them")
    if kind == "group":
        return Mapped(message_id, ignored=True)
    try:
        at = event_time(message, received_at, batch_sent_at)
    except BadTime as exc:
        return Mapped(message_id, reason=str(exc))
    context = _object(message.get("context"))
    event_type, attributes = _type_and_attributes(kind, message, context, mapping)
    if event_type is None:
        return Mapped(message_id, reason=str(attributes))
    if kind == "alias" and message.get("previousId") in (None, ""):
        return Mapped(message_id, reason="previousId: an alias needs the id it joins to userId")
    ids = _identifiers(kind, message, context, mapping)
    token = context.get("idToken") if event_type is EventType.LOGIN else None
    event = RawEvent(
        id=message_id,
        at=at,
        type=event_type,
        identifiers=tuple(ids),
        channel="app" if kind == "screen" or "app" in context else "web",
        attributes={"source": source, **attributes},
        id_token=token if isinstance(token, str) and token else None,
    )
    return Mapped(message_id, event=event)


def _object(value: Any) -> dict[str, Any]:
    """A JSON object field, or an empty one when it is absent or not an object."""
    return value if isinstance(value, dict) else {}


def _message_id(message: dict[str, Any]) -> str:
    """``messageId``, or for a message without one a digest of its content: a re-sent copy
    gets the same id (so it changes nothing), whatever its ``sentAt``."""
    given = message.get("messageId")
    if isinstance(given, str | int) and not isinstance(given, bool) and str(given).strip():
        return str(given)
    content = {k: v for k, v in message.items() if k not in ("sentAt", "receivedAt", "writeKey")}
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode())
    return "sha256-" + digest.hexdigest()[:32]


def _type_and_attributes(
    kind: str, message: dict[str, Any], context: dict[str, Any], mapping: SpecMapping
) -> tuple[EventType | None, Any]:
    """The event type and its attributes; (None, reason) when the message cannot map."""
    properties = _object(message.get("properties"))
    if kind == "identify" or kind == "alias":
        return EventType.IDENTIFY, {"call": kind}
    if kind == "track":
        name = message.get("event")
        if not isinstance(name, str) or not name.strip():
            return None, "event: a track needs the event's name"
        if name in mapping.signed_in:
            return EventType.LOGIN, {"event": name}
        if name in mapping.signed_out:
            return EventType.LOGOUT, {"event": name}
        return EventType.TRACK, {"event": name, "properties": properties}
    page = _object(context.get("page"))
    details = {
        key: properties.get(key, page.get(key))
        for key in ("url", "path", "title", "referrer")
        if isinstance(properties.get(key, page.get(key)), str)
    }
    for key in ("name", "category"):
        if isinstance(message.get(key), str):
            details["screen" if kind == "screen" and key == "name" else key] = message[key]
    if isinstance(context.get("userAgent"), str):
        details["userAgent"] = context["userAgent"][:512]
    return EventType.PAGE_VIEW, details


def _identifiers(
    kind: str, message: dict[str, Any], context: dict[str, Any], mapping: SpecMapping
) -> list[RawIdentifier]:
    """anonymousId (and an alias's previousId), userId, context.device.id, and the email and
    phone of ``traits`` (identify) or ``context.traits`` (every call)."""
    ids = _Ids()
    carrier = _anonymous_type(context, mapping)
    if kind == "alias":
        ids.add(carrier, message.get("previousId"))
    ids.add(carrier, message.get("anonymousId"))
    ids.add(IdentifierType.ACCOUNT, message.get("userId"))
    device = context.get("device")
    if isinstance(device, dict):
        ids.add(IdentifierType.DEVICE, device.get("id"))
    for traits in (message.get("traits") if kind == "identify" else None, context.get("traits")):
        if isinstance(traits, dict):
            ids.add(IdentifierType.EMAIL, traits.get("email"))
            ids.add(IdentifierType.PHONE, traits.get("phone"))
    return ids.found


def _anonymous_type(context: dict[str, Any], mapping: SpecMapping) -> IdentifierType:
    if mapping.anonymous_id == "device" or (mapping.anonymous_id == "auto" and "app" in context):
        return IdentifierType.DEVICE
    return IdentifierType.COOKIE
