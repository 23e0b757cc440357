"""The fraud team's clusters (``clusters`` in docs/api.md): persons connected through
shared identifiers, with what they share and how fast their shared devices see logins."""

from __future__ import annotations

from graph_identity.domain.clusters import find_clusters, rank
from graph_identity.domain.identifiers import Identifier, IdentifierType
from graph_identity.domain.views import (
    ClusterView,
    LoginVelocityView,
    Page,
    SharedIdentifierView,
)
from graph_identity.store.core import decode_offset_cursor, encode_cursor
from graph_identity.store.reads import PersonReads
from graph_identity.store.records import native


class ClusterReads(PersonReads):
    async def clusters(self, min_persons: int, first: int, after: str | None) -> Page[ClusterView]:
        """Ranked clusters of at least ``min_persons`` persons; the cursor is a position."""
        skip = decode_offset_cursor(after)
        rows = {r["key"]: r for r in await self.read("clusters/shared_links")}
        shapes = find_clusters({k: list(r["persons"]) for k, r in rows.items()}, min_persons)
        carriers = sorted(
            k for k in rows if Identifier.from_key(k).is_carrier
        )  # logins ride on cookies and devices
        counts = {
            r["key"]: (int(r["logins"]), int(r["peak"]))
            for r in await self.read("clusters/login_velocity", keys=carriers)
        }
        ranked = rank(shapes, {k: peak for k, (_, peak) in counts.items()})
        page = ranked[skip : skip + first]
        ids = sorted({p for c in page for p in c.persons})
        views = {v.id: v for v in await self.persons(ids) if v is not None}
        items = []
        for n, shape in enumerate(page):
            persons = [views[p] for p in shape.persons if p in views]
            shared = [
                SharedIdentifierView(
                    IdentifierType(rows[k]["type"]),
                    rows[k]["value"],
                    len(rows[k]["persons"]),
                    [views[p] for p in sorted(rows[k]["persons"]) if p in views],
                    native(rows[k]["lastSeen"]),
                )
                for k in shape.shared
            ]
            velocity = sorted(
                (
                    LoginVelocityView(Identifier.from_key(k), *counts[k])
                    for k in shape.shared
                    if k in counts
                ),
                key=lambda v: (-v.peak_per_hour, -v.logins, v.identifier.key),
            )
            view = ClusterView(shape.id, persons, shared, velocity)
            items.append((encode_cursor(str(skip + n + 1)), view))
        return Page(items, len(ranked) > skip + first)
