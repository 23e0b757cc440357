"""Admin corrections: split, merge, erase, undo, all audited (who, when, why, what).

Each correction records its decision as evidence (cannot-link / must-link constraints), then
re-resolves the affected region with the same function as ingest, so later events respect it.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime
from typing import Any

from neo4j import AsyncManagedTransaction

from graph_identity.domain.errors import BadInput, NotFound
from graph_identity.domain.identifiers import Identifier
from graph_identity.domain.views import AuditEntryView, ForgetView, Page, PersonView
from graph_identity.store.core import decode_cursor, encode_cursor, forgotten_hash
from graph_identity.store.reads import PersonReads
from graph_identity.store.records import native
from graph_identity.store.tx import run
from graph_identity.store.writeback import new_person_id


async def _current(tx: AsyncManagedTransaction, person_id: str, field: str) -> tuple[str, set[str]]:
    rows = await run(tx, "admin/current_person", id=person_id)
    if not rows:
        raise NotFound(f"{field}: no person {person_id!r}")
    owned = {i["key"] for i in rows[0]["identifiers"] if not i["shared"]}
    return rows[0]["id"], owned


async def _constraint(
    tx: AsyncManagedTransaction, kind: str, sides: list[set[str]], audit: str
) -> str:
    cid = "c_" + secrets.token_hex(8)
    members = [{"key": k, "side": n} for n, keys in enumerate(sides) for k in sorted(keys)]
    await run(tx, "admin/create_constraint", id=cid, kind=kind, members=members, audit=audit)
    return cid


async def _audit(
    tx: AsyncManagedTransaction,
    action: str,
    actor: str,
    reason: str,
    person_ids: list[str],
    details: dict[str, Any],
) -> str:
    audit_id = "a_" + secrets.token_hex(8)
    await run(
        tx,
        "admin/write_audit",
        id=audit_id,
        actor=actor,
        action=action,
        reason=reason,
        personIds=person_ids,
        details=json.dumps(details),
    )
    return audit_id


def _reason(reason: str) -> str:
    if not reason.strip():
        raise BadInput("reason", "must not be empty")
    return reason.strip()


class AdminOps(PersonReads):
    """The admin half of ``IdentityService``."""

    async def _write(self, fn: Any, *args: Any) -> Any:
        async with self.driver.session(database=self.database) as session:
            return await session.execute_write(fn, *args)

    async def split_person(
        self, person_id: str, identifiers: list[Identifier], reason: str, actor: str
    ) -> tuple[PersonView, PersonView]:
        reason = _reason(reason)
        if not identifiers:
            raise BadInput("identifiers", "name at least one identifier to split off")

        async def work(tx: AsyncManagedTransaction) -> tuple[str, str]:
            await run(tx, "ingest/lock")
            pid, owned = await _current(tx, person_id, "personId")
            named = {i.key for i in identifiers}
            if missing := sorted(named - owned):
                raise BadInput("identifiers", f"not owned by person {pid}: {', '.join(missing)}")
            rest = owned - named
            if not rest:
                raise BadInput("identifiers", "a split must leave the person something")
            new_id = new_person_id()
            audit_ref = "pending"
            constraints = [await _constraint(tx, "CANNOT_LINK", [named, rest], audit_ref)]
            if len(named) > 1:
                constraints.append(await _constraint(tx, "MUST_LINK", [named], audit_ref))
            hints = {k: new_id for k in named} | {k: pid for k in rest}
            await self.recompute(tx, owned, hints=hints)
            owners = {
                r["key"]: r["person"] for r in await run(tx, "persons/owner", keys=sorted(owned))
            }
            if any(owners.get(k) == pid for k in named) or pid not in owners.values():
                # raising rolls the whole split back: constraint, recompute and audit
                raise BadInput("identifiers", "these identifiers cannot be split off this person")
            new_id = owners.get(min(named)) or new_id
            await _audit(
                tx,
                "SPLIT",
                actor,
                reason,
                [pid, new_id],
                {"constraints": constraints, "named": sorted(named), "kept": pid,
                 "split": new_id},
            )  # fmt: skip
            return pid, new_id

        kept_id, split_id = await self._write(work)
        kept, split = await self.persons([kept_id, split_id])
        if kept is None or split is None:
            raise NotFound("personId: the split left no person behind")
        return kept, split

    async def merge_persons(self, person_ids: list[str], reason: str, actor: str) -> PersonView:
        reason = _reason(reason)
        if len(set(person_ids)) < 2:
            raise BadInput("personIds", "name at least two different persons")

        async def work(tx: AsyncManagedTransaction) -> str:
            await run(tx, "ingest/lock")
            members: dict[str, set[str]] = {}
            for pid in person_ids:
                current, owned = await _current(tx, pid, "personIds")
                members[current] = owned
            if len(members) < 2:
                raise BadInput("personIds", "these ids already name one person")
            everything = set().union(*members.values())
            deactivated: list[str] = []
            for owned in members.values():
                others = everything - owned
                rows = await run(
                    tx, "admin/cannot_links_between", a=sorted(owned), b=sorted(others)
                )
                deactivated += [c for c in rows[0]["ids"] if c not in deactivated]
            await run(tx, "admin/set_active", ids=deactivated, active=False)
            must = await _constraint(tx, "MUST_LINK", [everything], "pending")
            ids = await self.recompute(tx, everything)
            survivor = await _current(tx, sorted(members)[0], "personIds")
            await _audit(
                tx,
                "MERGE",
                actor,
                reason,
                sorted(members),
                {
                    "constraint": must,
                    "deactivated": deactivated,
                    "members": {p: sorted(k) for p, k in members.items()},
                    "survivor": survivor[0],
                    "groups": len(set(ids.values())),
                },
            )
            return survivor[0]

        survivor_id = await self._write(work)
        view = await self.person(survivor_id)
        if view is None:
            raise NotFound("personIds: the merge left no person behind")
        return view

    async def forget_person(self, person_id: str, reason: str, actor: str) -> ForgetView:
        reason = _reason(reason)

        async def work(tx: AsyncManagedTransaction) -> ForgetView:
            await run(tx, "ingest/lock")
            pid, _ = await _current(tx, person_id, "personId")
            scope = (await run(tx, "admin/forget_scope", id=pid))[0]
            owned, events, neighbours = scope["owned"], scope["events"], scope["neighbours"]
            hashes = [forgotten_hash("identifier", k) for k in owned]
            hashes += [forgotten_hash("event", e) for e in events]
            await run(tx, "admin/forget_apply", id=pid, hashes=hashes, events=events, keys=owned)
            self.events.drop(events)
            if neighbours:
                await self.recompute(tx, set(neighbours))
            audit_id = await _audit(
                tx,
                "FORGET",
                actor,
                reason,
                [pid],
                {"identifiers": len(owned), "events": len(events)},
            )
            return ForgetView(pid, len(owned), len(events), audit_id)

        result: ForgetView = await self._write(work)
        return result

    async def audit_log(self, first: int, after: str | None) -> Page[AuditEntryView]:
        after_at: datetime | None = None
        after_id: str | None = None
        if after:
            at_text, after_id = decode_cursor(after, 2)
            after_at = datetime.fromisoformat(at_text)
        rows = await self.read(
            "admin/read_audit", id=None, after_at=after_at, after_id=after_id, limit=first + 1
        )
        items = [(encode_cursor(v.at.isoformat(), v.id), v) for v in map(_audit_view, rows)]
        return Page(items[:first], len(items) > first)

    async def undo(self, audit_id: str, reason: str, actor: str) -> AuditEntryView:
        reason = _reason(reason)

        async def work(tx: AsyncManagedTransaction) -> str:
            await run(tx, "ingest/lock")
            rows = await run(
                tx, "admin/read_audit", id=audit_id, after_at=None, after_id=None, limit=1
            )
            if not rows:
                raise NotFound(f"auditId: no audit entry {audit_id!r}")
            entry = _audit_view(rows[0])
            if entry.undone_by:
                raise BadInput("auditId", f"already undone by {entry.undone_by}")
            details = entry.details
            if entry.action == "SPLIT":
                await run(tx, "admin/set_active", ids=details["constraints"], active=False)
                kept, keys = await _current(tx, details["kept"], "auditId")
                _, split_keys = await self._members_if_any(tx, details["split"])
                everything = keys | split_keys | set(details["named"])
                await self.recompute(tx, everything, hints={k: kept for k in everything})
            elif entry.action == "MERGE":
                await run(tx, "admin/set_active", ids=[details["constraint"]], active=False)
                await run(tx, "admin/set_active", ids=details["deactivated"], active=True)
                members: dict[str, list[str]] = details["members"]
                await run(
                    tx,
                    "writeback/revive_alias",
                    ids=[p for p in members if p != details["survivor"]],
                )
                hints = {k: p for p, keys in members.items() for k in keys}
                await self.recompute(tx, set(hints), hints=hints)
            else:
                raise BadInput("auditId", f"a {entry.action} cannot be undone")
            undo_id = await _audit(
                tx, "UNDO", actor, reason, entry.person_ids, {"undoes": entry.id}
            )
            await run(tx, "admin/mark_undone", id=entry.id, by=undo_id)
            return undo_id

        undo_id = await self._write(work)
        rows = await self.read(
            "admin/read_audit", id=undo_id, after_at=None, after_id=None, limit=1
        )
        return _audit_view(rows[0])

    async def _members_if_any(
        self, tx: AsyncManagedTransaction, person_id: str
    ) -> tuple[str | None, set[str]]:
        try:
            return await _current(tx, person_id, "auditId")
        except NotFound:
            return None, set()


def _audit_view(row: Any) -> AuditEntryView:
    return AuditEntryView(
        id=row["id"],
        at=native(row["at"]),
        actor=row["actor"],
        action=row["action"],
        reason=row["reason"],
        person_ids=list(row["personIds"]),
        details=json.loads(row["details"]),
        undone_by=row["undoneBy"],
    )
