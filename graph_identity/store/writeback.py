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
from graph_identity.domain.links import Link
from graph_identity.domain.resolution import Partition
from graph_identity.domain.scoring import clamp, link_score
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


def _link_rows(
    partition: Partition, core: set[str], config: ResolutionConfig
) -> list[dict[str, Any]]:
    carrier_of: dict[str, Segment] = {
        s.element: s for segs in partition.segments.values() for s in segs
    }
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for (a, b), link in partition.links.items():
        ka = carrier_of[a].carrier if a in carrier_of else a
        kb = carrier_of[b].carrier if b in carrier_of else b
        if ka == kb or (ka not in core and kb not in core):
            continue
        pair = (min(ka, kb), max(ka, kb))
        cut = [
            end
            for e in (a, b)
            if e in carrier_of and carrier_of[e].cut and (end := carrier_of[e].end) is not None
        ]
        merged = (a, b) in partition.merged
        refusal = None
        if not merged:
            refusal = partition.rejected.get((a, b)) or (
                "shared identifier"
                if a in partition.excluded or b in partition.excluded
                else "different persons"
            )
        row = pairs.get(pair)
        strength = clamp(link_score(link, link.last, config.scoring))
        if row is None:
            pairs[pair] = {
                "a": pair[0],
                "b": pair[1],
                "kind": link.kind.name,
                "strength": strength,
                "count": link.count,
                "first": link.first,
                "last": link.last,
                "cutAt": max(cut) if cut else None,
                "merged": merged,
                "evidence": list(link.evidence),
                "refusal": refusal,
                "_rank": int(link.kind),
            }
            continue
        _fold(row, link, strength, cut, merged, refusal)
    for row in pairs.values():
        row.pop("_rank")
    return list(pairs.values())


def _fold(
    row: dict[str, Any],
    link: Link,
    strength: float,
    cut: list[datetime],
    merged: bool,
    refusal: str | None,
) -> None:
    if int(link.kind) > row["_rank"]:
        row["_rank"], row["kind"] = int(link.kind), link.kind.name
    row["strength"] = max(row["strength"], strength)
    row["count"] += link.count
    row["first"] = min(row["first"], link.first)
    row["last"] = max(row["last"], link.last)
    cuts = [c for c in [*cut, row["cutAt"]] if c is not None]
    row["cutAt"] = max(cuts) if cuts else None
    row["merged"] = row["merged"] or merged
    row["refusal"] = None if row["merged"] else (row["refusal"] or refusal)
    row["evidence"] = sorted(set(row["evidence"]) | set(link.evidence))[:10]


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
    await _run(tx, "writeback/links", rows=_link_rows(partition, core, config))
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
