"""``AccessEntry``: one operation's reads of persons within one request."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graph_identity.domain.access import AccessEntryView
from graph_identity.domain.consent import Purpose


@strawberry.type(
    description="Who read which persons, in what role, for what purpose, when and how. "
    "Never holds identifier values; an erased person's id is gone, its count stays."
)
class AccessEntry:
    at: datetime
    caller: str = strawberry.field(description="The key's label, or the OIDC subject.")
    role: str
    purpose: Purpose | None
    operation: str = strawberry.field(
        description="The field read: person, resolve, person.events, sharedIdentifiers, "
        "neighborhood or explain."
    )
    person_ids: list[strawberry.ID]
    person_count: int = strawberry.field(
        description="How many persons were read, erased ones included."
    )

    @classmethod
    def from_view(cls, view: AccessEntryView) -> AccessEntry:
        return cls(
            at=view.at,
            caller=view.caller,
            role=view.role,
            purpose=view.purpose,
            operation=view.operation,
            person_ids=[strawberry.ID(p) for p in view.person_ids],
            person_count=view.person_count,
        )
