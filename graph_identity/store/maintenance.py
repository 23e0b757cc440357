"""Graph-wide maintenance: full rebuild and the integrity check."""

from __future__ import annotations

from neo4j import AsyncManagedTransaction

from graph_identity.store.core import StoreCore
from graph_identity.store.cypher import query


async def rebuild(store: StoreCore) -> int:
    """Recompute every person from the stored evidence; returns the number of persons."""

    async def work(tx: AsyncManagedTransaction) -> int:
        await tx.run(query("ingest/lock"))
        result = await tx.run(query("maintenance/all_identifiers"))
        keys = set((await result.single(strict=True))["keys"])
        if not keys:
            return 0
        ids = await store.recompute(tx, keys, expand_shared=True)
        return len(set(ids.values()))

    async with store.driver.session(database=store.database) as session:
        count: int = await session.execute_write(work)
    return count


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
