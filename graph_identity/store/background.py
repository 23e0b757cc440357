"""Work that runs beside the service for as long as a block lives (reconciliation, the
asynchronous ingest's resolver)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine
from typing import Any


@contextlib.asynccontextmanager
async def in_background(work: Coroutine[Any, Any, None] | None, name: str) -> AsyncIterator[None]:
    """Run ``work`` as a task for the life of the block (nothing when it is None); it is
    cancelled on the way out, so a transaction in flight rolls back."""
    if work is None:
        yield
        return
    task = asyncio.create_task(work, name=name)
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
