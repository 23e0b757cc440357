"""The access log: group-committed writes, reads by person and caller, erasure, retention.

No identifier value is ever stored: an entry holds the caller, role, purpose, operation and the
person ids read. Entries older than the retention are purged in bounded batches at start-up and
then periodically in the background (:meth:`AccessLog.retain`), never on a request's way.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import UTC, datetime, timedelta

from neo4j import AsyncDriver, AsyncManagedTransaction, RoutingControl

from graph_identity.domain.access import AccessEntryView, AccessRead
from graph_identity.domain.consent import Purpose
from graph_identity.domain.views import Page
from graph_identity.store.core import decode_time_cursor, encode_cursor
from graph_identity.store.cypher import query
from graph_identity.store.group_commit import GroupCommit
from graph_identity.store.records import epoch_us, native

log = logging.getLogger(__name__)

#: how many expired entries one purge statement removes at most
PURGE_BATCH = 1000


class AccessLog:
    """One per process; holds the driver, never creates it. Entries of concurrent requests are
    group-committed (:mod:`graph_identity.store.group_commit`): :meth:`record` returns once the
    transaction holding its entries has committed."""

    def __init__(self, driver: AsyncDriver, database: str, retention: timedelta) -> None:
        self.driver = driver
        self.database = database
        self.retention = retention
        self.group = GroupCommit(self._write_rows)

    async def record(self, caller: str, role: str, reads: list[AccessRead]) -> None:
        """Log one request's reads (one entry per operation and purpose); return once they
        are committed."""
        at_us = epoch_us(datetime.now(UTC))
        await self.group.add(
            [
                {
                    "id": uuid.uuid4().hex,
                    "at_us": at_us,
                    "caller": caller,
                    "role": role,
                    "operation": r.operation,
                    "purpose": r.purpose.value if r.purpose else None,
                    "personIds": list(r.person_ids),
                }
                for r in reads
            ]
        )

    async def _write_rows(self, rows: list[dict[str, object]]) -> None:
        async with self.driver.session(database=self.database) as session:
            await session.execute_write(self._write, rows)

    @staticmethod
    async def _write(tx: AsyncManagedTransaction, rows: list[dict[str, object]]) -> None:
        await (await tx.run(query("access/write"), {"rows": rows})).consume()

    async def retain(self, interval: float) -> None:
        """Purge expired entries every ``interval`` seconds, for ever (a background task)."""
        while True:
            await asyncio.sleep(interval)
            try:
                await self.purge()
            except Exception as exc:  # Neo4j away: the next round tries again
                log.warning("access log retention: %s: %s", type(exc).__name__, exc)

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
