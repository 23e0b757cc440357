"""The background resolver of the asynchronous ingest (README "Ingest modes").

With ``GRAPH_IDENTITY_INGEST_MODE=async`` an ingest stores its events as pending and answers;
every server process then runs :func:`resolve_in_background`, which resolves the backlog a
transaction of ``GRAPH_IDENTITY_BACKLOG_BATCH`` events at a time (one resolver at a time
across processes) as soon as this process stores events, and every
``GRAPH_IDENTITY_BACKLOG_POLL_SECONDS`` for events other processes stored, each time after
letting ``GRAPH_IDENTITY_BACKLOG_GATHER_SECONDS`` of the stream gather. In the default
synchronous mode it only drains what an earlier asynchronous run left, once at start-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from contextlib import AbstractAsyncContextManager

from neo4j.exceptions import ServiceUnavailable, SessionExpired, TransientError

from graph_identity.settings import Settings
from graph_identity.store.availability import is_unavailable
from graph_identity.store.background import in_background
from graph_identity.store.core import StoreCore
from graph_identity.store.db_state import DATABASE, cause_of

log = logging.getLogger(__name__)

#: how long the resolver waits after a failure (Neo4j away) before it tries again
RETRY_SECONDS = 5.0


#: failures that mean "Neo4j cannot answer now": the events stay pending for a later try
OUTAGE = (ServiceUnavailable, SessionExpired, TransientError)


async def drain(store: StoreCore, batch: int) -> int:
    """Resolve the whole backlog now; returns how many events left it (resolved, or set
    aside because their own resolution fails: :func:`_set_aside_failures`)."""
    total = 0
    while True:
        try:
            done = await store.resolve_backlog(batch)
        except OUTAGE:
            raise
        except Exception:
            log.exception("resolving the backlog failed; looking for the events that fail")
            done = await _set_aside_failures(store, await store.pending_ids(batch))
        if not done:
            return total
        total += done


async def _set_aside_failures(store: StoreCore, ids: list[str]) -> int:
    """Resolve ``ids`` in halves until each event that fails on its own is found, and set
    those aside (stored, out of the backlog, reported by ``check``) so that one bad event does
    not hold up every event behind it; returns how many left the backlog."""
    try:
        return await store.resolve_backlog(len(ids), only=ids)
    except OUTAGE:
        raise
    except Exception as exc:
        if len(ids) > 1:
            half = len(ids) // 2
            return await _set_aside_failures(store, ids[:half]) + await _set_aside_failures(
                store, ids[half:]
            )
        reason = f"{type(exc).__name__}: {exc}"[:500]
        log.error("event %s cannot be resolved and is set aside: %s", ids[0], reason)
        await store.set_aside(ids[0], reason)
        return 1


async def resolve_in_background(
    store: StoreCore,
    *,
    batch: int,
    poll_seconds: float,
    forever: bool,
    gather_seconds: float = 0.0,
) -> None:
    """Resolve the backlog until cancelled (``forever``) or until it is empty once. Woken by
    this process's ingests or every ``poll_seconds``, it first lets ``gather_seconds`` of a
    stream gather, so that one transaction resolves many batches (a region recomputed once
    for all of them)."""
    while True:
        store.backlog_added.clear()
        try:
            began = time.perf_counter()
            resolved = await drain(store, batch)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # Neo4j away or a transient failure: the events stay pending
            if is_unavailable(exc):  # said once, not a traceback every few seconds
                DATABASE.unreachable(cause_of(exc), "the backlog resolver")
            else:
                log.exception("the backlog resolver failed; retrying in %.0f s", RETRY_SECONDS)
            await asyncio.sleep(RETRY_SECONDS)
            continue
        DATABASE.reachable()
        if resolved:
            log.info("backlog: %d events resolved in %.2f s", resolved, time.perf_counter() - began)
        if not forever:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(store.backlog_added.wait(), timeout=poll_seconds)
        if gather_seconds:
            await asyncio.sleep(gather_seconds)


def resolving_backlog(
    store: StoreCore, settings: Settings, background: bool
) -> AbstractAsyncContextManager[None]:
    """The server's resolver in the background for the life of the block: it runs for good
    in the asynchronous mode, drains what an earlier run left once in the synchronous one, and
    not at all without ``background`` (bulk loads) or with
    GRAPH_IDENTITY_RESOLVE_IN_SERVER=false."""
    work = (
        resolve_in_background(
            store,
            batch=settings.backlog_batch,
            poll_seconds=settings.backlog_poll_seconds,
            gather_seconds=settings.backlog_gather_seconds,
            forever=settings.ingest_mode == "async",
        )
        if background and settings.resolve_in_server
        else None
    )
    return in_background(work, "backlog resolver")
