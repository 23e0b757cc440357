"""Write contention is not an outage (docs/limits.md "Write contention").

Ingests whose regions meet take the same region locks; Neo4j breaks a lock cycle by failing
one transaction (a deadlock victim), and a lock wait can time out. The driver's managed
transaction retries those for ``GRAPH_IDENTITY_NEO4J_RETRY_SECONDS`` only, a budget sized for
a database that is away, which sixteen writers into one busy kiosk exhaust. :func:`write_queued`
keeps retrying a contended write, with jittered backoff, for :data:`PATIENCE_SECONDS`: the
writers queue and all succeed. Only past that does the caller get :class:`Contended`, which the
API answers with ``CONTENTION`` and ``Retry-After`` (never ``UNAVAILABLE``, which means the
database is away).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from typing import Concatenate, ParamSpec, TypeVar

from neo4j import AsyncManagedTransaction, AsyncSession
from neo4j.exceptions import TransientError

#: how long a contended write keeps retrying before the caller is told to retry later
PATIENCE_SECONDS = 120.0
#: the longest pause between two attempts (each pause is random below the current ceiling)
MAX_PAUSE_SECONDS = 1.0
#: Neo4j status codes that mean another transaction holds what this one needs
CONTENTION_CODES = (
    "Neo.TransientError.Transaction.DeadlockDetected",
    "Neo.TransientError.Transaction.LockAcquisitionTimeout",
    "Neo.TransientError.Transaction.LockClientStopped",
)

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")


class Contended(Exception):
    """A write lost to other writers for longer than :data:`PATIENCE_SECONDS`."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the write waited {seconds:.0f} s for locks other writers hold")


def is_contention(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or what it was raised from) is a lock conflict between writers."""
    seen = 0
    while exc is not None and seen < 8:
        if isinstance(exc, Contended):
            return True
        if isinstance(exc, TransientError) and (exc.code or "") in CONTENTION_CODES:
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


async def write_queued(
    session: AsyncSession,
    work: Callable[Concatenate[AsyncManagedTransaction, P], Awaitable[T]],
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """``session.execute_write(work, ...)``, retried while it loses to other writers."""
    started = time.monotonic()
    ceiling = 0.05
    attempt = 0
    while True:
        attempt += 1
        try:
            return await session.execute_write(work, *args, **kwargs)
        except TransientError as exc:
            waited = time.monotonic() - started
            if not is_contention(exc):
                raise
            if waited > PATIENCE_SECONDS:
                raise Contended(waited) from exc
            log.info("write attempt %d lost to other writers (%s); retrying", attempt, exc.code)
        await asyncio.sleep(random.uniform(0, ceiling))
        ceiling = min(ceiling * 2, MAX_PAUSE_SECONDS)
