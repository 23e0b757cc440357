"""Consent, purposes and assurance (docs/resolution.md, docs/api.md): pure rules, no database.

A person's consent for a purpose is the latest ``CONSENT`` decision by event time (ties broken
by event id) among the events attributed to it; because it is derived from the attribution at
read time, merges, splits and undo recompute it without state of their own. When a person has
made no decision, the purpose's configured default applies; ``always`` purposes answer
whatever the person decided (service and fraud prevention rest on contract and legitimate
interest, not consent).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any


class Purpose(enum.StrEnum):
    SERVICE = "SERVICE"
    PERSONALIZATION = "PERSONALIZATION"
    MARKETING = "MARKETING"
    ANALYTICS = "ANALYTICS"
    FRAUD_PREVENTION = "FRAUD_PREVENTION"


class Assurance(enum.StrEnum):
    VERIFIED = "VERIFIED"
    HIGH = "HIGH"
    LOW = "LOW"
    AMBIGUOUS = "AMBIGUOUS"
    UNKNOWN = "UNKNOWN"


class Default(enum.StrEnum):
    """What a purpose answers when the person decided nothing (``always``: whatever it decided)."""

    ALWAYS = "always"
    GRANT = "grant"
    DENY = "deny"


DEFAULTS: Mapping[Purpose, Default] = {
    Purpose.SERVICE: Default.ALWAYS,
    Purpose.FRAUD_PREVENTION: Default.ALWAYS,
    Purpose.PERSONALIZATION: Default.GRANT,
    Purpose.ANALYTICS: Default.GRANT,
    Purpose.MARKETING: Default.DENY,
}


class InvalidConsent(ValueError):
    """A CONSENT event's attributes break the contract; the message names the field."""


@dataclass(frozen=True, slots=True)
class ConsentDecision:
    """One stored decision: the purpose, granted or not, when, and the event that said so."""

    purpose: Purpose
    granted: bool
    at: datetime
    event_id: str


def parse_decision(attributes: Any) -> tuple[Purpose, bool]:
    """``{"purpose": "<Purpose>", "granted": true|false}`` checked; InvalidConsent otherwise."""
    if not isinstance(attributes, dict):
        raise InvalidConsent('attributes: a CONSENT needs {"purpose": ..., "granted": ...}')
    try:
        purpose = Purpose(str(attributes.get("purpose")))
    except ValueError as exc:
        names = ", ".join(p.value for p in Purpose)
        raise InvalidConsent(f"attributes.purpose: must be one of {names}") from exc
    granted = attributes.get("granted")
    if not isinstance(granted, bool):
        raise InvalidConsent("attributes.granted: must be true or false")
    return purpose, granted


def latest_decisions(decisions: Iterable[ConsentDecision]) -> list[ConsentDecision]:
    """The standing decision per purpose: latest by event time, then event id; in enum order."""
    standing: dict[Purpose, ConsentDecision] = {}
    for decision in decisions:
        held = standing.get(decision.purpose)
        if held is None or (decision.at, decision.event_id) > (held.at, held.event_id):
            standing[decision.purpose] = decision
    return [standing[p] for p in Purpose if p in standing]


@dataclass(frozen=True, slots=True)
class ConsentPolicy:
    """Per-purpose defaults (``GRAPH_IDENTITY_CONSENT_DEFAULTS``)."""

    defaults: Mapping[Purpose, Default] = field(default_factory=lambda: dict(DEFAULTS))

    def asks_consent(self, purpose: Purpose) -> bool:
        """Whether the person's decisions matter for ``purpose`` (not an ``always`` purpose)."""
        return self.defaults.get(purpose, Default.DENY) is not Default.ALWAYS

    def allows(self, purpose: Purpose, standing: Iterable[ConsentDecision]) -> bool:
        """Whether a read for ``purpose`` may see a person with these standing decisions."""
        if not self.asks_consent(purpose):
            return True
        for decision in standing:
            if decision.purpose is purpose:
                return decision.granted
        return self.defaults.get(purpose) is Default.GRANT

    @classmethod
    def parse(cls, text: str | None, variable: str) -> ConsentPolicy:
        """``"MARKETING:deny,ANALYTICS:grant"`` over :data:`DEFAULTS`; names ``variable``."""
        defaults = dict(DEFAULTS)
        for item in filter(None, (p.strip() for p in (text or "").split(","))):
            name, _, value = item.partition(":")
            try:
                defaults[Purpose(name.strip().upper())] = Default(value.strip().lower())
            except ValueError as exc:
                raise ValueError(
                    f"{variable}: expected PURPOSE:always|grant|deny entries; got {item!r}"
                ) from exc
        return cls(defaults)


@dataclass(frozen=True, slots=True)
class AssurancePolicy:
    """Thresholds: HIGH from ``high`` confidence up, VERIFIED within ``verified_window``."""

    high: float = 0.9
    verified_window: timedelta = timedelta(hours=24)

    def level(
        self, *, has_person: bool, confidence: float, candidates: int, verified: bool
    ) -> Assurance:
        """The level of one resolution answer (see README "Assurance")."""
        if not has_person:
            return Assurance.AMBIGUOUS if candidates else Assurance.UNKNOWN
        if verified:
            return Assurance.VERIFIED
        return Assurance.HIGH if confidence >= self.high else Assurance.LOW
