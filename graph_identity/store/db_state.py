"""Whether Neo4j answers, as this process last saw it, logged once per change.

While Neo4j is down (stopped, restarting), the background resolver, the reconciler and every
request fail the same way; a traceback for each buries the one fact an operator needs. Code
that meets a failure meaning "the database cannot answer now"
(:func:`availability.is_unavailable`) reports it here instead of logging it: the first report
after the database answered logs one line, and the first success after an outage logs one
line. Every other failure keeps its traceback.

There is one per process (:data:`DATABASE`, a plain object like a logger): the requests and the
background tasks of a process talk to one database, so they share what they saw of it.
"""

from __future__ import annotations

import logging
import time

log = logging.getLogger("graph_identity.neo4j")


def cause_of(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


class DatabaseState:
    """Up or down, with one log line at each change."""

    def __init__(self) -> None:
        self._down_since: float | None = None

    @property
    def down(self) -> bool:
        return self._down_since is not None

    def unreachable(self, cause: str, where: str) -> None:
        """``where`` met ``cause``, a failure meaning the database cannot answer now."""
        if self._down_since is None:
            self._down_since = time.monotonic()
            log.warning(
                "neo4j unreachable (%s, met by %s): requests answer 503 until it is back",
                cause,
                where,
            )

    def reachable(self) -> None:
        """Something the database had to answer succeeded."""
        if self._down_since is not None:
            log.warning("neo4j reachable again after %.0f s", time.monotonic() - self._down_since)
            self._down_since = None


DATABASE = DatabaseState()
