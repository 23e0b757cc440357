"""The admin's constraints list: every cannot-link and must-link, why, and which audit entry
made it (contract section 8, ``constraints``)."""

from __future__ import annotations

from typing import Any

from graph_identity.domain.identifiers import Identifier
from graph_identity.domain.views import ConstraintView, Page
from graph_identity.store.core import StoreCore, decode_time_cursor, encode_cursor
from graph_identity.store.records import native

#: what constraints made before they named their audit entry carry instead of its id
UNNAMED_AUDIT = "pending"


def _constraint_view(row: Any) -> ConstraintView:
    sides = [[Identifier.from_key(k) for k in sorted(s["keys"])] for s in row["sides"] if s]
    audit = row["audit"]
    return ConstraintView(
        id=row["id"],
        kind=row["kind"],
        active=bool(row["active"]),
        created_at=native(row["at"]),
        reason=row["reason"],
        audit_id=None if audit in (None, UNNAMED_AUDIT) else audit,
        sides=sides,
    )


class ConstraintReads(StoreCore):
    async def constraints(self, first: int, after: str | None) -> Page[ConstraintView]:
        after_at, after_id = decode_time_cursor(after)
        rows = await self.read(
            "admin/list_constraints", after_at=after_at, after_id=after_id, limit=first + 1
        )
        views = [_constraint_view(r) for r in rows]
        items = [(encode_cursor(v.created_at.isoformat(), v.id), v) for v in views[:first]]
        return Page(items, len(views) > first)
