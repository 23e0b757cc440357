"""Fraud-team reads: neighbourhoods and explanations.

Links are not stored; they are derived when asked, by resolving the region around the
identifiers in a read transaction with the same function ingest uses. What the fraud team sees
is therefore exactly what made (or refused) the merge, never a stale copy.
"""

from __future__ import annotations

from typing import Any

import neo4j
from neo4j import AsyncManagedTransaction

from graph_identity.domain.graph import IdentifierLink, chain, identifier_links, within_hops
from graph_identity.domain.identifiers import Identifier, IdentifierType
from graph_identity.domain.resolution import resolve
from graph_identity.domain.views import (
    ExplanationStepView,
    ExplanationView,
    GraphEdgeView,
    GraphNodeView,
    GraphView,
)
from graph_identity.store.reads import PersonReads
from graph_identity.store.records import native
from graph_identity.store.region import load_region

#: At most this many identifiers in one neighbourhood answer.
MAX_NEIGHBOURS = 500


def edge_view(link: IdentifierLink) -> GraphEdgeView:
    return GraphEdgeView(
        source=Identifier.from_key(link.a),
        target=Identifier.from_key(link.b),
        kind=link.kind.name,
        strength=link.strength,
        count=link.count,
        first_seen=link.first,
        last_seen=link.last,
        cut_at=link.cut_at,
        merged=link.merged,
        kept_apart_by=link.refusal,
    )


def _node(row: Any) -> GraphNodeView:
    return GraphNodeView(
        type=IdentifierType(row["type"]),
        value=row["value"],
        person_ids=sorted(row["persons"]),
        shared=bool(row["shared"]),
        first_seen=native(row["first"]),
        last_seen=native(row["last"]),
    )


class GraphReads(PersonReads):
    async def links_around(self, seeds: set[str]) -> tuple[list[IdentifierLink], set[str]]:
        """The identifier links of the region around ``seeds``, as resolution sees them, and
        the hubs the region did not walk past (their other links are not among them)."""

        async def work(tx: AsyncManagedTransaction) -> tuple[list[IdentifierLink], set[str]]:
            region = await load_region(tx, seeds, self.config, cache=self.events)
            hubs = frozenset(region.boundary | region.windowed)
            partition = resolve(
                region.events.values(), self.config, region.constraints, fixed_shared=hubs
            )
            return identifier_links(partition, self.config), set(hubs)

        async with self.driver.session(
            database=self.database, default_access_mode=neo4j.READ_ACCESS
        ) as session:
            found: tuple[list[IdentifierLink], set[str]] = await session.execute_read(work)
        return found

    async def neighborhood(self, identifier: Identifier, hops: int) -> GraphView:
        links, hubs = await self.links_around({identifier.key})
        reach = within_hops(links, identifier.key, hops, MAX_NEIGHBOURS)
        keys = reach.keys
        nodes = [_node(r) for r in await self.read("graph/nodes", keys=sorted(keys))]
        if not nodes:
            return GraphView([], [])
        edges = [edge_view(link) for link in links if link.a in keys and link.b in keys]
        reasons = [f"at most {MAX_NEIGHBOURS} identifiers are returned"] if reach.capped else []
        if crossed := sorted(keys & hubs):
            reasons.append(
                f"hub(s) shared by {self.config.hub_persons} or more persons are not walked "
                f"past: {', '.join(crossed)}"
            )
        return GraphView(nodes, edges, "; ".join(reasons) or None)

    async def explain(self, a: Identifier, b: Identifier) -> ExplanationView:
        rows = await self.read("persons/owner", keys=[a.key, b.key])
        owners = {r["key"]: r["person"] for r in rows}
        pa, pb = owners.get(a.key), owners.get(b.key)
        views = await self.persons([p for p in (pa, pb) if p])
        by_id = {v.id: v for v in views if v is not None}
        person_a, person_b = by_id.get(pa or ""), by_id.get(pb or "")
        known = {r["key"] for r in await self.read("graph/nodes", keys=[a.key, b.key])}
        links = (await self.links_around(known))[0] if known else []
        path = chain(links, a.key, b.key)
        steps = [ExplanationStepView(edge_view(link), list(link.evidence)) for link in path]
        joined = pa is not None and pa == pb
        if a == b:
            reason = "the same identifier"
        elif len(known) < 2:
            reason = "at least one of the identifiers is unknown"
        elif joined:
            reason = f"both belong to person {pa} through {len(steps)} link(s)"
        elif not steps:
            reason = "no chain of links joins them"
        else:
            on_path = sorted({k for link in path for k in (link.a, link.b)})
            shared = [r["key"] for r in await self.read("graph/nodes", keys=on_path) if r["shared"]]
            why = sorted({link.refusal for link in path if link.refusal})
            if shared:  # say which identifier is shared rather than that one is
                why = [w for w in why if w != "shared identifier"]
                why += [f"{key} is shared, so it joins nobody" for key in shared]
            reason = "linked but kept apart: " + "; ".join(why or ["different persons"])
        return ExplanationView(joined, person_a, person_b, steps, reason)
