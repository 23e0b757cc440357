"""``Constraint``: an admin's cannot-link or must-link, its reason and its audit entry."""

from __future__ import annotations

import enum
from datetime import datetime

import strawberry

from graph_identity.api.types.event import IdentifierRef
from graph_identity.domain.views import ConstraintView


@strawberry.enum(description="What an admin constraint does.")
class ConstraintKind(enum.StrEnum):
    CANNOT_LINK = "CANNOT_LINK"
    MUST_LINK = "MUST_LINK"


@strawberry.type(
    description="An admin decision that resolution obeys: CANNOT_LINK keeps its two sides "
    "apart (made by a split), MUST_LINK keeps its one side together (made by a split of "
    "several identifiers or by a merge)."
)
class Constraint:
    id: strawberry.ID
    kind: ConstraintKind
    active: bool = strawberry.field(description="False once undone or overridden by a merge.")
    created_at: datetime
    reason: str | None = strawberry.field(description="The admin's reason for the action.")
    audit_id: strawberry.ID | None = strawberry.field(
        description="The audit entry (split or merge) that made this constraint."
    )
    sides: list[list[IdentifierRef]] = strawberry.field(
        description="The identifiers of each side (one side for MUST_LINK)."
    )

    @classmethod
    def from_view(cls, view: ConstraintView) -> Constraint:
        return cls(
            id=strawberry.ID(view.id),
            kind=ConstraintKind(view.kind),
            active=view.active,
            created_at=view.created_at,
            reason=view.reason,
            audit_id=strawberry.ID(view.audit_id) if view.audit_id else None,
            sides=[[IdentifierRef.from_domain(i) for i in side] for side in view.sides],
        )
