"""Group commit: rows from concurrent callers written together, each caller told when its own
row is durable.

A caller hands its rows to :meth:`GroupCommit.add` and waits. The first row of a group opens a
short window (``max_wait``, or until ``max_rows`` rows wait); then every waiting row goes to
``write`` in one call, and each caller returns once that call has returned (the transaction
committed) or raises what it raised. While one group is written the next one gathers, so
under load a transaction carries the rows of every request that arrived during the previous
one, and when the server is idle a row waits only ``max_wait``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

Rows = list[dict[str, Any]]


class GroupCommit:
    """One per process and purpose (the access log); create it inside the running loop."""

    def __init__(
        self,
        write: Callable[[Rows], Awaitable[None]],
        *,
        max_wait: float = 0.002,
        max_rows: int = 500,
    ) -> None:
        self._write = write
        self.max_wait = max_wait
        self.max_rows = max_rows
        self._waiting: list[tuple[Rows, asyncio.Future[None]]] = []
        self._full = asyncio.Event()
        self._writer: asyncio.Task[None] | None = None
        self.groups = 0  # transactions written (for tests and metrics)

    async def add(self, rows: Rows) -> None:
        """Return once ``rows`` are committed; raise what the write raised if it failed."""
        if not rows:
            return
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((rows, done))
        if sum(len(r) for r, _ in self._waiting) >= self.max_rows:
            self._full.set()
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain(), name="group-commit")
        await asyncio.shield(done)  # a caller gone away must not cancel the others' write

    async def _drain(self) -> None:
        while self._waiting:
            with contextlib.suppress(TimeoutError):  # the window closes, or the group is full
                await asyncio.wait_for(self._full.wait(), self.max_wait)
            self._full.clear()
            group, self._waiting = self._waiting, []
            try:
                await self._write([row for rows, _ in group for row in rows])
            except Exception as exc:  # every waiter of the group learns the write failed
                for _, done in group:
                    if not done.done():
                        done.set_exception(exc)
            else:
                self.groups += 1
                for _, done in group:
                    if not done.done():
                        done.set_result(None)

    async def aclose(self) -> None:
        """Wait for the rows already handed in to be written."""
        if self._writer is not None:
            await asyncio.gather(self._writer, return_exceptions=True)
