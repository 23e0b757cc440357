# mypy: disallow-untyped-decorators=False
# (strawberry.field/mutation with options is typed as returning Any; the resolvers are typed)
"""``Graph``: the identifiers around one identifier and the links between them."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graph_identity.api.context import Info
from graph_identity.api.types.enums import LinkKind
from graph_identity.api.types.event import IdentifierRef
from graph_identity.api.types.person import Person
from graph_identity.domain.identifiers import IdentifierType
from graph_identity.domain.views import GraphEdgeView, GraphNodeView, GraphView


@strawberry.type(description="An identifier in a neighbourhood graph.")
class GraphNode:
    type: IdentifierType
    value: str
    person_ids: list[strawberry.ID] = strawberry.field(
        description="The owner, or for a shared identifier every person it is linked to."
    )
    shared: bool
    first_seen: datetime
    last_seen: datetime

    @strawberry.field(description="The persons of `personIds`.")
    async def persons(self, info: Info) -> list[Person]:
        views = await info.context.persons.load_many([str(i) for i in self.person_ids])
        return [Person.from_view(v) for v in views if v is not None]

    @classmethod
    def from_view(cls, view: GraphNodeView) -> GraphNode:
        return cls(
            type=view.type,
            value=view.value,
            person_ids=[strawberry.ID(i) for i in view.person_ids],
            shared=view.shared,
            first_seen=view.first_seen,
            last_seen=view.last_seen,
        )


@strawberry.type(description="A link between two identifiers, with the evidence behind it.")
class GraphEdge:
    source: IdentifierRef
    target: IdentifierRef
    kind: LinkKind = strawberry.field(description="The strongest evidence for this link.")
    strength: float
    count: int = strawberry.field(description="How many events observed this link.")
    first_seen: datetime
    last_seen: datetime
    cut_at: datetime | None = strawberry.field(
        description="When a logout ended the session this link rode on; later activity on the "
        "device does not follow it."
    )
    merged: bool = strawberry.field(
        description="Whether this link joined its ends into one person; never true for a link "
        "into a shared identifier (it joins nobody, as `explain` says)."
    )
    kept_apart_by: str | None = strawberry.field(
        default=None,
        description="Why this link joined nobody: a limit, an admin's split, a shared end, or "
        "a weak claim that its end's own evidence outweighs (conflicting evidence); null when "
        "it merged.",
    )

    @strawberry.field(description="Whether a logout has cut this link.")
    def cut(self) -> bool:
        return self.cut_at is not None

    @classmethod
    def from_view(cls, view: GraphEdgeView) -> GraphEdge:
        return cls(
            source=IdentifierRef.from_domain(view.source),
            target=IdentifierRef.from_domain(view.target),
            kind=LinkKind(view.kind),
            strength=view.strength,
            count=view.count,
            first_seen=view.first_seen,
            last_seen=view.last_seen,
            cut_at=view.cut_at,
            merged=view.merged,
            kept_apart_by=view.kept_apart_by,
        )


@strawberry.type(description="Identifiers (nodes) and the links between them (edges).")
class Graph:
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool = strawberry.field(
        description="True when a hub or a limit cut the walk: more lies beyond these nodes."
    )
    truncated_reason: str | None = strawberry.field(
        description="Why the walk was cut short (which hub, which limit); null when complete."
    )

    @classmethod
    def from_view(cls, view: GraphView) -> Graph:
        return cls(
            nodes=[GraphNode.from_view(n) for n in view.nodes],
            edges=[GraphEdge.from_view(e) for e in view.edges],
            truncated=view.truncated_reason is not None,
            truncated_reason=view.truncated_reason,
        )
