"""Fraud-team reads over the derived links: neighbourhoods and explanations."""

from __future__ import annotations

from typing import Any

from graph_identity.domain.identifiers import Identifier, IdentifierType
from graph_identity.domain.views import (
    ExplanationStepView,
    ExplanationView,
    GraphEdgeView,
    GraphNodeView,
    GraphView,
)
from graph_identity.store.core import StoreCore
from graph_identity.store.records import maybe_native, native

#: At most this many identifiers in one neighbourhood answer.
MAX_NEIGHBOURS = 500


def _edge(row: Any) -> GraphEdgeView:
    return GraphEdgeView(
        source=Identifier.from_key(row["a"]),
        target=Identifier.from_key(row["b"]),
        kind=row["kind"],
        strength=float(row["strength"]),
        count=int(row["count"]),
        first_seen=native(row["first"]),
        last_seen=native(row["last"]),
        cut_at=maybe_native(row["cutAt"]),
        merged=bool(row["merged"]),
    )


class GraphReads(StoreCore):
    async def neighborhood(self, identifier: Identifier, hops: int) -> GraphView:
        rows = await self.read(
            "graph/neighborhood", key=identifier.key, hops=hops, max=MAX_NEIGHBOURS
        )
        if not rows:
            nodes = await self.read("graph/node", key=identifier.key)
            return GraphView([_node(r) for r in nodes], [])
        row = rows[0]
        return GraphView([_node(n) for n in row["rows"]], [_edge(e) for e in row["links"]])

    async def explain(self, a: Identifier, b: Identifier) -> ExplanationView:
        owners = {
            r["key"]: r["person"] for r in await self.read("persons/owner", keys=[a.key, b.key])
        }
        pa, pb = owners.get(a.key), owners.get(b.key)
        views = await self.persons([p for p in (pa, pb) if p])
        by_id = {v.id: v for v in views if v is not None}
        person_a, person_b = by_id.get(pa or ""), by_id.get(pb or "")
        rows = await self.read("graph/explain", a=a.key, b=b.key)
        links = rows[0]["links"] if rows else []
        steps = [ExplanationStepView(_edge(r), list(r["evidence"] or [])) for r in links]
        joined = pa is not None and pa == pb
        if a == b:
            reason = "the same identifier"
        elif joined:
            reason = f"both belong to person {pa} through {len(steps)} link(s)"
        elif not rows:
            reason = "at least one of the identifiers is unknown"
        elif not steps:
            reason = "no chain of links joins them"
        else:
            refusals = sorted({r["refusal"] for r in links if r["refusal"]})
            why = "; ".join(refusals) if refusals else "weak or shared links"
            reason = f"linked but kept apart: {why}"
        return ExplanationView(joined, person_a, person_b, steps, reason)


def _node(row: Any) -> GraphNodeView:
    return GraphNodeView(
        type=IdentifierType(row["type"]),
        value=row["value"],
        person_ids=sorted(row["persons"]),
        shared=bool(row["shared"]),
        first_seen=native(row["first"]),
        last_seen=native(row["last"]),
    )
