"""Admin corrections: split, merge, erase, undo, all audited (who, when, why, what).

Each correction records its decision as evidence (cannot-link / must-link constraints), then
re-resolves the affected region with the same function as ingest, so later events respect it.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from neo4j import AsyncManagedTransaction

from graph_identity.domain.errors import BadInput, NotFound
from graph_identity.domain.identifiers import Identifier
from graph_identity.domain.views import (
    AuditEntryView,
    ForgetView,
    Page,
    PersonView,
    SplitOutcome,
)
from graph_identity.store.constraints import (
    blocking_cannot_links,
    create_constraint,
    narrowed,
)
from graph_identity.store.core import (
    decode_time_cursor,
    encode_cursor,
)
from graph_identity.store.erasure import deny_hash, scrub_audit
from graph_identity.store.reads import PersonReads, person_view
from graph_identity.store.records import native
from graph_identity.store.tx import run
from graph_identity.store.writeback import new_person_id


async def _current(tx: AsyncManagedTransaction, person_id: str, field: str) -> tuple[str, set[str]]:
    rows = await run(tx, "admin/current_person", id=person_id)
    if not rows:
        raise NotFound(f"{field}: no person {person_id!r}")
    owned = {i["key"] for i in rows[0]["identifiers"] if not i["shared"]}
    return rows[0]["id"], owned


def _audit_id() -> str:
    return "a_" + secrets.token_hex(8)


async def _audit(
    tx: AsyncManagedTransaction,
    action: str,
    actor: str,
    reason: str,
    person_ids: list[str],
    details: dict[str, Any],
    audit_id: str | None = None,
) -> str:
    audit_id = audit_id or _audit_id()
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


class _DryRun(Exception):  # not an error: carries a dry run's answer out of the tx
    """Raised at the end of a dry run's transaction so that the driver rolls it back."""

    def __init__(self, result: Any) -> None:
        super().__init__("dry run")
        self.result = result


async def _views(tx: AsyncManagedTransaction, person_ids: list[str]) -> list[PersonView]:
    """Persons as this transaction sees them (a dry run's answer exists nowhere else)."""
    rows = await run(tx, "persons/read", ids=person_ids)
    views = [person_view(r["id"], r["identifiers"], r["merged"]) for r in rows if r["id"]]
    return list({v.id: v for v in views}.values())


class AdminOps(PersonReads):
    """The admin half of ``IdentityService``."""

    async def _write(self, fn: Any, *args: Any, dry_run: bool = False) -> Any:
        """Run ``fn`` in one write transaction; a dry run rolls it back and still answers."""

        async def body(tx: AsyncManagedTransaction) -> Any:
            result = await fn(tx, *args)
            if dry_run:
                raise _DryRun(result)
            return result

        async with self.driver.session(database=self.database) as session:
            try:
                return await session.execute_write(body)
            except _DryRun as rolled_back:
                return rolled_back.result

    async def split_person(
        self,
        person_id: str,
        identifiers: list[Identifier],
        reason: str,
        actor: str,
        *,
        dry_run: bool = False,
    ) -> SplitOutcome:
        reason = _reason(reason)
        if not identifiers:
            raise BadInput("identifiers", "name at least one identifier to split off")

        async def work(tx: AsyncManagedTransaction) -> SplitOutcome:
            await run(tx, "ingest/lock")
            pid, owned = await _current(tx, person_id, "personId")
            named = {i.key for i in identifiers}
            if missing := sorted(named - owned):
                raise BadInput("identifiers", f"not owned by person {pid}: {', '.join(missing)}")
            rest = owned - named
            if not rest:
                raise BadInput("identifiers", "a split must leave the person something")
            new_id = new_person_id()
            audit_id = _audit_id()
            constraints = [
                await create_constraint(tx, "CANNOT_LINK", [named, rest], audit_id, reason)
            ]
            if len(named) > 1:
                constraints.append(
                    await create_constraint(tx, "MUST_LINK", [named], audit_id, reason)
                )
            hints = {k: new_id for k in named} | {k: pid for k in rest}
            await self.recompute(tx, owned, hints=hints)
            owners = {
                r["key"]: r["person"] for r in await run(tx, "persons/owner", keys=sorted(owned))
            }
            if any(owners.get(k) == pid for k in named) or pid not in owners.values():
                # raising rolls the whole split back: constraint, recompute and audit
                raise BadInput("identifiers", "these identifiers cannot be split off this person")
            new_id = owners.get(min(named)) or new_id
            # a split can leave more than two persons: the rest may have hung together only
            # through what was moved out; every one of them is reported
            others = sorted({p for p in owners.values() if p and p not in (pid, new_id)})
            produced = [pid, new_id, *others]
            await _audit(
                tx,
                "SPLIT",
                actor,
                reason,
                produced,
                {"constraints": constraints, "named": sorted(named), "kept": pid,
                 "split": new_id, "persons": produced},
                audit_id,
            )  # fmt: skip
            views = {v.id: v for v in await _views(tx, produced)}
            if pid not in views or new_id not in views:
                raise NotFound("personId: the split left no person behind")
            return SplitOutcome(views[pid], views[new_id], [views[p] for p in produced])

        outcome: SplitOutcome = await self._write(work, dry_run=dry_run)
        return outcome

    async def merge_persons(
        self,
        person_ids: list[str],
        reason: str,
        actor: str,
        *,
        dry_run: bool = False,
        override_cannot_link: bool = False,
    ) -> PersonView:
        reason = _reason(reason)
        if len(set(person_ids)) < 2:
            raise BadInput("personIds", "name at least two different persons")

        async def work(tx: AsyncManagedTransaction) -> PersonView:
            await run(tx, "ingest/lock")
            members: dict[str, set[str]] = {}
            for pid in person_ids:
                current, owned = await _current(tx, pid, "personIds")
                members[current] = owned
            if len(members) < 2:
                raise BadInput("personIds", "these ids already name one person")
            everything = set().union(*members.values())
            blocking = await blocking_cannot_links(tx, members)
            if blocking and not override_cannot_link:
                named = ", ".join(f"{c['id']} ({c['reason']})" for c in blocking)
                raise BadInput(
                    "overrideCannotLink",
                    f"cannot-link constraint(s) keep these persons apart: {named}; pass "
                    "overrideCannotLink: true to merge them anyway",
                )
            audit_id = _audit_id()
            deactivated = [c["id"] for c in blocking]
            await run(tx, "admin/set_active", ids=deactivated, active=False)
            replacements = [
                await create_constraint(tx, "CANNOT_LINK", sides, audit_id, c["reason"])
                for c in blocking
                if (sides := narrowed(c["sides"], everything))
            ]
            must = await create_constraint(tx, "MUST_LINK", [everything], audit_id, reason)
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
                    "overriddenCannotLinks": deactivated,
                    "narrowed": replacements,
                    "members": {p: sorted(k) for p, k in members.items()},
                    "survivor": survivor[0],
                    "groups": len(set(ids.values())),
                },
                audit_id,
            )
            views = await _views(tx, [survivor[0]])
            if not views:
                raise NotFound("personIds: the merge left no person behind")
            return views[0]

        view: PersonView = await self._write(work, dry_run=dry_run)
        return view

    async def forget_person(self, person_id: str, reason: str, actor: str) -> ForgetView:
        reason = _reason(reason)

        async def work(tx: AsyncManagedTransaction) -> ForgetView:
            await run(tx, "ingest/lock")
            pid, _ = await _current(tx, person_id, "personId")
            scope = (await run(tx, "admin/forget_scope", id=pid))[0]
            owned, events, neighbours = scope["owned"], scope["events"], scope["neighbours"]
            key = await self.deny_key(tx)
            hashes = [deny_hash(key, "identifier", k) for k in owned]
            hashes += [deny_hash(key, "event", e) for e in events]
            await run(tx, "admin/forget_apply", id=pid, hashes=hashes, events=events, keys=owned)
            scrubbed = await scrub_audit(tx, owned)
            self.events.drop(events)
            if neighbours:
                await run(tx, "admin/reseen", keys=neighbours)
                await self.recompute(tx, set(neighbours))
            audit_id = await _audit(
                tx,
                "FORGET",
                actor,
                reason,
                [pid],
                {"identifiers": len(owned), "events": len(events), "auditScrubbed": scrubbed},
            )
            return ForgetView(pid, len(owned), len(events), audit_id)

        result: ForgetView = await self._write(work)
        return result

    async def audit_log(self, first: int, after: str | None) -> Page[AuditEntryView]:
        after_at, after_id = decode_time_cursor(after)
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
                retire = [details["constraint"], *details.get("narrowed", [])]
                await run(tx, "admin/set_active", ids=retire, active=False)
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
