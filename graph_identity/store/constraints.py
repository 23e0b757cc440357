"""Admin constraints: how splits and merges record them, how a merge that overrides a
cannot-link narrows it, and the admin's list of them with why and which audit entry made each
(``constraints`` in docs/api.md; what a cannot-link does: docs/resolution.md)."""

from __future__ import annotations

import secrets
from typing import Any

from neo4j import AsyncManagedTransaction

from graph_identity.domain.identifiers import Identifier
from graph_identity.domain.views import ConstraintView, Page
from graph_identity.store.core import StoreCore, decode_time_cursor, encode_cursor
from graph_identity.store.records import native
from graph_identity.store.tx import run

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


async def create_constraint(
    tx: AsyncManagedTransaction, kind: str, sides: list[set[str]], audit: str, reason: str
) -> str:
    """Record a constraint with the admin's reason and the audit entry that made it."""
    cid = "c_" + secrets.token_hex(8)
    members = [{"key": k, "side": n} for n, keys in enumerate(sides) for k in sorted(keys)]
    await run(
        tx,
        "admin/create_constraint",
        id=cid,
        kind=kind,
        members=members,
        audit=audit,
        reason=reason,
    )
    return cid


async def blocking_cannot_links(
    tx: AsyncManagedTransaction, members: dict[str, set[str]]
) -> list[dict[str, Any]]:
    """Active cannot-links with one side in one member person and the other in another."""
    everything = set().union(*members.values())
    found: dict[str, dict[str, Any]] = {}
    for owned in members.values():
        rows = await run(
            tx, "admin/cannot_links_between", a=sorted(owned), b=sorted(everything - owned)
        )
        for row in rows:
            found.setdefault(row["id"], dict(row))
    return [found[k] for k in sorted(found)]


def narrowed(sides: list[list[str]], merged: set[str]) -> list[set[str]] | None:
    """What is left of a cannot-link once ``merged`` is one person: the merged identifiers
    leave one side, so the constraint still keeps everything else apart (a merge of two pieces
    of a split does not silently re-join the piece that kept the id). None when nothing is."""
    first, second = (set(side) for side in sides)
    for keep, trim in ((first, second - merged), (first - merged, second)):
        if keep and trim:
            return [keep, trim]
    return None


class ConstraintReads(StoreCore):
    async def constraints(self, first: int, after: str | None) -> Page[ConstraintView]:
        after_at, after_id = decode_time_cursor(after)
        rows = await self.read(
            "admin/list_constraints", after_at=after_at, after_id=after_id, limit=first + 1
        )
        views = [_constraint_view(r) for r in rows]
        items = [(encode_cursor(v.created_at.isoformat(), v.id), v) for v in views[:first]]
        return Page(items, len(views) > first)
