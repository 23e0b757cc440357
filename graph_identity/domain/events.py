"""Events as they arrive (docs/events.md) and their validated, normalised form."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.consent import InvalidConsent, parse_decision
from graph_identity.domain.identifiers import (
    BlockedIdentifier,
    Identifier,
    IdentifierType,
    InvalidIdentifier,
    normalise,
)
from graph_identity.domain.values import (
    TIME_RANGE,
    attributes_problem,
    string_problem,
    to_utc,
)

MAX_IDENTIFIERS = 20
MAX_ATTRIBUTES_BYTES = 16_384
MAX_EVENT_ID_LENGTH = 256
MAX_CHANNEL_LENGTH = 64
MAX_TRACK_NAME_LENGTH = 200


class EventType(enum.StrEnum):
    LOGIN = "LOGIN"
    LOGOUT = "LOGOUT"
    IDENTIFY = "IDENTIFY"
    PAGE_VIEW = "PAGE_VIEW"
    CHAT = "CHAT"
    CALL = "CALL"
    MESSAGE = "MESSAGE"
    FORM_SUBMIT = "FORM_SUBMIT"
    PURCHASE = "PURCHASE"
    CONSENT = "CONSENT"
    #: a custom touchpoint that keeps its own name in ``attributes.event`` (a collected
    #: Segment ``track`` such as "Order Completed": docs/collect.md)
    TRACK = "TRACK"

    @property
    def is_touchpoint(self) -> bool:
        return self not in (EventType.LOGIN, EventType.LOGOUT, EventType.IDENTIFY)


@dataclass(frozen=True, slots=True)
class RawIdentifier:
    type: IdentifierType
    value: str


@dataclass(frozen=True, slots=True)
class RawEvent:
    """An event as a client sent it, before normalisation."""

    id: str
    at: datetime
    type: EventType
    identifiers: tuple[RawIdentifier, ...]
    channel: str | None = None
    attributes: Any = None
    id_token: str | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """A normalised event: what the graph stores. ``at`` is always in UTC."""

    id: str
    at: datetime
    type: EventType
    identifiers: tuple[Identifier, ...]
    channel: str | None = None
    attributes: Any = None
    verified: bool = False

    @property
    def accounts(self) -> tuple[Identifier, ...]:
        return tuple(i for i in self.identifiers if i.type is IdentifierType.ACCOUNT)

    @property
    def carriers(self) -> tuple[Identifier, ...]:
        return tuple(i for i in self.identifiers if i.is_carrier)


@dataclass(slots=True)
class Prepared:
    """The outcome of :func:`prepare`: the event to store (if any) and what was refused."""

    event: Event | None
    rejections: list[str] = field(default_factory=list)


def prepare(raw: RawEvent, config: ResolutionConfig, *, verified: bool = False) -> Prepared:
    """Validate and normalise one event.

    An invalid identifier is refused on its own (the event keeps the others); blocked
    placeholders are dropped silently; the event itself is refused when nothing usable is left
    or its shape breaks the contract (a LOGIN or LOGOUT needs exactly one ACCOUNT).
    """
    problems: list[str] = []
    if not raw.id or len(raw.id) > MAX_EVENT_ID_LENGTH:
        return Prepared(None, [f"id: must be 1 to {MAX_EVENT_ID_LENGTH} characters"])
    if raw.at.tzinfo is None:
        return Prepared(None, ["at: needs a UTC offset"])
    at = to_utc(raw.at)
    if at is None:
        return Prepared(None, [f"at: {TIME_RANGE}"])
    if problem := _strings_problem(raw):
        return Prepared(None, [problem])
    if not 1 <= len(raw.identifiers) <= MAX_IDENTIFIERS:
        return Prepared(None, [f"identifiers: must hold 1 to {MAX_IDENTIFIERS} entries"])
    if raw.channel is not None and len(raw.channel) > MAX_CHANNEL_LENGTH:
        return Prepared(None, [f"channel: at most {MAX_CHANNEL_LENGTH} characters"])
    if raw.attributes is not None:
        if problem := attributes_problem(raw.attributes):
            return Prepared(None, [f"attributes: {problem}"])
        size = len(json.dumps(raw.attributes, allow_nan=False).encode())
        if size > MAX_ATTRIBUTES_BYTES:
            return Prepared(None, [f"attributes: larger than {MAX_ATTRIBUTES_BYTES} bytes"])
    if raw.type is EventType.CONSENT:
        try:
            parse_decision(raw.attributes)
        except InvalidConsent as exc:
            return Prepared(None, [str(exc)])
    if raw.type is EventType.TRACK and (problem := track_name_problem(raw.attributes)):
        return Prepared(None, [problem])
    kept: list[Identifier] = []
    for index, item in enumerate(raw.identifiers):
        try:
            ident = normalise(
                item.type,
                item.value,
                default_region=config.default_region,
                blocked=config.blocked_values,
            )
        except BlockedIdentifier:
            continue
        except InvalidIdentifier as exc:
            problems.append(f"identifiers[{index}] ({item.type.value}): {exc}")
            continue
        if ident not in kept:
            kept.append(ident)
    accounts = [i for i in kept if i.type is IdentifierType.ACCOUNT]
    if raw.type in (EventType.LOGIN, EventType.LOGOUT):
        if len(accounts) != 1:
            problems.append(f"identifiers: a {raw.type.value} needs exactly one valid ACCOUNT")
            return Prepared(None, problems)
        if not any(i.is_carrier for i in kept):
            problems.append(f"identifiers: a {raw.type.value} needs a COOKIE or DEVICE")
            return Prepared(None, problems)
    if not kept:
        problems.append("identifiers: no usable identifier left")
        return Prepared(None, problems)
    event = Event(
        id=raw.id,
        at=at,
        type=raw.type,
        identifiers=tuple(sorted(kept)),
        channel=raw.channel,
        attributes=raw.attributes,
        verified=verified and raw.type is EventType.LOGIN,
    )
    return Prepared(event, problems)


def _strings_problem(raw: RawEvent) -> str | None:
    """The first of the event's strings that cannot be stored, as a rejection reason."""
    named = [("id", raw.id), ("channel", raw.channel or ""), ("idToken", raw.id_token or "")]
    named += [(f"identifiers[{n}].value", i.value) for n, i in enumerate(raw.identifiers)]
    for name, text in named:
        if problem := string_problem(text):
            return f"{name}: {problem}"
    return None


def track_name_problem(attributes: Any) -> str | None:
    """Why a TRACK event's name (``attributes.event``) is missing or unusable, else None."""
    name = attributes.get("event") if isinstance(attributes, dict) else None
    if not isinstance(name, str) or not name.strip():
        return 'attributes.event: a TRACK needs its event name, e.g. {"event": "Order Completed"}'
    if len(name) > MAX_TRACK_NAME_LENGTH:
        return f"attributes.event: at most {MAX_TRACK_NAME_LENGTH} characters"
    return None
