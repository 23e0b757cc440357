"""Reconciliation: make the regions an ingest resolved around hubs equal to a rebuild.

Ingest stops its region at hubs (store/region.py) and resolves with them held shared, so the
persons on the far side of a hub, and the hub's own listings and timeline entries, can differ
from what ``rebuild`` computes. Every such stop marks the hub (``i.reconcile``) in the ingest's
own transaction. :func:`reconcile` takes the marked hubs and, one write transaction per region,
recomputes the whole connected region around each with no hub stopping (and across admin
merges), writes back the difference and clears the region's marks: nothing is half-written, a
concurrent ingest waits on the region's identifier locks, and running it twice changes nothing.
The server runs it every ``GRAPH_IDENTITY_RECONCILE_INTERVAL`` seconds (:func:`reconcile_forever`);
``graph-identity reconcile`` runs it once.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field

from neo4j import AsyncManagedTransaction

from graph_identity.domain.resolution import resolve
from graph_identity.store.availability import is_unavailable
from graph_identity.store.background import in_background
from graph_identity.store.core import StoreCore
from graph_identity.store.db_state import DATABASE, cause_of
from graph_identity.store.region import Region, load_region
from graph_identity.store.tx import run
from graph_identity.store.writeback import write_back

#: marked hubs taken per :func:`reconcile` call (each region is one transaction)
BATCH = 100

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Reconciled:
    """What one :func:`reconcile` pass did."""

    regions: int = 0  # regions recomputed
    identifiers: int = 0  # identifiers in them
    persons: set[str] = field(default_factory=set)  # persons whose memberships or timeline moved
    truncated: list[str] = field(default_factory=list)  # hubs whose region hit MAX_REGION
    pending: int = 0  # marks left when the pass ended

    def summary(self) -> str:
        text = (
            f"{self.regions} region(s), {self.identifiers} identifier(s), "
            f"{len(self.persons)} person(s) changed, {self.pending} mark(s) pending"
        )
        if self.truncated:
            text += f", {len(self.truncated)} region(s) too large (run `graph-identity rebuild`)"
        return text


async def pending(store: StoreCore, limit: int = BATCH) -> tuple[list[str], int]:
    """Up to ``limit`` marked hubs (in key order) and how many are marked in all."""
    (row,) = await store.read("reconcile/pending", limit=limit)
    return list(row["keys"]), int(row["total"])


async def reconcile(
    store: StoreCore, *, limit: int = BATCH, skip: frozenset[str] = frozenset()
) -> Reconciled:
    """Reconcile the regions of up to ``limit`` marked hubs (not those in ``skip``); see the
    module docstring.

    A region cut short by MAX_REGION is written (it is no worse than before) but keeps its
    marks, so ``check`` still shows it and ``graph-identity rebuild`` is the remedy.
    """
    done = Reconciled()
    keys, _ = await pending(store, limit + len(skip))
    keys = [k for k in keys if k not in skip][:limit]
    covered: set[str] = set()
    async with store.driver.session(database=store.database) as session:
        for key in keys:
            if key in covered:
                continue
            result = await session.execute_write(_reconcile_tx, store, key)
            if result is None:  # another process got there first
                continue
            region, changed = result
            done.persons |= changed
            covered |= region.core
            done.regions += 1
            done.identifiers += len(region.core)
            if region.truncated:
                done.truncated.append(key)
    _, done.pending = await pending(store, 0)
    return done


async def _reconcile_tx(
    tx: AsyncManagedTransaction, store: StoreCore, key: str
) -> tuple[Region, set[str]] | None:
    """One region, whole: lock the hub, check its mark, grow the region (locking it) with no
    hubs and across admin merges, resolve it from scratch, write back the difference, clear
    its marks. Returns the region and the persons whose memberships or timeline entries
    moved; None when the mark was gone (a retried transaction starts again from here)."""
    await run(tx, "region/lock", keys=[key])
    (row,) = await run(tx, "reconcile/still_marked", key=key)
    if not row["marked"]:
        return None
    seeds = held = {key}
    while True:
        region = await load_region(
            tx, seeds, store.config, cache=store.events, lock=True, locked=held, hubs=False
        )
        # a must-link (an admin merge) joins regions no event joins: take the other side too
        joined = set().union(*region.constraints.must_link) - region.core
        if not joined or region.truncated:
            break
        held, seeds = region.core, region.core | joined
    keys, events = sorted(region.core), sorted(region.events)
    before = await _state(tx, keys, events)
    partition = resolve(region.events.values(), store.config, region.constraints)
    await write_back(tx, region, partition)
    after = await _state(tx, keys, events)
    if not region.truncated:
        await run(tx, "reconcile/clear", keys=keys)
    return region, {str(row[1]) for row in before ^ after}


async def _state(
    tx: AsyncManagedTransaction, keys: list[str], events: list[str]
) -> set[tuple[object, ...]]:
    """Memberships (key, person, shared, figures...) and timeline entries (event, person) as tuples
    whose second item is the person."""
    (row,) = await run(tx, "reconcile/state", keys=keys, events=events)
    return {tuple(m) for m in row["memberships"]} | {tuple(t) for t in row["timeline"]}


async def reconcile_forever(store: StoreCore, interval: float) -> None:
    """Reconcile every ``interval`` seconds until cancelled; a failed pass is logged and
    retried at the next tick (the marks stay until a pass succeeds). Hubs whose region was
    too large are not retried by this process."""
    too_large: set[str] = set()  # cut short once: left to `rebuild`, not redone every tick
    while True:
        await asyncio.sleep(interval)
        try:
            done = await reconcile(store, skip=frozenset(too_large))
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if is_unavailable(exc):  # said once, not a traceback every tick
                DATABASE.unreachable(cause_of(exc), "the reconciler")
            else:
                log.exception("reconciliation failed; retrying in %s s", interval)
            continue
        DATABASE.reachable()
        too_large.update(done.truncated)
        if done.regions:
            log.info("reconciled %s", done.summary())


def reconciling(store: StoreCore, interval: float) -> AbstractAsyncContextManager[None]:
    """:func:`reconcile_forever` in the background for the life of the block (nothing when
    ``interval`` is 0)."""
    work = reconcile_forever(store, interval) if interval > 0 else None
    return in_background(work, "reconcile")
