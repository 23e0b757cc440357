"""The store's face to the API: every read and write the GraphQL layer needs.

Implemented over Neo4j by the repositories in this package. Methods raise
``domain.errors.BadInput`` for input that cannot be accepted (nothing written) and
``domain.errors.NotFound`` for unknown ids.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from graph_identity.domain.events import RawEvent
from graph_identity.domain.identifiers import Identifier, IdentifierType
from graph_identity.domain.views import (
    AuditEntryView,
    ClusterView,
    ConstraintView,
    EventView,
    ExplanationView,
    ForgetView,
    GraphView,
    IngestOutcome,
    Page,
    PersonExplanationView,
    PersonView,
    ResolutionRef,
    ResolutionView,
    SharedIdentifierView,
    SplitOutcome,
    TimelineFilter,
)
from graph_identity.store.resolving import ResolveRead


class IdentityService(Protocol):
    async def ingest(self, events: list[RawEvent], *, verified_ids: set[str]) -> IngestOutcome:
        """Store and resolve a batch.

        ``verified_ids`` are the LOGIN event ids whose idToken checked out.
        """
        ...

    async def person(self, person_id: str) -> PersonView | None:
        """A person by id; a merged-away id answers with the survivor; None if unknown."""
        ...

    async def persons(self, person_ids: list[str]) -> list[PersonView | None]:
        """Batch form of :meth:`person`, in the same order (for DataLoaders)."""
        ...

    async def person_events(
        self, person_id: str, first: int, after: str | None, only: TimelineFilter | None = None
    ) -> Page[EventView]:
        """The person's journey timeline, newest first, narrowed by ``only``."""
        ...

    async def resolve(self, identifier: Identifier, at: datetime | None) -> ResolutionView: ...

    async def resolve_ref(self, identifier: Identifier, at: datetime | None) -> ResolutionRef:
        """:meth:`resolve` with persons as ids (the API loads what a query selects)."""
        ...

    async def resolve_read(
        self,
        identifier: Identifier,
        at: datetime | None,
        *,
        verified_since: datetime | None = None,
        consent: bool = False,
    ) -> ResolveRead:
        """:meth:`resolve_ref` with what governing it needs, from one statement."""
        ...

    async def event(self, event_id: str) -> EventView | None:
        """One evidence event by id; None when unknown or erased."""
        ...

    async def shared_identifiers(
        self,
        min_persons: int,
        types: list[IdentifierType] | None,
        since: datetime | None,
        first: int,
        after: str | None,
    ) -> Page[SharedIdentifierView]: ...

    async def neighborhood(self, identifier: Identifier, hops: int) -> GraphView: ...

    async def clusters(self, min_persons: int, first: int, after: str | None) -> Page[ClusterView]:
        """Persons connected through shared identifiers, largest and busiest first."""
        ...

    async def explain(self, a: Identifier, b: Identifier) -> ExplanationView: ...

    async def person_explanation(self, person_id: str) -> PersonExplanationView | None:
        """Each identifier of the person with its links to the others, strongest first."""
        ...

    async def split_person(
        self,
        person_id: str,
        identifiers: list[Identifier],
        reason: str,
        actor: str,
        *,
        dry_run: bool = False,
    ) -> SplitOutcome:
        """Every person the split produces; a dry run writes nothing and answers the same."""
        ...

    async def merge_persons(
        self,
        person_ids: list[str],
        reason: str,
        actor: str,
        *,
        dry_run: bool = False,
        override_cannot_link: bool = False,
    ) -> PersonView:
        """The merged person. A cannot-link between the persons refuses the merge (BadInput on
        ``overrideCannotLink``) unless ``override_cannot_link``; a dry run writes nothing."""
        ...

    async def forget_person(self, person_id: str, reason: str, actor: str) -> ForgetView: ...

    async def audit_log(self, first: int, after: str | None) -> Page[AuditEntryView]: ...

    async def constraints(self, first: int, after: str | None) -> Page[ConstraintView]:
        """Cannot-link and must-link constraints, newest first."""
        ...

    async def undo(self, audit_id: str, reason: str, actor: str) -> AuditEntryView:
        """Reverse a SPLIT or MERGE; erasure (FORGET) is final by design."""
        ...

    async def ready(self) -> bool:
        """Neo4j reachable and schema applied."""
        ...
