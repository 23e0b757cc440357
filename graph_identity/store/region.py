"""Find and load the region of the graph that new evidence can influence.

The region grows from the seed identifiers through co-observation (two identifiers in one
event), except through hubs: identifiers already shared by many persons (``hub_persons``). A
hub email or phone is kept as a boundary, and a hub cookie or device is crossed only within
the segments (sessions or anonymous stretches) that the region touches or that new logins and
logouts reshaped. Kiosks, fraud devices and placeholder-like values therefore do not pull
whole neighbourhoods into every recompute, while a family email or a household tablet (a few
persons) is recomputed exactly, as a full rebuild would.
"""

from __future__ import annotations

import logging
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
from graph_identity.store.event_cache import EventCache
from graph_identity.store.records import native
from graph_identity.store.tx import collected, run

#: A safety valve: beyond this many identifiers the region stops growing (with a warning;
#: `graph-identity rebuild` then resolves everything exactly).
MAX_REGION = 200_000
#: a hub threshold no identifier reaches (``load_region(hubs=False)``)
NO_HUB = 2**62

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Region:
    core: set[str] = field(default_factory=set)  # recomputed and rewritten
    boundary: set[str] = field(default_factory=set)  # shared, not expanded
    windowed: set[str] = field(default_factory=set)  # shared carriers, crossed by segment
    events: dict[str, Event] = field(default_factory=dict)
    constraints: Constraints = field(default_factory=Constraints)
    truncated: bool = False  # MAX_REGION stopped the growth: the result is not exact


async def _cross_carriers(
    tx: AsyncManagedTransaction,
    region: Region,
    times: dict[str, set[datetime]],
    keys: list[str],
    fresh_ids: set[str],
    config: ResolutionConfig,
    cache: EventCache,
) -> set[str]:
    """Load shared carriers' sessions and the events of the segments at their ``times``;
    return the identifiers seen in those segments."""
    sessions: dict[str, list[Event]] = {k: [] for k in keys}
    rows = await collected(tx, "region/carrier_sessions", "rows", keys=keys)
    loaded = {e.id: e for e in await cache.get(tx, (r["id"] for r in rows))}
    for row in rows:
        event = loaded[row["id"]]
        sessions[row["carrier"]].append(event)
        region.events[event.id] = event
    windows = [
        {"key": key, "start": s.start, "end": s.end}
        for key in keys
        for s in _windows(sessions[key], key, times.get(key, set()), fresh_ids, config)
    ]
    found: set[str] = set()
    if windows:
        ids = await collected(tx, "region/window_events", "ids", windows=windows)
        for event in await cache.get(tx, ids):
            region.events[event.id] = event
            found |= {i.key for i in event.identifiers}
    return found


def _windows(
    sessions: list[Event],
    key: str,
    times: Iterable[datetime],
    fresh_ids: set[str],
    config: ResolutionConfig,
) -> list[Segment]:
    """The segments of a shared carrier to load: those at the given instants, and every
    segment that new logins or logouts created or reshaped (a late LOGOUT can move events far
    from its own instant out of a session)."""
    segments = segment_carrier(key, sessions, config.prelogin_window)
    chosen = {at_time(segments, t).index for t in times}
    if any(e.id in fresh_ids for e in sessions):
        before = segment_carrier(
            key, [e for e in sessions if e.id not in fresh_ids], config.prelogin_window
        )
        unchanged = {(s.start, s.end, s.account) for s in before}
        chosen |= {s.index for s in segments if (s.start, s.end, s.account) not in unchanged}
    return [s for s in segments if s.index in chosen]


async def load_region(
    tx: AsyncManagedTransaction,
    seeds: set[str],
    config: ResolutionConfig,
    *,
    cache: EventCache,
    seed_times: dict[str, list[datetime]] | None = None,
    fresh: Iterable[Event] = (),
    lock: bool = False,
    locked: Iterable[str] = (),
    hubs: bool = True,
) -> Region:
    """Grow the region from ``seeds`` and load its events and constraints.

    ``seed_times`` gives, for seed carriers, the instants the new evidence touches them;
    ``fresh`` events are always part of the region, even when they touch nothing but shared
    identifiers. With ``lock`` (a write transaction about to rewrite the region), each step
    write-locks its frontier, in key order, before reading it: whoever adds evidence to a
    region identifier locks it too, so what is read stays true until the transaction ends.
    Overlapping regions can deadlock; Neo4j detects it and the managed transaction retries.
    ``locked`` names identifiers the transaction has locked already.

    A locked region that stops at hubs marks them for reconciliation (store/reconcile.py), in
    the same transaction; with ``hubs=False`` nothing is a hub and the region is the whole
    connected neighbourhood (up to MAX_REGION), which is how the reconciler makes it exact.
    """
    region = Region()
    fresh = list(fresh)
    fresh_ids = {e.id for e in fresh}
    times: dict[str, set[datetime]] = {k: set(v) for k, v in (seed_times or {}).items()}
    frontier = set(seeds)
    windowed = region.windowed
    held = set(locked)
    hub = config.hub_persons if hubs else NO_HUB
    while frontier and len(region.core) < MAX_REGION:
        new_carriers: list[str] = []
        found: set[str] = set()
        if lock and frontier - held:
            await run(tx, "region/lock", keys=sorted(frontier - held))
            held |= frontier
        for row in await collected(tx, "region/expand", "rows", keys=sorted(frontier), hub=hub):
            key = row["key"]
            if row["hub"]:
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
            contacts = await collected(
                tx, "region/contact_times", "rows", carriers=new_carriers, core=sorted(region.core)
            )
            for row in contacts:
                times.setdefault(row["key"], set()).update(native(t) for t in row["times"])
            found |= await _cross_carriers(
                tx, region, times, new_carriers, fresh_ids, config, cache
            )
        frontier = found - region.core - region.boundary
    if frontier:
        region.truncated = True
        log.warning(
            "region stopped growing at %d identifiers (%d more not reached); run "
            "`graph-identity rebuild` for an exact result",
            len(region.core),
            len(frontier),
        )
    full = sorted(region.core - region.boundary - windowed)
    ids = await collected(tx, "region/events", "ids", keys=full)
    if region.boundary:
        boundary = sorted(region.boundary)
        ids += await collected(tx, "region/boundary_events", "ids", keys=boundary)
    for event in await cache.get(tx, ids):
        region.events.setdefault(event.id, event)
    for event in fresh:
        region.events.setdefault(event.id, event)
    region.constraints = await _constraints(tx, region.core)
    if lock and (region.boundary or windowed):
        await run(tx, "reconcile/mark", keys=sorted(region.boundary | windowed))
    return region


async def _constraints(tx: AsyncManagedTransaction, keys: set[str]) -> Constraints:
    return constraints_from(await run(tx, "region/constraints", keys=sorted(keys)))


def constraints_from(rows: Iterable[Any]) -> Constraints:
    """Constraints from (id, kind, side, keys) rows."""
    sides: dict[str, dict[int, frozenset[str]]] = {}
    kinds: dict[str, str] = {}
    for row in rows:
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
    return Constraints(cannot, must)
