"""The access log: one batched write per request, reads by person and caller, erasure, retention.

No identifier value is ever stored: an entry holds the caller, role, purpose, operation and the
person ids read. Entries older than the retention are purged in bounded batches at start-up and
with every write.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from neo4j import AsyncDriver, AsyncManagedTransaction, RoutingControl

from graph_identity.domain.access import AccessEntryView, AccessRead
from graph_identity.domain.consent import Purpose
from graph_identity.domain.views import Page
from graph_identity.store.core import decode_time_cursor, encode_cursor
from graph_identity.store.cypher import query
from graph_identity.store.records import native

#: how many expired entries one write (or start-up pass) removes at most
PURGE_BATCH = 1000


class AccessLog:
    """One per process; holds the driver, never creates it."""

    def __init__(self, driver: AsyncDriver, database: str, retention: timedelta) -> None:
        self.driver = driver
        self.database = database
        self.retention = retention

    async def record(self, caller: str, role: str, reads: list[AccessRead]) -> None:
        """Write one request's reads (one entry per operation and purpose) in one transaction."""
        if not reads:
            return
        rows: list[dict[str, object]] = [
            {
                "id": uuid.uuid4().hex,
                "operation": r.operation,
                "purpose": r.purpose.value if r.purpose else None,
                "personIds": list(r.person_ids),
            }
            for r in reads
        ]
        now = datetime.now(UTC)
        async with self.driver.session(database=self.database) as session:
            await session.execute_write(self._write, now, caller, role, rows)

    async def _write(
        self,
        tx: AsyncManagedTransaction,
        now: datetime,
        caller: str,
        role: str,
        rows: list[dict[str, object]],
    ) -> None:
        await tx.run(
            query("access/write"), {"rows": rows, "at": now, "caller": caller, "role": role}
        )
        await tx.run(query("access/purge"), {"before": now - self.retention, "limit": PURGE_BATCH})

    async def purge(self) -> int:
        """Remove entries older than the retention, all of them (start-up)."""
        total = 0
        while True:
            records, _, _ = await self.driver.execute_query(
                query("access/purge"),
                {"before": datetime.now(UTC) - self.retention, "limit": PURGE_BATCH},
                database_=self.database,
            )
            purged = int(records[0]["purged"])
            total += purged
            if purged < PURGE_BATCH:
                return total

    async def forget(self, person_ids: list[str]) -> None:
        """Erasure: drop these person ids from every entry; the entries keep their counts."""
        await self.driver.execute_query(
            query("access/forget"), {"ids": person_ids}, database_=self.database
        )

    async def page(
        self, person_ids: list[str] | None, caller: str | None, first: int, after: str | None
    ) -> Page[AccessEntryView]:
        """Entries newest first: about any of ``person_ids`` (all when None), of ``caller``."""
        after_at, after_id = decode_time_cursor(after)
        records, _, _ = await self.driver.execute_query(
            query("access/read"),
            {
                "ids": person_ids,
                "caller": caller,
                "after_at": after_at,
                "after_id": after_id,
                "limit": first + 1,
            },
            database_=self.database,
            routing_=RoutingControl.READ,
        )
        items = []
        for row in records[:first]:
            view = AccessEntryView(
                id=row["id"],
                at=native(row["at"]),
                caller=row["caller"],
                role=row["role"],
                purpose=Purpose(row["purpose"]) if row["purpose"] else None,
                operation=row["operation"],
                person_ids=sorted(row["personIds"]),
                person_count=int(row["personCount"]),
            )
            items.append((encode_cursor(view.at.isoformat(), view.id), view))
        return Page(items, len(records) > first)
