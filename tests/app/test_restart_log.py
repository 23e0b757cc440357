"""Guards the running service through `graph-identity neo4j stop` and `start` (README "Bad
input and outages"): while Neo4j is away requests answer 503, the log says so once, with no
traceback from the background resolver, the reconciler or the requests; once it is back the
log says so once and the next request is answered (its time is printed, not asserted).

The server stopped here is a managed one of its own (its own home and port)."""

from __future__ import annotations

import asyncio
import logging
import secrets
import time

import httpx
import pytest

from graph_identity.neo4j_local import QUICK_START_JVM_OPTIONS, LocalNeo4j, start, stop
from graph_identity.settings import Settings
from tests.app.test_outage import own_neo4j
from tests.app.threaded import served

__all__ = ["own_neo4j"]

RESOLVE = '{ resolve(identifier: {type: EMAIL, value: "nobody@example.com"}) { known } }'


async def post(client: httpx.AsyncClient, url: str) -> tuple[int, float]:
    began = time.monotonic()
    response = await client.post(f"{url}/graphql", json={"query": RESOLVE})
    return response.status_code, time.monotonic() - began


async def test_stop_and_start_log_one_line_each(
    own_neo4j: tuple[LocalNeo4j, str], caplog: pytest.LogCaptureFixture
) -> None:
    server, password = own_neo4j
    key = "agent-" + secrets.token_hex(8)
    settings = Settings(
        NEO4J_URI=server.uri,
        NEO4J_PASSWORD=password,
        GRAPH_IDENTITY_API_KEYS=f"agent:{key}",
        GRAPH_IDENTITY_RECONCILE_INTERVAL=1,
        GRAPH_IDENTITY_NEO4J_CONNECT_TIMEOUT=2,
        GRAPH_IDENTITY_NEO4J_ACQUIRE_TIMEOUT=3,
        GRAPH_IDENTITY_NEO4J_RETRY_SECONDS=2,
    )
    caplog.set_level(logging.WARNING)
    auth = {"Authorization": f"Bearer {key}"}
    async with served(settings) as url, httpx.AsyncClient(timeout=60, headers=auth) as c:
        assert (await post(c, url))[0] == 200
        caplog.clear()
        stop(server.home, grace=60)
        for _ in range(3):  # requests, and a few background passes, meet the dead database
            assert (await post(c, url))[0] == 503
            assert (await c.get(f"{url}/readyz")).status_code == 503
            await asyncio.sleep(2)
        start(server.home, server.port, password, timeout=240,
              jvm_options=QUICK_START_JVM_OPTIONS)  # fmt: skip
        status, seconds = await post(c, url)
        then = [await post(c, url) for _ in range(3)]
        print(f"first request after the restart: HTTP {status} in {seconds:.2f} s; the next "
              f"three: {', '.join(f'{t:.2f} s' for _, t in then)}")  # fmt: skip
        assert status == 200
        await asyncio.sleep(2)  # the background resolver's next pass
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    tracebacks = [r for r in records if r.exc_info or "Traceback" in r.getMessage()]
    assert not tracebacks, [r.getMessage() for r in tracebacks]
    down = [r for r in records if "neo4j unreachable" in r.getMessage()]
    up = [r for r in records if "neo4j reachable again" in r.getMessage()]
    assert len(down) == 1 and len(up) == 1, [r.getMessage() for r in records]
    assert records.index(down[0]) < records.index(up[0])
