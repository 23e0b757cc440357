"""Find and load the region of the graph that new evidence can influence.

The region grows from the seed identifiers through co-observation (two identifiers in one
event), except through identifiers already shared: a shared email or phone is kept as a
boundary, and a shared cookie or device is crossed only within the segments (sessions or
anonymous stretches) that the region actually touches. Kiosks and family emails therefore do
not pull whole neighbourhoods into every recompute.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from neo4j import AsyncManagedTransaction

from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.events import Event
from graph_identity.domain.identifiers import CARRIER_TYPES, IdentifierType
from graph_identity.domain.resolution import Constraints
from graph_identity.domain.segments import Segment, at_time, segment_carrier
from graph_identity.store.cypher import query
from graph_identity.store.records import event_from_record, native

#: A safety valve: beyond this many identifiers the region stops growing (and says so).
MAX_REGION = 200_000


@dataclass(slots=True)
class Region:
    core: set[str] = field(default_factory=set)  # recomputed and rewritten
    boundary: set[str] = field(default_factory=set)  # shared, not expanded
    windowed: set[str] = field(default_factory=set)  # shared carriers, crossed by segment
    events: dict[str, Event] = field(default_factory=dict)
    constraints: Constraints = field(default_factory=Constraints)
    must_link_ids: list[str] = field(default_factory=list)


async def _run(tx: AsyncManagedTransaction, name: str, **params: Any) -> list[Any]:
    result = await tx.run(query(name), params)
    return [record async for record in result]


async def _cross_carriers(
    tx: AsyncManagedTransaction,
    region: Region,
    times: dict[str, set[datetime]],
    keys: list[str],
    config: ResolutionConfig,
) -> set[str]:
    """Load shared carriers' sessions and the events of the segments at their ``times``;
    return the identifiers seen in those segments."""
    sessions: dict[str, list[Event]] = {k: [] for k in keys}
    for record in await _run(tx, "region/carrier_sessions", keys=keys):
        event = event_from_record(record)
        sessions[record["carrier"]].append(event)
        region.events[event.id] = event
    windows = [
        {"key": key, "start": s.start, "end": s.end}
        for key in keys
        for s in _windows(
            segment_carrier(key, sessions[key], config.prelogin_window), times.get(key, set())
        )
    ]
    found: set[str] = set()
    if windows:
        for record in await _run(tx, "region/window_events", windows=windows):
            event = event_from_record(record)
            region.events[event.id] = event
            found |= {i.key for i in event.identifiers}
    return found


def _windows(segments: list[Segment], times: Iterable[datetime]) -> list[Segment]:
    chosen = {at_time(segments, t).index for t in times}
    return [s for s in segments if s.index in chosen]


async def load_region(
    tx: AsyncManagedTransaction,
    seeds: set[str],
    config: ResolutionConfig,
    *,
    seed_times: dict[str, list[datetime]] | None = None,
    expand_shared: bool = False,
    fresh: Iterable[Event] = (),
) -> Region:
    """Grow the region from ``seeds`` and load its events and constraints.

    ``seed_times`` gives, for seed carriers, the instants the new evidence touches them;
    ``expand_shared`` (rebuilds) crosses shared identifiers too; ``fresh`` events are always
    part of the region, even when they touch nothing but shared identifiers.
    """
    region = Region()
    times: dict[str, set[datetime]] = {k: set(v) for k, v in (seed_times or {}).items()}
    frontier = set(seeds)
    windowed = region.windowed
    while frontier and len(region.core) < MAX_REGION:
        new_carriers: list[str] = []
        found: set[str] = set()
        for row in await _run(tx, "region/expand", keys=sorted(frontier)):
            key = row["key"]
            if row["shared"] and not expand_shared:
                if IdentifierType(row["type"]) in CARRIER_TYPES:
                    windowed.add(key)
                    new_carriers.append(key)
                    region.core.add(key)
                else:
                    region.boundary.add(key)
                continue
            region.core.add(key)
            found.update(row["neighbours"] or ())
        if new_carriers:
            contacts = await _run(
                tx, "region/contact_times", carriers=new_carriers, core=sorted(region.core)
            )
            for row in contacts:
                times.setdefault(row["key"], set()).update(native(t) for t in row["times"])
            found |= await _cross_carriers(tx, region, times, new_carriers, config)
        frontier = found - region.core - region.boundary
    full = sorted(region.core - region.boundary - windowed)
    for record in await _run(tx, "region/events", keys=full):
        event = event_from_record(record)
        region.events.setdefault(event.id, event)
    if region.boundary:
        for record in await _run(tx, "region/boundary_events", keys=sorted(region.boundary)):
            event = event_from_record(record)
            region.events.setdefault(event.id, event)
    for event in fresh:
        region.events.setdefault(event.id, event)
    region.constraints, region.must_link_ids = await _constraints(tx, region.core)
    return region


async def _constraints(
    tx: AsyncManagedTransaction, keys: set[str]
) -> tuple[Constraints, list[str]]:
    sides: dict[str, dict[int, frozenset[str]]] = {}
    kinds: dict[str, str] = {}
    for row in await _run(tx, "region/constraints", keys=sorted(keys)):
        sides.setdefault(row["id"], {})[int(row["side"])] = frozenset(row["keys"])
        kinds[row["id"]] = row["kind"]
    cannot = tuple(
        (s.get(0, frozenset()), s.get(1, frozenset()))
        for cid, s in sorted(sides.items())
        if kinds[cid] == "CANNOT_LINK"
    )
    must = tuple(
        s.get(0, frozenset()) for cid, s in sorted(sides.items()) if kinds[cid] == "MUST_LINK"
    )
    return Constraints(cannot, must), sorted(c for c in kinds if kinds[c] == "MUST_LINK")
