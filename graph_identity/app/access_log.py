"""uvicorn's access log without query strings.

A GET of ``/graphql?query=...&variables={"i": {"value": "ann@example.com"}}`` would otherwise
write the email into the access log, where erasure cannot reach it. :class:`PathOnly` sits on
the ``uvicorn.access`` logger itself (not on one handler), so every handler, including any an
operator adds, sees the path only.
"""

from __future__ import annotations

import copy
import logging
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
