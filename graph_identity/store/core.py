"""The heart of the Neo4j store: ingest with incremental resolution (person reads: :mod:`reads`).

Admin corrections (:mod:`admin`), graph reads (:mod:`graph`) and maintenance build on
:meth:`StoreCore.recompute`; :mod:`neo4j_store` puts them together.
"""

from __future__ import annotations

import asyncio
import base64
from collections import defaultdict
from dataclasses import replace
from datetime import datetime
from typing import Any

from neo4j import AsyncDriver, AsyncManagedTransaction

from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.errors import BadInput
from graph_identity.domain.events import Event, RawEvent, prepare
from graph_identity.domain.resolution import resolve
from graph_identity.domain.values import to_utc
from graph_identity.domain.views import IngestOutcome
from graph_identity.store import fast_path
from graph_identity.store.contention import write_queued
from graph_identity.store.cypher import query
from graph_identity.store.erasure import deny_hash, resolve_key
from graph_identity.store.event_cache import EventCache
from graph_identity.store.records import event_row
from graph_identity.store.region import load_region
from graph_identity.store.schema import schema_applied
from graph_identity.store.tx import collected, run
from graph_identity.store.writeback import write_back


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


#: an offset cursor never points further than this (far beyond any page a client walks)
MAX_OFFSET = 10**9


def decode_time_cursor(
    cursor: str | None, field: str = "after"
) -> tuple[datetime | None, str | None]:
    """A ``(time, id)`` keyset cursor made by ``encode_cursor(at.isoformat(), id)``;
    (None, None) for the first page."""
    if not cursor:
        return None, None
    at_text, item_id = decode_cursor(cursor, 2, field)
    try:
        at = to_utc(datetime.fromisoformat(at_text))
    except (ValueError, TypeError):
        at = None
    if at is None:
        raise BadInput(field, "not a cursor this API issued")
    return at, item_id


def decode_offset_cursor(cursor: str | None, field: str = "after") -> int:
    """An offset cursor made by ``encode_cursor(str(offset))``; 0 for the first page."""
    if not cursor:
        return 0
    (text,) = decode_cursor(cursor, 1, field)
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_OFFSET:
        raise BadInput(field, "not a cursor this API issued")
    return int(text)


class StoreCore:
    """One per process; holds the driver, never creates it."""

    def __init__(
        self,
        driver: AsyncDriver,
        database: str,
        config: ResolutionConfig,
        *,
        erasure_key: bytes | None = None,
        deferred: bool = False,
    ) -> None:
        self.driver = driver
        self.database = database
        self.config = config
        self.events = EventCache()
        #: asynchronous ingest: store and acknowledge, resolve later (:meth:`resolve_backlog`)
        self.deferred = deferred
        #: set whenever this process stores events that await resolution
        self.backlog_added = asyncio.Event()
        self._configured_erasure_key = erasure_key
        self._erasure_key: bytes | None = None

    async def deny_key(self, tx: AsyncManagedTransaction) -> bytes:
        """The erasure deny-list's HMAC key (store/erasure.py), resolved once per process."""
        if self._erasure_key is None:
            self._erasure_key = await resolve_key(tx, self._configured_erasure_key)
        return self._erasure_key

    async def check_erasure_key(self) -> None:
        """Resolve the deny-list key now (at start-up): a mismatch fails fast, naming
        GRAPH_IDENTITY_ERASURE_KEY."""
        async with self.driver.session(database=self.database) as session:
            await session.execute_write(self.deny_key)

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
        locked: set[str] | None = None,
    ) -> dict[str, str]:
        """Re-resolve the region around ``seeds`` inside ``tx``, write-locking it as it grows
        (``locked``: identifiers ``tx`` holds already); returns group -> person id."""
        region = await load_region(
            tx,
            seeds,
            self.config,
            cache=self.events,
            seed_times=seed_times,
            fresh=fresh or (),
            lock=True,
            locked=locked or (),
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
            accepted, duplicates, pending = await write_queued(
                session, self._ingest_tx, list(prepared.values())
            )
        if pending:
            self.backlog_added.set()
        return IngestOutcome(accepted, duplicates + in_batch_duplicates, rejected, pending)

    async def _ingest_tx(
        self, tx: AsyncManagedTransaction, events: list[Event]
    ) -> tuple[int, int, int]:
        """(accepted, duplicates, pending). An event made only of erased identifiers (or whose
        ACCOUNT was erased) is accepted and dropped, and its id joins the deny-list so a replay
        counts as a duplicate: the answer is the same as for any other event, so an ingest
        caller cannot learn that a value was erased. With ``deferred`` the fresh events are
        stored as pending (the backlog) instead of resolved."""
        if not events:
            return 0, 0, 0
        # no database-wide lock: the batch's identifiers now, in key order, and each region's
        # as it grows (region.load_region), so ingests whose regions do not meet run side by side
        batch_keys = {i.key for e in events for i in e.identifiers}
        await run(tx, "region/lock", keys=sorted(batch_keys))
        key = await self.deny_key(tx)
        hashes = {e.id: deny_hash(key, "event", e.id) for e in events}
        identifier_hashes = {
            deny_hash(key, "identifier", i.key): i.key for e in events for i in e.identifiers
        }
        result = await tx.run(
            query("ingest/known_events"),
            {"ids": list(hashes), "hashes": hashes, "identifiers": list(identifier_hashes)},
        )
        row = await result.single(strict=True)
        known = set(row["known"])
        gone = {identifier_hashes[h] for h in row["erased"]}
        fresh, erased = _drop_forgotten([e for e in events if e.id not in known], gone)
        if erased:
            await tx.run(query("erasure/deny"), {"hashes": [hashes[e] for e in erased]})
        pending = 0
        if fresh:
            await tx.run(query("ingest/write_events"), {"rows": [event_row(e) for e in fresh]})
            self.events.put(fresh)
            if self.deferred:
                await run(tx, "backlog/defer", ids=[e.id for e in fresh])
                pending = len(fresh)
            else:
                await self._resolve_fresh(tx, fresh, batch_keys)
        accepted = len(fresh) + len(erased)
        return accepted, len(events) - accepted, pending

    async def _resolve_fresh(
        self, tx: AsyncManagedTransaction, fresh: list[Event], locked: set[str]
    ) -> None:
        """Resolve stored events that are new to resolution (``locked``: their identifiers,
        write-locked by ``tx``): the fast path where it can vouch for them, else a recompute
        of their region. Safe to repeat: an event resolution has seen already changes
        nothing."""
        fast, exact = fast_path.split(fresh)
        exact += await fast_path.apply(tx, fast, self.config)
        seed_times: dict[str, list[datetime]] = defaultdict(list)
        for event in exact:
            for ident in event.identifiers:
                seed_times[ident.key].append(event.at)
        if exact:
            await self.recompute(
                tx, set(seed_times), seed_times=seed_times, fresh=exact, locked=locked
            )

    # -- the asynchronous ingest's backlog ---------------------------------------------------

    async def resolve_backlog(self, limit: int, *, only: list[str] | None = None) -> int:
        """Resolve up to ``limit`` events an asynchronous ingest stored (any process's), in one
        write transaction; returns how many (0: the backlog is empty). One resolver runs at a
        time across processes (the backlog lock); ingests meet it only on region locks.
        ``only``: just those of these events that are still pending."""
        async with self.driver.session(database=self.database) as session:
            resolved: int = await session.execute_write(self._backlog_tx, limit, only)
            return resolved

    async def _backlog_tx(
        self, tx: AsyncManagedTransaction, limit: int, only: list[str] | None
    ) -> int:
        await run(tx, "backlog/lease")
        if only is None:
            ids = await collected(tx, "backlog/next", "ids", limit=limit)
        else:
            ids = await collected(tx, "backlog/pending_of", "ids", ids=only[:limit])
        if not ids:
            return 0
        events = await self.events.get(tx, ids)
        keys = {i.key for e in events for i in e.identifiers}
        await run(tx, "region/lock", keys=sorted(keys))
        await self._resolve_fresh(tx, events, keys)
        await run(tx, "backlog/done", ids=ids)
        return len(ids)

    async def backlog(self) -> int:
        """How many stored events await resolution."""
        rows = await self.read("backlog/count")
        return int(rows[0]["n"])

    async def pending_ids(self, limit: int) -> list[str]:
        """Up to ``limit`` ids of events awaiting resolution (those the resolver takes next)."""
        rows = await self.read("backlog/next", limit=limit)
        return list(rows[0]["ids"])

    async def set_aside(self, event_id: str, reason: str) -> None:
        """Take a pending event whose resolution fails out of the backlog, keeping it stored
        with ``reason`` (``graph-identity backlog --retry`` puts it back)."""
        await self.driver.execute_query(
            query("backlog/set_aside"), {"id": event_id, "reason": reason}, database_=self.database
        )

    async def retry_set_aside(self) -> int:
        """Put every event set aside back into the backlog; returns how many."""
        records, _, _ = await self.driver.execute_query(
            query("backlog/retry"), database_=self.database
        )
        return int(records[0]["n"])

    # -- reads (persons, timelines, resolve: see reads.PersonReads) -------------------------

    async def ready(self) -> bool:
        try:
            return await schema_applied(self.driver, self.database)
        except Exception:  # any driver failure means "not ready"; /readyz says why elsewhere
            return False


def _drop_forgotten(events: list[Event], gone: set[str]) -> tuple[list[Event], list[str]]:
    """Strip erased identifiers from events; an event left with nothing (or whose account was
    erased) is dropped (its id is returned)."""
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
