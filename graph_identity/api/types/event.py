"""``Event`` (a timeline entry) and ``Identifier`` (a bare type and value)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graph_identity.api.scalars import JSON
from graph_identity.domain.events import EventType
from graph_identity.domain.identifiers import Identifier as DomainIdentifier
from graph_identity.domain.identifiers import IdentifierType
from graph_identity.domain.views import EventView


@strawberry.type(name="Identifier")
class IdentifierRef:
    type: IdentifierType
    value: str

    @classmethod
    def from_domain(cls, identifier: DomainIdentifier) -> IdentifierRef:
        return cls(type=identifier.type, value=identifier.value)


@strawberry.type(description="One event of a journey, as stored (normalised identifiers).")
class Event:
    id: strawberry.ID
    at: datetime
    type: EventType
    channel: str | None
    identifiers: list[IdentifierRef]
    attributes: JSON | None

    @classmethod
    def from_view(cls, view: EventView) -> Event:
        return cls(
            id=strawberry.ID(view.id),
            at=view.at,
            type=view.type,
            channel=view.channel,
            identifiers=[IdentifierRef.from_domain(i) for i in view.identifiers],
            attributes=view.attributes,
        )
