"""The heart of the Neo4j store: ingest with incremental resolution (person reads: :mod:`reads`).

Admin corrections (:mod:`admin`), graph reads (:mod:`graph`) and maintenance build on
:meth:`StoreCore.recompute`; :mod:`neo4j_store` puts them together.
"""

from __future__ import annotations

import base64
import hashlib
from collections import defaultdict
from dataclasses import replace
from datetime import datetime
from typing import Any

from neo4j import AsyncDriver, AsyncManagedTransaction

from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.errors import BadInput
from graph_identity.domain.events import Event, RawEvent, prepare
from graph_identity.domain.resolution import resolve
from graph_identity.domain.views import IngestOutcome
from graph_identity.store.cypher import query
from graph_identity.store.event_cache import EventCache
from graph_identity.store.records import event_row
from graph_identity.store.region import load_region
from graph_identity.store.schema import schema_applied
from graph_identity.store.writeback import write_back


def forgotten_hash(kind: str, value: str) -> str:
    """What an erased identifier or event id leaves behind: a one-way hash, never the value."""
    return hashlib.sha256(f"{kind}\x00{value}".encode()).hexdigest()


def encode_cursor(*parts: str) -> str:
    return base64.urlsafe_b64encode("\x1f".join(parts).encode()).decode()


def decode_cursor(cursor: str, parts: int, field: str = "after") -> list[str]:
    try:
        values = base64.urlsafe_b64decode(cursor.encode()).decode().split("\x1f")
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadInput(field, "not a cursor this API issued") from exc
    if len(values) != parts:
        raise BadInput(field, "not a cursor this API issued")
    return values


class StoreCore:
    """One per process; holds the driver, never creates it."""

    def __init__(self, driver: AsyncDriver, database: str, config: ResolutionConfig) -> None:
        self.driver = driver
        self.database = database
        self.config = config
        self.events = EventCache()

    # -- plumbing --------------------------------------------------------------------------

    async def read(self, name: str, **params: Any) -> list[Any]:
        records, _, _ = await self.driver.execute_query(
            query(name), params, database_=self.database, routing_="r"
        )
        return list(records)

    async def recompute(
        self,
        tx: AsyncManagedTransaction,
        seeds: set[str],
        *,
        seed_times: dict[str, list[datetime]] | None = None,
        hints: dict[str, str] | None = None,
        fresh: list[Event] | None = None,
    ) -> dict[str, str]:
        """Re-resolve the region around ``seeds`` inside ``tx``; returns group -> person id."""
        region = await load_region(
            tx,
            seeds,
            self.config,
            cache=self.events,
            seed_times=seed_times,
            fresh=fresh or (),
        )
        if not region.core and not region.boundary:
            return {}
        partition = resolve(
            region.events.values(),
            self.config,
            region.constraints,
            fixed_shared=frozenset(region.boundary | region.windowed),
        )
        return await write_back(tx, region, partition, hints=hints)

    # -- ingest ----------------------------------------------------------------------------

    async def ingest(self, events: list[RawEvent], *, verified_ids: set[str]) -> IngestOutcome:
        rejected: list[tuple[str, str]] = []
        prepared: dict[str, Event] = {}
        in_batch_duplicates = 0
        for raw in events:
            outcome = prepare(raw, self.config, verified=raw.id in verified_ids)
            rejected.extend((raw.id, reason) for reason in outcome.rejections)
            if outcome.event is None:
                continue
            if outcome.event.id in prepared:
                in_batch_duplicates += 1
                continue
            prepared[outcome.event.id] = outcome.event
        async with self.driver.session(database=self.database) as session:
            accepted, duplicates, erased = await session.execute_write(
                self._ingest_tx, list(prepared.values())
            )
        rejected.extend((event_id, "identifiers: all were erased") for event_id in erased)
        return IngestOutcome(accepted, duplicates + in_batch_duplicates, rejected)

    async def _ingest_tx(
        self, tx: AsyncManagedTransaction, events: list[Event]
    ) -> tuple[int, int, list[str]]:
        await tx.run(query("ingest/lock"))
        if not events:
            return 0, 0, []
        hashes = {e.id: forgotten_hash("event", e.id) for e in events}
        identifier_hashes = {
            forgotten_hash("identifier", i.key): i.key for e in events for i in e.identifiers
        }
        result = await tx.run(
            query("ingest/known_events"),
            {"ids": list(hashes), "hashes": hashes, "identifiers": list(identifier_hashes)},
        )
        row = await result.single(strict=True)
        known = set(row["known"])
        gone = {identifier_hashes[h] for h in row["erased"]}
        fresh, erased = _drop_forgotten([e for e in events if e.id not in known], gone)
        if fresh:
            await tx.run(query("ingest/write_events"), {"rows": [event_row(e) for e in fresh]})
            self.events.put(fresh)
            seed_times: dict[str, list[datetime]] = defaultdict(list)
            for event in fresh:
                for ident in event.identifiers:
                    seed_times[ident.key].append(event.at)
            await self.recompute(tx, set(seed_times), seed_times=seed_times, fresh=fresh)
        return len(fresh), len(events) - len(fresh) - len(erased), erased

    # -- reads (persons, timelines, resolve: see reads.PersonReads) -------------------------

    async def ready(self) -> bool:
        try:
            return await schema_applied(self.driver, self.database)
        except Exception:  # any driver failure means "not ready"; /readyz says why elsewhere
            return False


def _drop_forgotten(events: list[Event], gone: set[str]) -> tuple[list[Event], list[str]]:
    """Strip erased identifiers from events; an event left with nothing (or whose account was
    erased) is refused."""
    if not gone:
        return events, []
    kept: list[Event] = []
    erased: list[str] = []
    for event in events:
        identifiers = tuple(i for i in event.identifiers if i.key not in gone)
        if not identifiers or (event.accounts and event.accounts[0].key in gone):
            erased.append(event.id)
            continue
        kept.append(replace(event, identifiers=identifiers))
    return kept, erased
