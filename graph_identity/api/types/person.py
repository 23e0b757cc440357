# mypy: disallow-untyped-decorators=False
# (strawberry.field/mutation with options is typed as returning Any; the resolvers are typed)
"""``Person``, its identifiers and its journey timeline."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from graph_identity.api import validation
from graph_identity.api.context import Info
from graph_identity.api.types.connection import Connection
from graph_identity.api.types.consent import ConsentState
from graph_identity.api.types.event import Event
from graph_identity.domain.identifiers import Identifier, IdentifierType
from graph_identity.domain.views import Page, PersonIdentifierView, PersonView

if TYPE_CHECKING:
    from graph_identity.api.types.person_explanation import PersonExplanation


@strawberry.type(description="An identifier as linked to one person, with that person's view.")
class PersonIdentifier:
    type: IdentifierType
    value: str
    confidence: float
    shared: bool = strawberry.field(
        description="Owned by no one: linked to several persons (a household iPad)."
    )
    first_seen: datetime
    last_seen: datetime

    @classmethod
    def from_view(cls, view: PersonIdentifierView) -> PersonIdentifier:
        return cls(
            type=view.type,
            value=view.value,
            confidence=view.confidence,
            shared=view.shared,
            first_seen=view.first_seen,
            last_seen=view.last_seen,
        )


@strawberry.type(description="A resolved person: identifiers joined by strong enough links.")
class Person:
    id: strawberry.ID
    identifiers: list[PersonIdentifier]
    merged_ids: list[strawberry.ID] = strawberry.field(
        description="Ids merged into this person; each still resolves to it."
    )
    #: a candidate an agent met through a shared identifier: only that identifier, no
    #: timeline and no explanation (docs/api.md, "What an agent sees of other persons")
    limited: strawberry.Private[bool] = False

    @strawberry.field(description="The journey timeline, newest first.")
    async def events(
        self, info: Info, first: int | None = 50, after: str | None = strawberry.UNSET
    ) -> Connection[Event]:
        size, cursor = validation.page_size(first), validation.cursor(after)
        if self.limited:
            return Connection.from_page(Page([], False), Event.from_view)
        governance = info.context.governance
        governance.admit("person.events", governance.purpose_for(str(self.id)), [str(self.id)])
        page = await info.context.service.person_events(str(self.id), size, cursor)
        return Connection.from_page(page, Event.from_view)

    @strawberry.field(description="The standing consent decision per purpose (latest by time).")
    async def consent(self, info: Info) -> list[ConsentState]:
        if self.limited:
            return []
        decisions = await info.context.governance.standing(str(self.id))
        return [ConsentState.from_decision(d) for d in decisions]

    @strawberry.field(
        description="How this person was built: each identifier's links to the others with "
        "their evidence events, strongest first."
    )
    async def explanation(
        self, info: Info
    ) -> Annotated[
        PersonExplanation, strawberry.lazy("graph_identity.api.types.person_explanation")
    ]:
        from graph_identity.api.types.person_explanation import PersonExplanation

        view = None if self.limited else await info.context.service.person_explanation(self.id)
        if view is None:
            return PersonExplanation.empty(self.id)
        return PersonExplanation.from_view(view)

    @classmethod
    def from_view(cls, view: PersonView) -> Person:
        return cls(
            id=strawberry.ID(view.id),
            identifiers=[PersonIdentifier.from_view(i) for i in view.identifiers],
            merged_ids=[strawberry.ID(i) for i in view.merged_ids],
        )

    @classmethod
    def limited_to(cls, view: PersonView, identifier: Identifier) -> Person:
        """What an agent sees of a candidate met through ``identifier``: its id and that
        identifier as linked to it; no other identifiers, no timeline, no explanation."""
        person = cls.from_view(view)
        person.identifiers = [
            i
            for i in person.identifiers
            if (i.type, i.value) == (identifier.type, identifier.value)
        ]
        person.merged_ids = []
        person.limited = True
        return person
