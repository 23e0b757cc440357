"""Which driver failures mean "Neo4j cannot answer right now" (retry later), as opposed to a
bug or bad input. The API answers these with HTTP 503 and ``extensions.code = UNAVAILABLE``.
A lock conflict between writers is a transient error too, but not an outage
(store/contention.py).

How long a request waits before it gets there is bounded by the driver settings in
:func:`driver_options` (see README "Outages").
"""

from __future__ import annotations

from typing import Any

from neo4j.exceptions import ConnectionPoolError, ServiceUnavailable, SessionExpired, TransientError

from graph_identity.store.contention import is_contention

UNAVAILABLE_ERRORS = (ServiceUnavailable, SessionExpired, ConnectionPoolError, TransientError)


def is_unavailable(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or what it was raised from) says the database cannot answer now."""
    seen = 0
    while exc is not None and seen < 8:
        if isinstance(exc, UNAVAILABLE_ERRORS) and not is_contention(exc):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def driver_options(
    connect_seconds: float, acquire_seconds: float, retry_seconds: float
) -> dict[str, Any]:
    """Driver keyword arguments that bound every wait on an unreachable server: opening a
    connection, waiting for one from the pool, and retrying a managed transaction."""
    return {
        "connection_timeout": connect_seconds,
        "connection_acquisition_timeout": acquire_seconds,
        "max_transaction_retry_time": retry_seconds,
    }
