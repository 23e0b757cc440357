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
from datetime import datetime
from typing import Any

from neo4j import AsyncManagedTransaction

from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.resolution import Partition
from graph_identity.domain.segments import Segment
from graph_identity.store.cypher import query
from graph_identity.store.records import native
from graph_identity.store.region import Region


def new_person_id() -> str:
    return "p_" + secrets.token_hex(10)


async def _run(tx: AsyncManagedTransaction, name: str, **params: Any) -> list[Any]:
    result = await tx.run(query(name), params)
    return [record async for record in result]


def _assign_ids(
    partition: Partition,
    core: set[str],
    old: dict[str, list[tuple[str, bool, datetime]]],
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


async def write_back(
    tx: AsyncManagedTransaction,
    region: Region,
    partition: Partition,
    config: ResolutionConfig,
    *,
    hints: dict[str, str] | None = None,
) -> dict[str, str]:
    """Persist ``partition`` for ``region``; returns group -> person id."""
    keys = sorted(set(partition.owner) | set(partition.shared))
    old: dict[str, list[tuple[str, bool, datetime]]] = defaultdict(list)
    for row in await _run(tx, "region/memberships", keys=keys):
        old[row["key"]].append((row["person"], bool(row["shared"]), native(row["since"])))
    core = region.core - region.boundary
    ids = _assign_ids(partition, core, old, hints or {})

    since: dict[str, datetime] = {}
    for m in partition.memberships:
        pid = ids[m.person]
        since[pid] = min(since.get(pid, m.first), m.first)
    await _run(tx, "writeback/clear_core", keys=sorted(core))
    await _run(
        tx, "writeback/ensure_persons", rows=[{"id": p, "since": s} for p, s in since.items()]
    )
    rows = [
        {
            "person": ids[m.person],
            "key": m.identifier,
            "shared": m.shared,
            "confidence": m.confidence,
            "first": m.first,
            "last": m.last,
        }
        for m in partition.memberships
        if m.identifier in core or (m.identifier in region.boundary and m.shared)
    ]
    await _run(tx, "writeback/memberships", rows=rows)
    await _run(
        tx,
        "writeback/identifiers",
        rows=[
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
        ],
    )
    event_ids = sorted(region.events)
    await _run(tx, "writeback/clear_attribution", ids=event_ids)
    await _run(
        tx,
        "writeback/attribution",
        rows=[
            {"event": event_id, "person": ids[g]}
            for event_id in event_ids
            for g in partition.attribution.get(event_id, [])
            if g in ids
        ],
    )
    await _retire(tx, partition, core, old, ids)
    return ids


async def _retire(
    tx: AsyncManagedTransaction,
    partition: Partition,
    core: set[str],
    old: dict[str, list[tuple[str, bool, datetime]]],
    ids: dict[str, str],
) -> None:
    alive = set(ids.values())
    moved: dict[str, Counter[str]] = defaultdict(Counter)
    for key in core:
        for person, shared, _ in old.get(key, []):
            if person in alive:
                continue
            moved[person]
            if not shared and key in partition.owner:
                moved[person][ids[partition.owner[key]]] += 1
    if not moved:
        return
    rows = []
    for person, counts in sorted(moved.items()):
        survivor = min(counts, key=lambda p: (-counts[p], p)) if counts else None
        rows.append({"old": person, "survivor": survivor})
    await _run(tx, "writeback/retire_persons", rows=rows)
