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
from graph_identity.domain.events import EventType
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
    """A person id, with its stored fields read only when a query selects one of them.

    ``view`` is set when the caller already holds the person read in full; otherwise the
    first selected field loads it through the request's DataLoader (one batched read for
    every person of a response). A new field is one more method reading :meth:`loaded`.
    ``limited_to`` marks a candidate an agent met through a shared identifier: it shows only
    that identifier, no merged ids, timeline, consent or explanation (docs/api.md, "What an
    agent sees of other persons").
    """

    id: strawberry.ID
    view: strawberry.Private[PersonView | None] = None
    limited_to: strawberry.Private[Identifier | None] = None

    async def loaded(self, info: Info) -> PersonView:
        if self.view is None:
            view = await info.context.persons.load(str(self.id))
            # erased between the two reads of this request: an empty person, not an error
            self.view = view if view is not None else PersonView(str(self.id), [], [])
        return self.view

    @strawberry.field
    async def identifiers(self, info: Info) -> list[PersonIdentifier]:
        views = (await self.loaded(info)).identifiers
        if (only := self.limited_to) is not None:
            views = [i for i in views if (i.type, i.value) == (only.type, only.value)]
        return [PersonIdentifier.from_view(i) for i in views]

    @strawberry.field(description="Ids merged into this person; each still resolves to it.")
    async def merged_ids(self, info: Info) -> list[strawberry.ID]:
        if self.limited_to is not None:
            return []
        return [strawberry.ID(i) for i in (await self.loaded(info)).merged_ids]

    @strawberry.field(
        description="The journey timeline, newest first: events of any of `types` and of "
        "`channels`, at or after `since` and before `until` (each left out: no filter)."
    )
    async def events(
        self,
        info: Info,
        first: int | None = 50,
        after: str | None = strawberry.UNSET,
        types: list[EventType] | None = strawberry.UNSET,
        channels: list[str] | None = strawberry.UNSET,
        since: datetime | None = strawberry.UNSET,
        until: datetime | None = strawberry.UNSET,
    ) -> Connection[Event]:
        size, cursor = validation.page_size(first), validation.cursor(after)
        only = validation.timeline_filter(
            types if isinstance(types, list) else None,
            channels if isinstance(channels, list) else None,
            since if isinstance(since, datetime) else None,
            until if isinstance(until, datetime) else None,
        )
        if self.limited_to is not None:
            return Connection.from_page(Page([], False), Event.from_view)
        governance = info.context.governance
        governance.admit("person.events", governance.purpose_for(str(self.id)), [str(self.id)])
        page = await info.context.service.person_events(str(self.id), size, cursor, only)
        return Connection.from_page(page, Event.from_view)

    @strawberry.field(description="The standing consent decision per purpose (latest by time).")
    async def consent(self, info: Info) -> list[ConsentState]:
        if self.limited_to is not None:
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

        limited = self.limited_to is not None
        view = None if limited else await info.context.service.person_explanation(self.id)
        if view is None:
            return PersonExplanation.empty(self.id)
        return PersonExplanation.from_view(view)

    @classmethod
    def from_view(cls, view: PersonView) -> Person:
        return cls(id=strawberry.ID(view.id), view=view)

    @classmethod
    def of(cls, person_id: str, limited_to: Identifier | None = None) -> Person:
        """The person ``person_id`` (a current id, not a merged-away one), loaded on demand;
        ``limited_to``: see the class docstring."""
        return cls(id=strawberry.ID(person_id), limited_to=limited_to)
