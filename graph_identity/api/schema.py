# mypy: disallow-untyped-decorators=False
# (strawberry.field/mutation with options is typed as returning Any; the resolvers are typed)
"""The GraphQL schema (docs/api.md): root fields, their access and their checks.

Resolvers stay thin: check arguments (so bad input writes nothing), call the service,
convert read models with the types' ``from_view``. ``schema`` is the default build for
``strawberry export-schema``; the server builds its own with :func:`build_schema` and the
configured limits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from graphql import ASTValidationRule, GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
)
from strawberry.extensions.max_aliases import create_validator as alias_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule
from strawberry.types import ExecutionContext
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.utils.logging import StrawberryLogger

from graph_identity.api import guarded, validation
from graph_identity.api.context import Info
from graph_identity.api.cost import QueryCost, ValidationAfterCost
from graph_identity.api.errors import ErrorCodes, is_unexpected, masking
from graph_identity.api.id_tokens import verified_logins
from graph_identity.api.metrics import OperationMetrics
from graph_identity.api.paging import charged, paged
from graph_identity.api.parse_cache import ParsedDocuments
from graph_identity.api.permissions import AdminAccess, AgentAccess, FraudAccess, IngestAccess
from graph_identity.api.rules import guarded as crash_safe
from graph_identity.api.scalars import moment as checked_moment
from graph_identity.api.types.access import AccessEntry
from graph_identity.api.types.audit import AuditEntry, ForgetResult, SplitResult
from graph_identity.api.types.cluster import Cluster
from graph_identity.api.types.connection import Connection
from graph_identity.api.types.constraint import Constraint
from graph_identity.api.types.event import Event
from graph_identity.api.types.explanation import Explanation
from graph_identity.api.types.graph import Graph
from graph_identity.api.types.ingest import IngestResult
from graph_identity.api.types.inputs import EventInput, IdentifierInput
from graph_identity.api.types.person import Person
from graph_identity.api.types.resolution import Resolution
from graph_identity.api.types.shared import SharedIdentifier
from graph_identity.domain.consent import Purpose
from graph_identity.domain.errors import BadInput
from graph_identity.domain.identifiers import IdentifierType

DEFAULT_MAX_DEPTH = 12
MAX_ALIASES = 20
MAX_TOKENS = 4000
DEFAULT_MAX_COST = 20_000


@strawberry.type
class Query:
    @strawberry.field(
        description="A person by id; a merged-away id answers with the survivor.",
        permission_classes=[AgentAccess],
    )
    async def person(
        self, info: Info, id: strawberry.ID, purpose: Purpose | None = strawberry.UNSET
    ) -> Person | None:
        return await guarded.person(info, str(id), _given(purpose))

    @strawberry.field(
        description="Who an identifier belongs to, now or at a moment (`at`) in the past.",
        permission_classes=[AgentAccess],
    )
    async def resolve(
        self,
        info: Info,
        identifier: IdentifierInput,
        at: datetime | None = strawberry.UNSET,
        purpose: Purpose | None = strawberry.UNSET,
    ) -> Resolution:
        wanted = identifier.to_identifier(info.context.config, "identifier")
        moment = checked_moment(at, "at") if isinstance(at, datetime) else None
        return await guarded.resolve(info, wanted, moment, _given(purpose))

    @strawberry.field(
        description="Identifiers linked to at least `minPersons` persons, most shared first.",
        permission_classes=[FraudAccess],
    )
    async def shared_identifiers(
        self,
        info: Info,
        min_persons: int | None = 2,
        types: list[IdentifierType] | None = strawberry.UNSET,
        since: datetime | None = strawberry.UNSET,
        first: int | None = 50,
        after: str | None = strawberry.UNSET,
    ) -> Connection[SharedIdentifier]:
        least = validation.min_persons(min_persons)
        kinds = list(types) if isinstance(types, list) and types else None
        moment = checked_moment(since, "since") if isinstance(since, datetime) else None
        return await paged(
            first,
            after,
            lambda size, cursor: info.context.service.shared_identifiers(
                least, kinds, moment, size, cursor
            ),
            SharedIdentifier.from_view,
            charged(info, "sharedIdentifiers", lambda item: (p.id for p in item.persons)),
        )

    @strawberry.field(
        description="Groups of persons connected through shared identifiers, largest first, "
        "then by the busiest shared device's logins per hour.",
        permission_classes=[FraudAccess],
    )
    async def clusters(
        self,
        info: Info,
        min_persons: int | None = 2,
        first: int | None = 20,
        after: str | None = strawberry.UNSET,
    ) -> Connection[Cluster]:
        least = validation.min_persons(min_persons)
        return await paged(
            first,
            after,
            lambda size, cursor: info.context.service.clusters(least, size, cursor),
            Cluster.from_view,
            charged(info, "clusters", lambda cluster: (p.id for p in cluster.persons)),
        )

    @strawberry.field(
        description="The identifiers within `hops` links of one identifier (1 to 4).",
        permission_classes=[FraudAccess],
    )
    async def neighborhood(
        self, info: Info, identifier: IdentifierInput, hops: int | None = 2
    ) -> Graph:
        wanted = identifier.to_identifier(info.context.config, "identifier")
        view = await info.context.service.neighborhood(wanted, validation.hops(hops))
        governance = info.context.governance
        persons = [p for node in view.nodes for p in node.person_ids]
        governance.admit("neighborhood", governance.purpose(), persons)
        return Graph.from_view(view)

    @strawberry.field(
        description="Why `a` and `b` are, or are not, one person.",
        permission_classes=[FraudAccess],
    )
    async def explain(self, info: Info, a: IdentifierInput, b: IdentifierInput) -> Explanation:
        config = info.context.config
        view = await info.context.service.explain(
            a.to_identifier(config, "a"), b.to_identifier(config, "b")
        )
        governance = info.context.governance
        persons = [p.id for p in (view.person_a, view.person_b) if p is not None]
        governance.admit("explain", governance.purpose(), persons)
        return Explanation.from_view(view)

    @strawberry.field(
        description="One evidence event by id (as `explain` and timelines cite them); null "
        "when unknown or erased.",
        permission_classes=[FraudAccess],
    )
    async def event(self, info: Info, id: strawberry.ID) -> Event | None:
        view = await info.context.service.event(validation.event_id(id))
        return Event.from_view(view) if view else None

    @strawberry.field(
        description="Audited admin actions, newest first.", permission_classes=[AdminAccess]
    )
    async def audit_log(
        self, info: Info, first: int | None = 50, after: str | None = strawberry.UNSET
    ) -> Connection[AuditEntry]:
        return await paged(first, after, info.context.service.audit_log, AuditEntry.from_view)

    @strawberry.field(
        description="Cannot-link and must-link constraints, newest first, each with its reason "
        "and the audit entry behind it.",
        permission_classes=[AdminAccess],
    )
    async def constraints(
        self, info: Info, first: int | None = 50, after: str | None = strawberry.UNSET
    ) -> Connection[Constraint]:
        return await paged(first, after, info.context.service.constraints, Constraint.from_view)

    @strawberry.field(
        description="Who read persons' data, newest first: about one person (and the ids merged "
        "into it) and/or by one caller.",
        permission_classes=[AdminAccess],
    )
    async def access_log(
        self,
        info: Info,
        person_id: strawberry.ID | None = strawberry.UNSET,
        caller: str | None = strawberry.UNSET,
        first: int | None = 50,
        after: str | None = strawberry.UNSET,
    ) -> Connection[AccessEntry]:
        about = str(person_id) if isinstance(person_id, str) else None
        by = caller if isinstance(caller, str) else None
        return await paged(
            first,
            after,
            lambda size, cursor: guarded.access_log(info, about, by, size, cursor),
            AccessEntry.from_view,
        )


def _given(purpose: Purpose | None) -> Purpose | None:
    return purpose if isinstance(purpose, Purpose) else None


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Store and resolve up to the configured batch size (1000) of events. "
        "Replayed ids are counted as duplicates; refused events and identifiers are listed.",
        permission_classes=[IngestAccess],
    )
    async def ingest(self, info: Info, events: list[EventInput]) -> IngestResult:
        context = info.context
        limit = context.max_batch_events
        if not 1 <= len(events) <= limit:
            raise BadInput("events", f"must hold 1 to {limit} events, got {len(events)}")
        raw = [event.to_raw(f"events[{index}]") for index, event in enumerate(events)]
        verified = await verified_logins(context.id_tokens, raw)
        outcome = await context.service.ingest(raw, verified_ids=verified)
        if context.metrics is not None:
            context.metrics.record_ingest(
                outcome.accepted, outcome.duplicates, len(outcome.rejected)
            )
        return IngestResult.from_outcome(outcome)

    @strawberry.mutation(
        description="Move the named identifiers into a new person and keep the two apart "
        "from now on. The person id stays with the identifiers not named. `persons` lists "
        "every person the split produced; `dryRun: true` writes nothing and answers the same "
        "(new persons' ids in a dry run are placeholders).",
        permission_classes=[AdminAccess],
    )
    async def split_person(
        self,
        info: Info,
        person_id: strawberry.ID,
        identifiers: list[IdentifierInput],
        reason: str,
        dry_run: bool | None = False,
    ) -> SplitResult:
        why = validation.reason(reason)
        if not identifiers:
            raise BadInput("identifiers", "name at least one identifier to move")
        config = info.context.config
        moved = [i.to_identifier(config, f"identifiers[{n}]") for n, i in enumerate(identifiers)]
        outcome = await info.context.service.split_person(
            str(person_id), moved, why, info.context.principal.subject, dry_run=bool(dry_run)
        )
        return SplitResult.from_outcome(outcome)

    @strawberry.mutation(
        description="Join persons into one; the oldest id survives and the others resolve to it. "
        "A cannot-link between them refuses the merge unless `overrideCannotLink: true` (the "
        "audit entry names the constraints overridden). `dryRun: true` writes nothing and "
        "answers with the person that would result.",
        permission_classes=[AdminAccess],
    )
    async def merge_persons(
        self,
        info: Info,
        person_ids: list[strawberry.ID],
        reason: str,
        dry_run: bool | None = False,
        override_cannot_link: bool | None = False,
    ) -> Person:
        why = validation.reason(reason)
        ids = list(dict.fromkeys(str(i) for i in person_ids))
        if len(ids) < 2:
            raise BadInput("personIds", "name at least two different persons")
        view = await info.context.service.merge_persons(
            ids,
            why,
            info.context.principal.subject,
            dry_run=bool(dry_run),
            override_cannot_link=bool(override_cannot_link),
        )
        return Person.from_view(view)

    @strawberry.mutation(
        description="Erase a person, its identifiers and its events (the right to erasure).",
        permission_classes=[AdminAccess],
    )
    async def forget_person(
        self, info: Info, person_id: strawberry.ID, reason: str
    ) -> ForgetResult:
        why = validation.reason(reason)
        known = await info.context.persons.load(str(person_id))
        view = await info.context.service.forget_person(
            str(person_id), why, info.context.principal.subject
        )
        erased = {str(person_id), view.person_id, *(known.merged_ids if known else [])}
        await info.context.governance.access_log.forget(sorted(erased))
        return ForgetResult.from_view(view)

    @strawberry.mutation(
        description="Reverse an audited split or merge; answers with the new UNDO entry.",
        permission_classes=[AdminAccess],
    )
    async def undo(self, info: Info, audit_id: strawberry.ID, reason: str) -> AuditEntry:
        why = validation.reason(reason)
        view = await info.context.service.undo(str(audit_id), why, info.context.principal.subject)
        return AuditEntry.from_view(view)


class IdentitySchema(strawberry.Schema):
    """Logs only the errors it masks; refusals and bad input are the client's business."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            if is_unexpected(error):
                StrawberryLogger.error(error, execution_context)


def _root_field_names(built: strawberry.Schema) -> frozenset[str]:
    names: set[str] = set()
    for type_name in ("Query", "Mutation"):
        definition = built.get_type_by_name(type_name)
        if isinstance(definition, StrawberryObjectDefinition):
            names.update(built.config.name_converter.get_graphql_name(f) for f in definition.fields)
    return frozenset(names)


#: distinct query texts whose validation results are kept
QUERY_CACHE_SIZE = 256


def build_schema(
    max_query_depth: int = DEFAULT_MAX_DEPTH,
    max_query_cost: int = DEFAULT_MAX_COST,
    query_deadline: float | None = None,
) -> IdentitySchema:
    """The schema with its guards: depth, alias, token and cost limits, the read deadline,
    error codes and masking."""
    root_fields: set[str] = set()  # filled once the schema exists, read per request
    # the depth and alias rules are made once, so that validation results can be cached per
    # query text (an agent UI sends the same few queries all day)
    rules: list[type[ASTValidationRule]] = [
        crash_safe(depth_rule(max_query_depth, None, None)),
        alias_rule(MAX_ALIASES),
    ]
    extensions: list[Any] = [
        lambda: OperationMetrics(frozenset(root_fields)),
        lambda: AddValidationRules(rules),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: QueryCost(max_query_cost, query_deadline),  # before validation: see cost.py
        lambda: ValidationAfterCost(maxsize=QUERY_CACHE_SIZE),
        ParsedDocuments,
        masking,
        ErrorCodes,
    ]
    built = IdentitySchema(query=Query, mutation=Mutation, extensions=extensions)
    root_fields.update(_root_field_names(built))
    return built


schema = build_schema()
