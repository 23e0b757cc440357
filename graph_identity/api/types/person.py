# mypy: disallow-untyped-decorators=False
# (strawberry.field/mutation with options is typed as returning Any; the resolvers are typed)
"""``Person``, its identifiers and its journey timeline."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graph_identity.api import validation
from graph_identity.api.context import Info
from graph_identity.api.types.connection import Connection
from graph_identity.api.types.event import Event
from graph_identity.domain.events import EventType
from graph_identity.domain.identifiers import IdentifierType
from graph_identity.domain.views import PersonIdentifierView, PersonView


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
    """

    id: strawberry.ID
    view: strawberry.Private[PersonView | None] = None

    async def loaded(self, info: Info) -> PersonView:
        if self.view is None:
            view = await info.context.persons.load(str(self.id))
            # erased between the two reads of this request: an empty person, not an error
            self.view = view if view is not None else PersonView(str(self.id), [], [])
        return self.view

    @strawberry.field
    async def identifiers(self, info: Info) -> list[PersonIdentifier]:
        return [PersonIdentifier.from_view(i) for i in (await self.loaded(info)).identifiers]

    @strawberry.field(description="Ids merged into this person; each still resolves to it.")
    async def merged_ids(self, info: Info) -> list[strawberry.ID]:
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
        only = validation.timeline_filter(
            types if isinstance(types, list) else None,
            channels if isinstance(channels, list) else None,
            since if isinstance(since, datetime) else None,
            until if isinstance(until, datetime) else None,
        )
        page = await info.context.service.person_events(
            str(self.id), validation.page_size(first), validation.cursor(after), only
        )
        return Connection.from_page(page, Event.from_view)

    @classmethod
    def from_view(cls, view: PersonView) -> Person:
        return cls(id=strawberry.ID(view.id), view=view)

    @classmethod
    def of(cls, person_id: str) -> Person:
        """The person ``person_id`` (a current id, not a merged-away one), loaded on demand."""
        return cls(id=strawberry.ID(person_id))
