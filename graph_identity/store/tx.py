"""Running named statements inside a transaction."""

from __future__ import annotations

from typing import Any

from neo4j import AsyncManagedTransaction

from graph_identity.store.cypher import query


async def run(tx: AsyncManagedTransaction, /, name: str, **params: Any) -> list[Any]:
    """All records of the statement ``name``."""
    result = await tx.run(query(name), params)
    return [record async for record in result]


async def collected(
    tx: AsyncManagedTransaction, /, name: str, field: str, **params: Any
) -> list[Any]:
    """The list in column ``field`` of a statement that collects its rows into one record.

    Large answers come back that way on purpose: the driver's cost is per record (tens of
    microseconds each), so one record holding 90,000 values streams some twenty times faster
    than 90,000 records.
    """
    result = await tx.run(query(name), params)
    record = await result.single(strict=True)
    return list(record[field])
