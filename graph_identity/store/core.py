"""The heart of the Neo4j store: ingest with incremental resolution, and person reads.

Admin corrections (:mod:`admin`), graph reads (:mod:`graph`) and maintenance build on
:meth:`StoreCore.recompute`; :mod:`neo4j_store` puts them together.
"""

from __future__ import annotations

import base64
import json
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from neo4j import AsyncDriver, AsyncManagedTransaction

from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.errors import BadInput
from graph_identity.domain.events import Event, RawEvent, prepare
from graph_identity.domain.identifiers import Identifier, IdentifierType
from graph_identity.domain.resolution import holder_at, resolve
from graph_identity.domain.values import to_utc
from graph_identity.domain.views import (
    CandidateView,
    EventView,
    IngestOutcome,
    Page,
    PersonIdentifierView,
    PersonView,
    ResolutionView,
    SharedIdentifierView,
)
from graph_identity.store import fast_path
from graph_identity.store.cypher import query
from graph_identity.store.erasure import deny_hash, resolve_key
from graph_identity.store.event_cache import EventCache
from graph_identity.store.records import event_from_record, event_row, native
from graph_identity.store.region import load_region
from graph_identity.store.schema import schema_applied
from graph_identity.store.tx import run
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
    ) -> None:
        self.driver = driver
        self.database = database
        self.config = config
        self.events = EventCache()
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
            accepted, duplicates = await session.execute_write(
                self._ingest_tx, list(prepared.values())
            )
        return IngestOutcome(accepted, duplicates + in_batch_duplicates, rejected)

    async def _ingest_tx(self, tx: AsyncManagedTransaction, events: list[Event]) -> tuple[int, int]:
        """(accepted, duplicates). An event made only of erased identifiers (or whose ACCOUNT
        was erased) is accepted and dropped, and its id joins the deny-list so a replay counts
        as a duplicate: the answer is the same as for any other event, so an ingest caller
        cannot learn that a value was erased."""
        if not events:
            return 0, 0
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
        if fresh:
            await tx.run(query("ingest/write_events"), {"rows": [event_row(e) for e in fresh]})
            self.events.put(fresh)
            fast, exact = fast_path.split(fresh)
            exact += await fast_path.apply(tx, fast, self.config)
            seed_times: dict[str, list[datetime]] = defaultdict(list)
            for event in exact:
                for ident in event.identifiers:
                    seed_times[ident.key].append(event.at)
            if exact:
                await self.recompute(
                    tx, set(seed_times), seed_times=seed_times, fresh=exact, locked=batch_keys
                )
        accepted = len(fresh) + len(erased)
        return accepted, len(events) - accepted

    # -- reads -----------------------------------------------------------------------------

    async def persons(self, person_ids: list[str]) -> list[PersonView | None]:
        if not person_ids:
            return []
        rows = await self.read("persons/read", ids=person_ids)
        return [
            None
            if row["id"] is None
            else _person_view(row["id"], row["identifiers"], row["merged"])
            for row in rows
        ]

    async def person(self, person_id: str) -> PersonView | None:
        return (await self.persons([person_id]))[0]

    async def person_events(self, person_id: str, first: int, after: str | None) -> Page[EventView]:
        after_at: datetime | None = None
        after_id: str | None = None
        if after:
            after_at, after_id = decode_time_cursor(after)
        person = await self.person(person_id)
        if person is None:
            return Page([], False)
        rows = await self.read(
            "persons/events",
            person=person.id,
            after_at=after_at,
            after_id=after_id,
            limit=first + 1,
        )
        items: list[tuple[str, EventView]] = []
        for row in rows[:first]:
            view = _event_view(row)
            items.append((encode_cursor(view.at.isoformat(), view.id), view))
        return Page(items, len(rows) > first)

    async def event(self, event_id: str) -> EventView | None:
        """One evidence event by id; None when unknown or erased."""
        rows = await self.read("events/read", id=event_id)
        return _event_view(rows[0]) if rows else None

    async def resolve(self, identifier: Identifier, at: datetime | None) -> ResolutionView:
        rows = await self.read("persons/resolve", key=identifier.key)
        if not rows:
            return ResolutionView(None, 0.0, False, [], known=False)
        row = rows[0]
        listed = row["persons"]
        views = {
            p["person"]: _person_view(p["person"], p["identifiers"], p["merged"]) for p in listed
        }
        candidates = [CandidateView(views[p["person"]], float(p["confidence"])) for p in listed]
        if not row["shared"]:
            if not candidates:
                return ResolutionView(None, 0.0, False, [])
            best = candidates[0]
            return ResolutionView(best.person, best.confidence, False, candidates)
        chosen = self._at_moment(row, listed, at)
        if chosen is not None:
            person_id, confidence = chosen
            view = views[person_id] if person_id in views else await self.person(person_id)
            if view is not None:
                return ResolutionView(view, confidence, True, candidates)
        return ResolutionView(None, 0.0, True, candidates)

    def _at_moment(
        self, row: Any, listed: list[dict[str, Any]], at: datetime | None
    ) -> tuple[str, float] | None:
        """Who a shared identifier stands for at ``at`` (or now): the session on a carrier, or
        for an email or phone the holder at that moment when its holders took turns."""
        if row["segments"]:
            segments = json.loads(row["segments"])
            moment = at or datetime.now(UTC)
            for segment in segments:
                start = segment["start"] and datetime.fromisoformat(segment["start"])
                end = segment["end"] and datetime.fromisoformat(segment["end"])
                if (start is None or start <= moment) and (end is None or moment < end):
                    if segment["person"] and (at is not None or segment["account"]):
                        return segment["person"], float(segment["confidence"])
                    return None
            return None
        periods = [(p["person"], native(p["first"]), native(p["last"])) for p in listed]
        holder = holder_at(periods, at or datetime.now(UTC), self.config.handover_gap)
        if holder is None:
            return None
        return holder, next(float(p["confidence"]) for p in listed if p["person"] == holder)

    async def shared_identifiers(
        self,
        min_persons: int,
        types: list[IdentifierType] | None,
        since: datetime | None,
        first: int,
        after: str | None,
    ) -> Page[SharedIdentifierView]:
        skip = decode_offset_cursor(after)
        rows = await self.read(
            "persons/shared",
            min=min_persons,
            types=[t.value for t in types] if types else None,
            since=since,
            skip=skip,
            limit=first + 1,
        )
        page = rows[:first]
        all_ids = sorted({p for r in page for p in r["persons"]})
        views = dict(zip(all_ids, await self.persons(all_ids), strict=True))
        items = []
        for n, row in enumerate(page):
            persons = [v for p in sorted(row["persons"]) if (v := views[p]) is not None]
            view = SharedIdentifierView(
                IdentifierType(row["type"]),
                row["value"],
                int(row["count"]),
                persons,
                native(row["lastSeen"]),
            )
            items.append((encode_cursor(str(skip + n + 1)), view))
        return Page(items, len(rows) > first)

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


def _event_view(row: Any) -> EventView:
    event = event_from_record(row)
    return EventView(
        event.id, event.at, event.type, event.channel, list(event.identifiers), event.attributes
    )


def _person_view(person_id: str, identifiers: list[Any], merged: list[str]) -> PersonView:
    views = sorted(
        (
            PersonIdentifierView(
                type=IdentifierType(i["type"]),
                value=i["value"],
                confidence=float(i["confidence"]),
                shared=bool(i["shared"]),
                first_seen=native(i["first"]),
                last_seen=native(i["last"]),
            )
            for i in identifiers
        ),
        key=lambda i: (i.shared, -i.confidence, i.type.value, i.value),
    )
    return PersonView(person_id, views, sorted(merged))
