"""Write a recomputed region back: persons with stable ids, memberships, links, timelines.

Only the region's *core* identifiers are rewritten. Ids follow the overlap rule: a group that
holds an identifier owned by a person outside the core keeps that person; otherwise an admin
hint decides, then the oldest old person among its members; a person that loses everything
becomes an alias of the group that took most of its identifiers.
"""

from __future__ import annotations

import secrets
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from neo4j import AsyncManagedTransaction

from graph_identity.domain.resolution import Partition
from graph_identity.domain.segments import Segment
from graph_identity.store.records import HeldSegment, epoch_us, from_epoch_us, segments_json
from graph_identity.store.region import Region
from graph_identity.store.tx import collected, run


class Held(NamedTuple):
    """One stored membership, as it was before the recompute."""

    person: str
    shared: bool
    since: datetime  # the person's earliest evidence
    confidence: float
    first: datetime
    last: datetime
    linked: bool | None = None  # backed by a link into the person (None: not recorded)


#: identifier key -> its stored memberships
Old = dict[str, list[Held]]


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
            owners = [h.person for h in old.get(key, []) if not h.shared]
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
        for held in old.get(key, []):
            since[held.person] = held.since
            if not held.shared and key in partition.owner:
                overlap[held.person][partition.owner[key]] += 1
    for person in sorted(since, key=lambda p: (since[p], p)):  # c: oldest person first
        if person in taken:
            continue
        free = {g: n for g, n in overlap[person].items() if g not in assigned}
        if free:
            give(min(free, key=lambda g: (-free[g], g)), person)
    # c2: a person that owns nothing (it only lists shared identifiers, like the own person of
    # a cookie whose one session a limit refused) keeps its id while a group lists what it did
    owns = {m.person for m in partition.memberships if not m.shared}
    owned_before = {h.person for holders in old.values() for h in holders if not h.shared}
    listed: dict[str, Counter[str]] = defaultdict(Counter)
    for key in core:
        for held in old.get(key, []):
            if held.shared and held.person not in owned_before:
                for g in partition.shared.get(key, []):
                    if g not in owns:
                        listed[held.person][g] += 1
    for person in sorted(listed, key=lambda p: (since[p], p)):
        if person in taken:
            continue
        free = {g: n for g, n in listed[person].items() if g not in assigned}
        if free:
            give(min(free, key=lambda g: (-free[g], g)), person)
    for group in sorted(members):  # d: new persons
        if group not in assigned:
            give(group, new_person_id())
    return assigned


def _segments_json(segments: list[Segment], partition: Partition, ids: dict[str, str]) -> str:
    held = []
    for s in segments:
        group = partition.segment_group.get(s.element)
        person = ids.get(group) if group else None
        confidence = partition.segment_confidence.get(s.element, 0.0)
        claimed = partition.segment_claimed.get(s.element)
        held.append(HeldSegment(s, person, confidence, claimed))
    return segments_json(held)


@dataclass(slots=True)
class WritePlan:
    """Every row a write-back sends, statement by statement, in the order they must run."""

    ids: dict[str, str]  # group -> person id
    steps: list[tuple[str, str, list[Any]]] = field(default_factory=list)  # (query, param, rows)


def old_memberships(rows: Iterable[Any]) -> Old:
    old: Old = defaultdict(list)
    for row in rows:
        old[row["key"]].append(
            Held(
                row["person"],
                bool(row["shared"]),
                from_epoch_us(row["since_us"]),
                float(row["confidence"]),
                from_epoch_us(row["first_us"]),
                from_epoch_us(row["last_us"]),
                row.get("linked"),
            )
        )
    return old


def linked_memberships(partition: Partition) -> set[tuple[str, str]]:
    """(identifier key, group) pairs whose membership period comes from links into the group:
    a shared identifier's period with a person is when it was used with that person (an
    element of it linked to an element of another identifier in the group). Every other period
    is the identifier's own first and last sighting (domain/resolution.py ``_score``), so the
    ingest fast path (:mod:`fast_path`) must widen it when a lone touchpoint arrives."""
    carrier_of = {s.element: s.carrier for segs in partition.segments.values() for s in segs}
    group_of = partition.trace.group_of
    linked: set[tuple[str, str]] = set()
    for a, b in partition.trace.links:
        key_a, key_b = carrier_of.get(a, a), carrier_of.get(b, b)
        if key_a == key_b:
            continue
        if key_a in partition.shared:
            linked.add((key_a, group_of[b]))
        if key_b in partition.shared:
            linked.add((key_b, group_of[a]))
    return linked


def plan(
    partition: Partition,
    core: set[str],
    boundary: set[str],
    event_ids: list[str],
    old: Old,
    hints: dict[str, str] | None = None,
    old_attribution: set[tuple[str, str]] | None = None,
) -> WritePlan:
    """The writes that persist ``partition``, as a difference from what is stored.

    Only ``core`` identifiers are rewritten; shared ``boundary`` identifiers get their listings
    on the region's persons refreshed. Memberships are compared with ``old`` and timelines
    with ``old_attribution`` (event, person) pairs, so an unchanged region writes almost
    nothing; without ``old_attribution`` every event's timeline entries are rewritten.
    """
    ids = _assign_ids(partition, core, old, hints or {})
    since: dict[str, datetime] = {}
    for m in partition.memberships:
        pid = ids[m.person]
        since[pid] = min(since.get(pid, m.first), m.first)
    stored = {(key, h.person): h for key, held in old.items() for h in held}
    linked = linked_memberships(partition)
    wanted: set[tuple[str, str]] = set()
    memberships = []
    for m in partition.memberships:
        if m.identifier not in core and not (m.identifier in boundary and m.shared):
            continue
        pid = ids[m.person]
        wanted.add((m.identifier, pid))
        held = stored.get((m.identifier, pid))
        is_linked = (m.identifier, m.person) in linked
        if held is not None and (
            held.shared,
            held.confidence,
            held.first,
            held.last,
            held.linked,
        ) == (m.shared, m.confidence, m.first, m.last, is_linked):
            continue
        memberships.append(
            {
                "person": pid,
                "key": m.identifier,
                "shared": m.shared,
                "confidence": m.confidence,
                "first_us": epoch_us(m.first),
                "last_us": epoch_us(m.last),
                "linked": is_linked,
            }
        )
    stale = [
        {"key": key, "person": person}
        for (key, person) in sorted(stored)
        if key in core and (key, person) not in wanted
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
    attributed = {
        (event_id, ids[g])
        for event_id in event_ids
        for g in partition.attribution.get(event_id, [])
        if g in ids
    }
    timeline: list[tuple[str, str, list[Any]]]
    if old_attribution is None:
        timeline = [("writeback/clear_attribution", "ids", list(event_ids))]
        added = attributed
    else:
        gone = sorted(old_attribution - attributed)
        timeline = [("writeback/drop_attribution", "rows", [_pair(e, p) for e, p in gone])]
        added = attributed - old_attribution
    return WritePlan(
        ids,
        [
            ("writeback/drop_memberships", "rows", stale),
            (
                "writeback/ensure_persons",
                "rows",
                [{"id": p, "since_us": epoch_us(s)} for p, s in since.items()],
            ),
            ("writeback/memberships", "rows", memberships),
            ("writeback/identifiers", "rows", identifiers),
            *timeline,
            ("writeback/attribution", "rows", [_pair(e, p) for e, p in sorted(added)]),
            ("writeback/retire_persons", "rows", _retirements(partition, core, old, ids)),
        ],
    )


def _pair(event_id: str, person: str) -> dict[str, str]:
    return {"event": event_id, "person": person}


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
    event_ids = sorted(region.events)
    rows = await collected(tx, "writeback/current_attribution", "rows", ids=event_ids)
    current = {(row["event"], row["person"]) for row in rows}
    write_plan = plan(partition, core, region.boundary, event_ids, old, hints, current)
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
        for held in old.get(key, []):
            if held.person in alive:
                continue
            moved[held.person]
            if not held.shared and key in partition.owner:
                moved[held.person][ids[partition.owner[key]]] += 1
    return [
        {"old": person, "survivor": min(c, key=lambda p: (-c[p], p)) if c else None}
        for person, c in sorted(moved.items())
    ]
