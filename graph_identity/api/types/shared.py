"""``SharedIdentifier``: a device, cookie or contact point linked to several persons."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graph_identity.api.types.person import Person
from graph_identity.domain.identifiers import IdentifierType
from graph_identity.domain.views import SharedIdentifierView


@strawberry.type(description="An identifier owned by no one because several persons use it.")
class SharedIdentifier:
    type: IdentifierType
    value: str
    person_count: int
    persons: list[Person]
    last_seen: datetime

    @classmethod
    def from_view(cls, view: SharedIdentifierView) -> SharedIdentifier:
        return cls(
            type=view.type,
            value=view.value,
            person_count=view.person_count,
            persons=[Person.from_view(p) for p in view.persons],
            last_seen=view.last_seen,
        )
