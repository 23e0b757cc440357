"""Admin outcomes: ``AuditEntry``, ``SplitResult`` and ``ForgetResult``."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graph_identity.api.scalars import JSON
from graph_identity.api.types.enums import AuditAction
from graph_identity.api.types.person import Person
from graph_identity.domain.views import AuditEntryView, ForgetView, SplitOutcome


@strawberry.type(description="One audited admin action: who, when, why, and to whom.")
class AuditEntry:
    id: strawberry.ID
    at: datetime
    actor: str
    action: AuditAction
    reason: str
    person_ids: list[strawberry.ID]
    details: JSON
    undone_by: strawberry.ID | None = strawberry.field(
        description="The UNDO entry that reversed this one, if any."
    )

    @classmethod
    def from_view(cls, view: AuditEntryView) -> AuditEntry:
        return cls(
            id=strawberry.ID(view.id),
            at=view.at,
            actor=view.actor,
            action=AuditAction(view.action),
            reason=view.reason,
            person_ids=[strawberry.ID(i) for i in view.person_ids],
            details=JSON(view.details),
            undone_by=strawberry.ID(view.undone_by) if view.undone_by else None,
        )


@strawberry.type(description="The two sides of a split: `kept` keeps the id.")
class SplitResult:
    kept: Person
    split: Person
    persons: list[Person] = strawberry.field(
        description="Every person the split produced: `kept`, `split`, then any other piece "
        "that hung together only through the identifiers moved out."
    )

    @classmethod
    def from_outcome(cls, outcome: SplitOutcome) -> SplitResult:
        return cls(
            kept=Person.from_view(outcome.kept),
            split=Person.from_view(outcome.split),
            persons=[Person.from_view(p) for p in outcome.persons],
        )


@strawberry.type(description="What an erasure removed. Erasure is final: it cannot be undone.")
class ForgetResult:
    person_id: strawberry.ID
    identifiers_removed: int
    events_removed: int
    audit_id: strawberry.ID

    @classmethod
    def from_view(cls, view: ForgetView) -> ForgetResult:
        return cls(
            person_id=strawberry.ID(view.person_id),
            identifiers_removed=view.identifiers_removed,
            events_removed=view.events_removed,
            audit_id=strawberry.ID(view.audit_id),
        )
