"""Guards the service through a Neo4j crash (README "Bad input and outages"): a kill -9
of a managed Neo4j in the middle of concurrent ingests loses no acknowledged event; while the
database is down every request answers promptly with HTTP 503, ``extensions.code =
UNAVAILABLE`` and ``Retry-After``, and ``/readyz`` names no internal address; after a restart
re-sending everything stores every event once and the graph passes ``check``.

The server killed here is a managed one of its own (its own home and port), never the
session's."""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import signal
import time
from collections.abc import Iterator
from typing import Any

import httpx
import neo4j
import pytest

from graph_identity.domain.config import ResolutionConfig
from graph_identity.neo4j_local import QUICK_START_JVM_OPTIONS, LocalNeo4j, start, stop
from graph_identity.settings import Settings
from graph_identity.store.maintenance import check
from graph_identity.store.neo4j_store import Neo4jIdentityStore
from tests.app.threaded import served
from tests.conftest import free_port

INGEST = (
    "mutation($e: [EventInput!]!) "
    "{ ingest(events: $e) { accepted duplicates rejected { eventId } } }"
)
INGESTERS = 4
BATCH = 10
#: a request to a dead database must answer within this (the configured waits are ~2 s each)
PROMPT_SECONDS = 15.0


def batch(worker: int, n: int) -> list[dict[str, Any]]:
    return [
        {
            "id": f"w{worker}-b{n}-e{k}",
            "at": f"2026-03-01T{worker:02d}:{n % 60:02d}:{k:02d}Z",
            "type": "LOGIN" if k == 0 else "PAGE_VIEW",
            "identifiers": [{"type": "COOKIE", "value": f"ck-{worker}-{n % 7}"}]
            + ([{"type": "ACCOUNT", "value": f"acc-{worker}-{n % 5}"}] if k == 0 else []),
        }
        for k in range(BATCH)
    ]


@pytest.fixture
def own_neo4j() -> Iterator[tuple[LocalNeo4j, str]]:
    """A managed server this test may kill; stopped and removed afterwards."""
    port = free_port()
    home = Settings().neo4j_home / "test-homes" / f"{os.getpid()}-{port}"
    password = "pw-" + secrets.token_hex(12)
    server = start(home, port, password, timeout=240, jvm_options=QUICK_START_JVM_OPTIONS)
    try:
        yield server, password
    finally:
        stop(home, grace=20)
        shutil.rmtree(home, ignore_errors=True)


async def test_kill_9_mid_ingest(own_neo4j: tuple[LocalNeo4j, str]) -> None:
    server, password = own_neo4j
    key = "admin-" + secrets.token_hex(8)
    settings = Settings(
        NEO4J_URI=server.uri,
        NEO4J_PASSWORD=password,
        GRAPH_IDENTITY_API_KEYS=f"admin:{key}",
        GRAPH_IDENTITY_NEO4J_CONNECT_TIMEOUT=2,
        GRAPH_IDENTITY_NEO4J_ACQUIRE_TIMEOUT=3,
        GRAPH_IDENTITY_NEO4J_RETRY_SECONDS=2,
    )
    acknowledged: set[str] = set()
    sent: list[list[dict[str, Any]]] = []
    unavailable: list[float] = []
    killed = asyncio.Event()
    headers = {"Authorization": f"Bearer {key}"}
    async with served(settings) as url:

        async def ingester(worker: int, client: httpx.AsyncClient) -> None:
            n = 0
            while not killed.is_set() or n % 3:  # keep sending a little after the kill
                events = batch(worker, n)
                sent.append(events)
                n += 1
                began = time.monotonic()
                response = await client.post(
                    f"{url}/graphql", json={"query": INGEST, "variables": {"e": events}}
                )
                if response.status_code == 200:
                    body = response.json()
                    assert "errors" not in body, body
                    assert body["data"]["ingest"]["rejected"] == []
                    acknowledged.update(e["id"] for e in events)
                    continue
                assert response.status_code == 503, response.text
                assert response.headers["Retry-After"].isdigit()
                codes = [e["extensions"]["code"] for e in response.json()["errors"]]
                assert codes == ["UNAVAILABLE"], response.text
                assert "127.0.0.1" not in response.text
                unavailable.append(time.monotonic() - began)

        async with httpx.AsyncClient(timeout=120, headers=headers) as client:
            workers = [asyncio.create_task(ingester(w, client)) for w in range(INGESTERS)]
            while len(acknowledged) < 20 * BATCH:
                await asyncio.sleep(0.05)
                assert not any(w.done() for w in workers), [w.exception() for w in workers]
            os.kill(server.pid, signal.SIGKILL)
            killed.set()
            await asyncio.gather(*workers)
            began = time.monotonic()
            ready = await client.get(f"{url}/readyz")
            assert time.monotonic() - began < PROMPT_SECONDS
            assert ready.status_code == 503
            assert str(server.port) not in ready.text and "127.0.0.1" not in ready.text
            assert unavailable, "some requests met the dead database"
            assert max(unavailable) < PROMPT_SECONDS, unavailable

            start(server.home, server.port, password, timeout=240,
                  jvm_options=QUICK_START_JVM_OPTIONS)  # fmt: skip
            async with neo4j.AsyncGraphDatabase.driver(
                server.uri, auth=("neo4j", password)
            ) as driver:
                records, _, _ = await driver.execute_query(
                    "MATCH (e:Event) WHERE e.id IN $ids RETURN count(e) AS n",
                    ids=sorted(acknowledged),
                )
                assert records[0]["n"] == len(acknowledged), "an acknowledged event was lost"

                for events in sent:  # the client's retry after the outage
                    response = await client.post(
                        f"{url}/graphql", json={"query": INGEST, "variables": {"e": events}}
                    )
                    assert response.status_code == 200, response.text
                everything = {e["id"] for events in sent for e in events}
                records, _, _ = await driver.execute_query(
                    "MATCH (e:Event) RETURN count(e) AS n, count(DISTINCT e.id) AS ids"
                )
                assert records[0]["n"] == records[0]["ids"] == len(everything)
                store = Neo4jIdentityStore(driver, "neo4j", ResolutionConfig())
                assert await check(store) == []
