"""``ConsentState``: a person's standing decision for one purpose; ``WithheldReason``."""

from __future__ import annotations

import enum
from datetime import datetime

import strawberry

from graph_identity.domain.consent import ConsentDecision, Purpose


@strawberry.enum(description="Why a resolution answers without its person.")
class WithheldReason(enum.StrEnum):
    CONSENT = "CONSENT"


@strawberry.type(
    description="The latest consent decision for a purpose, by event time, and its event."
)
class ConsentState:
    purpose: Purpose
    granted: bool
    at: datetime
    event_id: strawberry.ID

    @classmethod
    def from_decision(cls, decision: ConsentDecision) -> ConsentState:
        return cls(
            purpose=decision.purpose,
            granted=decision.granted,
            at=decision.at,
            event_id=strawberry.ID(decision.event_id),
        )
