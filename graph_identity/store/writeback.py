"""Write a recomputed region back: persons with stable ids, memberships, links, timelines.

Only the region's *core* identifiers are rewritten. Ids follow the overlap rule: a group that
holds an identifier owned by a person outside the core keeps that person; otherwise an admin
hint decides, then the oldest old person among its members; a person that loses everything
becomes an alias of the group that took most of its identifiers.
"""

from __future__ import annotations

import json
import secrets
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from neo4j import AsyncManagedTransaction

from graph_identity.domain.resolution import Partition
from graph_identity.domain.segments import Segment
from graph_identity.store.records import from_epoch_us
from graph_identity.store.region import Region
from graph_identity.store.tx import collected, run

#: identifier key -> (person id, listed as shared, person's earliest evidence) for each person
Old = dict[str, list[tuple[str, bool, datetime]]]


def new_person_id() -> str:
    return "p_" + secrets.token_hex(10)


def _assign_ids(
    partition: Partition,
    core: set[str],
    old: Old,
    hints: dict[str, str],
) -> dict[str, str]:
    members: dict[str, list[str]] = defaultdict(list)
    for m in partition.memberships:
        members[m.person].append(m.identifier)
    assigned: dict[str, str] = {}
    taken: set[str] = set()

    def give(group: str, person: str) -> None:
        assigned[group] = person
        taken.add(person)

    for group, keys in sorted(members.items()):  # a: anchored outside the core
        for key in sorted(keys):
            if key in core or key in partition.shared:
                continue
            owners = [p for p, shared, _ in old.get(key, []) if not shared]
            if owners and owners[0] not in taken:
                give(group, owners[0])
                break
    for group, keys in sorted(members.items()):  # b: admin hints
        if group in assigned:
            continue
        votes = Counter(hints[k] for k in keys if k in hints and hints[k] not in taken)
        if votes:
            give(group, min(votes, key=lambda p: (-votes[p], p)))
    since: dict[str, datetime] = {}
    overlap: dict[str, Counter[str]] = defaultdict(Counter)
    for key in core:
        for person, shared, person_since in old.get(key, []):
            since[person] = person_since
            if not shared and key in partition.owner:
                overlap[person][partition.owner[key]] += 1
    for person in sorted(since, key=lambda p: (since[p], p)):  # c: oldest person first
        if person in taken:
            continue
        free = {g: n for g, n in overlap[person].items() if g not in assigned}
        if free:
            give(min(free, key=lambda g: (-free[g], g)), person)
    for group in sorted(members):  # d: new persons
        if group not in assigned:
            give(group, new_person_id())
    return assigned


def _segments_json(segments: list[Segment], partition: Partition, ids: dict[str, str]) -> str:
    def iso(value: datetime | None) -> str | None:
        return None if value is None else value.isoformat()

    rows = []
    for s in segments:
        group = partition.segment_group.get(s.element)
        rows.append(
            {
                "start": iso(s.start),
                "end": iso(s.end),
                "account": s.account,
                "cut": s.cut,
                "person": ids.get(group) if group else None,
                "confidence": partition.segment_confidence.get(s.element, 0.0),
            }
        )
    return json.dumps(rows)


@dataclass(slots=True)
class WritePlan:
    """Every row a write-back sends, statement by statement, in the order they must run."""

    ids: dict[str, str]  # group -> person id
    steps: list[tuple[str, str, list[Any]]] = field(default_factory=list)  # (query, param, rows)


def old_memberships(rows: Iterable[Any]) -> Old:
    old: Old = defaultdict(list)
    for row in rows:
        since = from_epoch_us(row["since_us"])
        old[row["key"]].append((row["person"], bool(row["shared"]), since))
    return old


def plan(
    partition: Partition,
    core: set[str],
    boundary: set[str],
    event_ids: list[str],
    old: Old,
    hints: dict[str, str] | None = None,
) -> WritePlan:
    """The writes that persist ``partition``: only ``core`` identifiers are rewritten; shared
    ``boundary`` identifiers get their listings on the region's persons refreshed."""
    ids = _assign_ids(partition, core, old, hints or {})
    since: dict[str, datetime] = {}
    for m in partition.memberships:
        pid = ids[m.person]
        since[pid] = min(since.get(pid, m.first), m.first)
    memberships = [
        {
            "person": ids[m.person],
            "key": m.identifier,
            "shared": m.shared,
            "confidence": m.confidence,
            "first": m.first,
            "last": m.last,
        }
        for m in partition.memberships
        if m.identifier in core or (m.identifier in boundary and m.shared)
    ]
    identifiers = [
        {
            "key": key,
            "shared": key in partition.shared,
            "segments": (
                _segments_json(partition.segments[key], partition, ids)
                if key in partition.segments
                else None
            ),
        }
        for key in sorted(core)
        if key in partition.owner or key in partition.shared
    ]
    attribution = [
        {"event": event_id, "person": ids[g]}
        for event_id in event_ids
        for g in partition.attribution.get(event_id, [])
        if g in ids
    ]
    return WritePlan(
        ids,
        [
            ("writeback/clear_core", "keys", sorted(core)),
            ("writeback/ensure_persons", "rows", [{"id": p, "since": s} for p, s in since.items()]),
            ("writeback/memberships", "rows", memberships),
            ("writeback/identifiers", "rows", identifiers),
            ("writeback/clear_attribution", "ids", event_ids),
            ("writeback/attribution", "rows", attribution),
            ("writeback/retire_persons", "rows", _retirements(partition, core, old, ids)),
        ],
    )


async def apply(tx: AsyncManagedTransaction, write_plan: WritePlan) -> None:
    for name, param, rows in write_plan.steps:
        if rows:
            await run(tx, name, **{param: rows})


async def write_back(
    tx: AsyncManagedTransaction,
    region: Region,
    partition: Partition,
    *,
    hints: dict[str, str] | None = None,
) -> dict[str, str]:
    """Persist ``partition`` for ``region`` inside ``tx``; returns group -> person id."""
    keys = sorted(set(partition.owner) | set(partition.shared))
    old = old_memberships(await collected(tx, "region/memberships", "rows", keys=keys))
    core = region.core - region.boundary
    write_plan = plan(partition, core, region.boundary, sorted(region.events), old, hints)
    await apply(tx, write_plan)
    return write_plan.ids


def _retirements(
    partition: Partition, core: set[str], old: Old, ids: dict[str, str]
) -> list[dict[str, str | None]]:
    """Persons that lost identifiers and got no group: each becomes an alias of the person
    that took most of them (or disappears when it kept nothing)."""
    alive = set(ids.values())
    moved: dict[str, Counter[str]] = defaultdict(Counter)
    for key in core:
        for person, shared, _ in old.get(key, []):
            if person in alive:
                continue
            moved[person]
            if not shared and key in partition.owner:
                moved[person][ids[partition.owner[key]]] += 1
    return [
        {"old": person, "survivor": min(c, key=lambda p: (-c[p], p)) if c else None}
        for person, c in sorted(moved.items())
    ]
