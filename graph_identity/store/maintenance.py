"""Graph-wide maintenance: full rebuild and the integrity check."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from typing import Any

import neo4j
from neo4j import AsyncManagedTransaction

from graph_identity.domain.components import (
    CHUNK_EVENTS,
    Chunk,
    EventColumns,
    Frozen,
    chunks,
    resolve_chunk,
    split,
)
from graph_identity.domain.resolution import Constraints, Partition
from graph_identity.store.core import StoreCore
from graph_identity.store.cypher import query
from graph_identity.store.region import constraints_from
from graph_identity.store.tx import collected, run
from graph_identity.store.writeback import Old, WritePlan, old_memberships, plan

#: rows per UNWIND during a rebuild
BATCH = 10_000
#: events per read during a rebuild (one collected record of columns each)
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


async def read_columns(session: neo4j.AsyncSession) -> Frozen:
    """Every event as compact columns, read a page at a time."""
    columns = EventColumns()
    after = ""
    while True:
        result = await session.execute_read(
            run, "maintenance/event_columns", after=after, limit=PAGE
        )
        page = result[0]
        if page["last"] is None:
            return columns.freeze()
        columns.add(page["ids"], page["at_us"], page["types"], page["verified"], page["keys"])
        after = page["last"]


async def _write(
    tx: AsyncManagedTransaction,
    partition: Partition,
    event_ids: list[str],
    old: Old,
    batch: int,
) -> int:
    """Write one chunk's difference from what is stored; returns its number of persons."""
    await run(tx, "ingest/lock")
    write_plan = await chunk_plan(tx, partition, event_ids, old)
    for name, param, step_rows in write_plan.steps:
        if name == "writeback/attribution":
            for rows in _by_person(step_rows, batch):
                await run(tx, "maintenance/attribution", rows=rows)
            continue
        for start in range(0, len(step_rows), batch):
            await run(tx, name, **{param: step_rows[start : start + batch]})
    return len(set(write_plan.ids.values()))


async def chunk_plan(
    tx: AsyncManagedTransaction, partition: Partition, event_ids: list[str], old: Old
) -> WritePlan:
    """The writes that would turn what is stored for one chunk of whole components into
    ``partition`` (nothing outside the chunk is read or planned)."""
    rows = await collected(tx, "writeback/current_attribution", "rows", ids=event_ids)
    current = {(row["event"], row["person"]) for row in rows}
    keys = set(partition.owner) | set(partition.shared)
    return plan(partition, keys, set(), event_ids, old, None, current)


def _by_person(pairs: list[dict[str, str]], most: int) -> list[list[dict[str, Any]]]:
    """Timeline (event, person) rows as batches of {person, events} rows, each batch with
    at most ``most`` events."""
    events: dict[str, list[str]] = defaultdict(list)
    for pair in pairs:
        events[pair["person"]].append(pair["event"])
    batches: list[list[dict[str, Any]]] = [[]]
    size = 0
    for person, ids in events.items():
        for start in range(0, len(ids), most):
            part = ids[start : start + most]
            if size + len(part) > most:
                batches.append([])
                size = 0
            batches[-1].append({"person": person, "events": part})
            size += len(part)
    return [rows for rows in batches if rows]


async def read_everything(store: StoreCore) -> tuple[Frozen, Constraints, Old]:
    """Every event (as columns), every active constraint and every stored membership."""
    async with store.driver.session(
        database=store.database, default_access_mode=neo4j.READ_ACCESS
    ) as session:
        columns = await read_columns(session)
        constraints = constraints_from(
            await session.execute_read(run, "maintenance/all_constraints")
        )
        old = old_memberships(await _pages(session, "maintenance/all_memberships", PAGE // 10))
    return columns, constraints, old


async def rebuild(
    store: StoreCore,
    *,
    chunk: int = CHUNK_EVENTS,
    batch: int = BATCH,
    timings: dict[str, float] | None = None,
) -> int:
    """Recompute every person from the stored evidence; returns the number of persons.

    Reads every event once as compact columns, splits the identifiers into connected
    components with one vectorised pass, and resolves and writes them a chunk of whole
    components (about ``chunk`` events) at a time: plain components straight from their
    labels, the others with the same pure function as ingest (no region boundaries, nothing
    sticky), so the answer equals ``resolve`` over everything. Each chunk is one write
    transaction (UNWINDs of ``batch`` rows) taking the resolver lock; a chunk never cuts a
    stored person, so ids stay stable. It clears every reconciliation mark first
    (store/reconcile.py): what it then reads, it makes exact. Readers may see a mix of old and
    new persons while it runs; run it when ingest is quiet. ``timings`` (when given) receives
    seconds per phase: read, components, resolve (what writes did not hide), write.
    """
    clock = _Clock(timings)
    await store.driver.execute_query(query("reconcile/clear_all"), database_=store.database)
    columns, constraints, old = await read_everything(store)
    clock.lap("read")
    parts = split(columns, store.config, constraints, held_together(old))
    clock.lap("components")
    persons = 0
    loop = asyncio.get_running_loop()
    pieces = chunks(columns, parts, chunk)

    def resolved(piece: Chunk | None) -> tuple[Chunk, Partition] | None:
        if piece is None:
            return None
        return piece, resolve_chunk(columns, parts, piece, store.config, constraints)

    # the next chunk resolves in a thread while this one's write waits on Neo4j
    following = loop.run_in_executor(None, resolved, next(pieces, None))
    async with store.driver.session(database=store.database) as session:
        while (done := await following) is not None:
            clock.lap("resolve")
            following = loop.run_in_executor(None, resolved, next(pieces, None))
            piece, partition = done
            event_ids = sorted(partition.attribution)
            mine = {key: old[key] for key in piece.keys if key in old}
            persons += await session.execute_write(_write, partition, event_ids, mine, batch)
            clock.lap("write")
    return persons


def held_together(old: Old) -> list[set[str]]:
    """The keys a chunk must not cut: what each stored person owns (only there can the id
    rule give it to a group), or, for one that owns nothing, what it lists. Listings alone
    would tie every person a kiosk ever served into one chunk."""
    owned: dict[str, set[str]] = defaultdict(set)
    listed: dict[str, set[str]] = defaultdict(set)
    for key, memberships in old.items():
        for membership in memberships:
            (listed if membership.shared else owned)[membership.person].add(key)
    return [*owned.values(), *(keys for person, keys in listed.items() if person not in owned)]


class _Clock:
    """Seconds per phase, added up into ``into`` (nothing when it is None)."""

    def __init__(self, into: dict[str, float] | None) -> None:
        self.into = into
        self.last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        if self.into is not None:
            self.into[phase] = self.into.get(phase, 0.0) + now - self.last
        self.last = now


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
    (unresolved,) = await store.read("backlog/unresolved")
    if unresolved["n"]:
        problems.append(
            f"{unresolved['n']} events could not be resolved and were set aside"
            f" (e.g. {', '.join(unresolved['sample'])}; the server's log says why;"
            " `graph-identity backlog --retry` puts them back)"
        )
    pending = await store.backlog()
    if pending:
        problems.append(
            f"{pending} events await resolution (the asynchronous ingest's backlog;"
            " `graph-identity backlog --resolve` resolves them now)"
        )
    return problems
