"""uvicorn's access log without query strings, written off the event loop.

A GET of ``/graphql?query=...&variables={"i": {"value": "ann@example.com"}}`` would otherwise
write the email into the access log, where erasure cannot reach it. :class:`PathOnly` sits on
the ``uvicorn.access`` logger itself (not on one handler), so every handler, including any an
operator adds, sees the path only. :func:`buffered_access_log` hands each line to a thread of its
own, which formats and writes it: the request that logged it does not wait for the terminal.
"""

from __future__ import annotations

import copy
import logging
import queue
from collections.abc import Iterator
from contextlib import contextmanager
from logging.handlers import QueueHandler, QueueListener
from typing import Any

from uvicorn.config import LOGGING_CONFIG

#: uvicorn's access record: (client address, method, path with query, HTTP version, status)
_ACCESS_ARGS = 5


class PathOnly(logging.Filter):
    """Cuts the query string off the path of each access-log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == _ACCESS_ARGS and isinstance(args[2], str):
            record.args = (args[0], args[1], args[2].split("?", 1)[0], *args[3:])
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's logging configuration with :class:`PathOnly` on the access logger."""
    config: dict[str, Any] = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["path_only"] = {"()": f"{__name__}.PathOnly"}
    config["loggers"]["uvicorn.access"]["filters"] = ["path_only"]
    return config


class _Deferred(QueueHandler):
    """Queues the record as it is: the listener's handlers format it (QueueHandler would format
    it here, on the event loop)."""

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        return record


@contextmanager
def buffered_access_log() -> Iterator[None]:
    """While open, the handlers of ``uvicorn.access`` run in a listener thread; the logger's
    own filters (:class:`PathOnly`) still run first, in the request."""
    logger = logging.getLogger("uvicorn.access")
    handlers = list(logger.handlers)
    if not handlers:
        yield
        return
    lines: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    listener = QueueListener(lines, *handlers, respect_handler_level=True)
    deferred = _Deferred(lines)
    for handler in handlers:
        logger.removeHandler(handler)
    logger.addHandler(deferred)
    listener.start()
    try:
        yield
    finally:
        logger.removeHandler(deferred)
        listener.stop()
        for handler in handlers:
            logger.addHandler(handler)
