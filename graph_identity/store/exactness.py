"""Is what is stored what a rebuild would store? Answered without writing anything.

:func:`differences` runs the rebuild's pure function over every event, chunk by chunk exactly
as ``rebuild`` does (store/maintenance.py), plans each chunk's write-back against what is
stored, and reports every row the plan would write, by kind: memberships, timeline entries,
persons' ages, retired persons, identifiers' shared flags and segments. An empty answer means
incremental resolution (with reconciliation at hubs, store/reconcile.py) equals a rebuild.
It reads the whole graph, like a rebuild: a maintenance tool, not a per-request check.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import neo4j
from neo4j import AsyncManagedTransaction

from graph_identity.domain.components import CHUNK_EVENTS, chunks, resolve_chunk, split
from graph_identity.domain.resolution import Partition
from graph_identity.domain.values import epoch_us
from graph_identity.store.core import StoreCore
from graph_identity.store.maintenance import chunk_plan, held_together, read_everything
from graph_identity.store.tx import collected
from graph_identity.store.writeback import Old, WritePlan

#: what each write-back step would do, said of its rows
_KINDS = {
    "writeback/drop_memberships": ("memberships a rebuild would remove", "key"),
    "writeback/memberships": ("memberships a rebuild would add or change", "key"),
    "writeback/drop_attribution": ("timeline entries a rebuild would remove", "event"),
    "writeback/attribution": ("timeline entries a rebuild would add", "event"),
    "writeback/retire_persons": ("persons a rebuild would retire", "old"),
}
_SAMPLE = 5


async def differences(store: StoreCore, *, chunk: int = CHUNK_EVENTS) -> list[str]:
    """One line per kind of difference between the stored graph and a rebuild (with up to
    five examples); empty when they are equal."""
    columns, constraints, old = await read_everything(store)
    parts = split(columns, store.config, constraints, held_together(old))
    counts: Counter[str] = Counter()
    samples: dict[str, list[str]] = defaultdict(list)

    def found(kind: str, item: object) -> None:
        counts[kind] += 1
        if len(samples[kind]) < _SAMPLE:
            samples[kind].append(str(item))

    async with store.driver.session(
        database=store.database, default_access_mode=neo4j.READ_ACCESS
    ) as session:
        for piece in chunks(columns, parts, chunk):
            partition = resolve_chunk(columns, parts, piece, store.config, constraints)
            mine = {key: old[key] for key in piece.keys if key in old}
            write_plan, stored = await session.execute_read(
                _plan_and_identifiers, partition, sorted(partition.attribution), mine
            )
            for kind, item in _rows(write_plan, stored, mine):
                found(kind, item)
    return [f"{kind}: {n} (e.g. {', '.join(samples[kind])})" for kind, n in sorted(counts.items())]


async def _plan_and_identifiers(
    tx: AsyncManagedTransaction, partition: Partition, event_ids: list[str], old: Old
) -> tuple[WritePlan, dict[str, Any]]:
    write_plan = await chunk_plan(tx, partition, event_ids, old)
    keys = sorted(set(partition.owner) | set(partition.shared))
    rows = await collected(tx, "reconcile/identifiers", "rows", keys=keys)
    return write_plan, {row["key"]: row for row in rows}


def _rows(write_plan: WritePlan, stored: dict[str, Any], old: Old) -> list[tuple[str, object]]:
    """(kind, example) for every row of the plan that would change something."""
    since = {h.person: epoch_us(h.since) for held in old.values() for h in held}
    out: list[tuple[str, object]] = []
    for name, _, rows in write_plan.steps:
        if name in _KINDS:
            kind, field = _KINDS[name]
            out += [(kind, row[field]) for row in rows]
        elif name == "writeback/ensure_persons":
            out += [
                ("persons whose age a rebuild would change", row["id"])
                for row in rows
                if row["id"] in since and row["since_us"] < since[row["id"]]  # only earlier
            ]
        elif name == "writeback/identifiers":
            for row in rows:
                now = stored.get(row["key"])
                if now is None or now["shared"] != row["shared"]:
                    out.append(("identifiers whose shared flag a rebuild would change", row["key"]))
                elif now["segments"] != row["segments"]:
                    out.append(("identifiers whose segments a rebuild would change", row["key"]))
    return out
