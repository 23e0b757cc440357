"""Graph-wide maintenance: full rebuild and the integrity check."""

from __future__ import annotations

from typing import Any

import neo4j
from neo4j import AsyncManagedTransaction

from graph_identity.domain.resolution import resolve
from graph_identity.store.core import StoreCore
from graph_identity.store.records import event_from_record
from graph_identity.store.region import constraints_from
from graph_identity.store.tx import run
from graph_identity.store.writeback import old_memberships, plan

#: rows per write transaction during a rebuild
CHUNK = 5_000
#: events per read during a rebuild (one collected record each)
PAGE = 50_000


async def _pages(session: neo4j.AsyncSession, name: str, limit: int) -> list[Any]:
    """Every row of a paged statement (``$after``/``$limit`` in, ``rows``/``last`` out)."""
    rows: list[Any] = []
    after = ""
    while True:
        result = await session.execute_read(run, name, after=after, limit=limit)
        page, last = result[0]["rows"], result[0]["last"]
        if last is None:
            return rows
        rows.extend(page)
        after = last


async def rebuild(store: StoreCore, *, chunk: int = CHUNK) -> int:
    """Recompute every person from the stored evidence; returns the number of persons.

    Reads everything once, resolves it with the same pure function as ingest (no region
    boundaries, nothing sticky), then writes the difference in transactions of ``chunk``
    rows, each taking the resolver lock, so a large graph never needs one huge transaction.
    Readers may see a mix of old and new persons while it runs; run it when ingest is quiet.
    """

    async with store.driver.session(
        database=store.database, default_access_mode=neo4j.READ_ACCESS
    ) as session:
        events = [
            event_from_record(row) for row in await _pages(session, "maintenance/all_events", PAGE)
        ]
        constraints = constraints_from(
            await session.execute_read(run, "maintenance/all_constraints")
        )
        old = old_memberships(await _pages(session, "maintenance/all_memberships", PAGE // 10))
        entries = await _pages(session, "maintenance/all_attribution", PAGE)
        attributed = {(row["event"], row["person"]) for row in entries}
    partition = resolve(events, store.config, constraints)
    keys = set(partition.owner) | set(partition.shared)
    write_plan = plan(partition, keys, set(), sorted(e.id for e in events), old, None, attributed)

    async def write(tx: AsyncManagedTransaction, name: str, param: str, rows: list[Any]) -> None:
        await run(tx, "ingest/lock")
        await run(tx, name, **{param: rows})

    async with store.driver.session(database=store.database) as session:
        for name, param, rows in write_plan.steps:
            for start in range(0, len(rows), chunk):
                await session.execute_write(write, name, param, rows[start : start + chunk])
    return len(set(write_plan.ids.values()))


async def check(store: StoreCore) -> list[str]:
    """Every broken invariant as one line; empty when the graph is sound."""
    problems = [
        f"{row['rule']}: {row['n']} (e.g. {', '.join(row['sample'])})"
        for row in await store.read("maintenance/check")
    ]
    limits = {kind.value: store.config.limit(kind) for kind in store.config.limits}
    problems += [
        f"person {row['person']} owns {row['n']} {row['type']} identifiers"
        f" (limit {limits[row['type']]})"
        for row in await store.read("maintenance/type_counts", limits=limits)
    ]
    return problems
