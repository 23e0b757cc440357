"""The real app served by uvicorn in a thread of the test process, on a free loopback port, so
a test can stop and start the Neo4j under it and read its log records (``caplog``)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import AsyncIterator

import uvicorn

from graph_identity.app.server import create_app
from graph_identity.settings import Settings


@contextlib.asynccontextmanager
async def served(settings: Settings) -> AsyncIterator[str]:
    """The base URL of the app once it has started; stopped on leaving."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    app = uvicorn.Server(uvicorn.Config(create_app(settings), lifespan="on", log_level="warning"))
    thread = threading.Thread(target=app.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 120
        while not app.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the API did not start"
            await asyncio.sleep(0.05)
        yield url
    finally:
        app.should_exit = True
        thread.join(timeout=30)
        sock.close()
