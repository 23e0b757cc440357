"""Fixtures every test tier shares: one real Neo4j per session, a driver, a clean database.

Where Neo4j comes from, first that works:
1. ``GRAPH_IDENTITY_TEST_NEO4J_URI`` (with ``NEO4J_USER``/``NEO4J_PASSWORD``): a server you run;
2. a Docker engine that answers: ``neo4j:5.26-community`` through testcontainers;
3. a local server (graph_identity.neo4j_local) in a home of its own under the cache dir,
   on a free loopback port, stopped and removed when the session ends.
If none can be had the run fails with the reasons: store tests never silently skip.
"""

from __future__ import annotations

import gc
import os
import secrets
import shutil
import socket
import threading
import time
import warnings
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import neo4j
import pytest
import uvicorn

from graph_identity.app.server import create_app
from graph_identity.neo4j_local import QUICK_START_JVM_OPTIONS, Neo4jLocalError, start, stop
from graph_identity.settings import Settings
from graph_identity.store.cypher import query
from graph_identity.store.schema import migrate

DOCKER_IMAGE = "neo4j:5.26-community"


def pytest_configure(config: pytest.Config) -> None:
    """Servers under test do not reconcile hub regions in the background (it would move
    persons under tests that do not expect it); tests/store/test_reconcile.py turns it on."""
    os.environ.setdefault("GRAPH_IDENTITY_RECONCILE_INTERVAL", "0")


@dataclass(frozen=True)
class Neo4jServer:
    uri: str
    user: str
    password: str
    database: str = "neo4j"
    #: The server home when this session started a local server, else None.
    home: Path | None = None


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _docker_answers() -> bool:
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    if host.startswith("unix://") and not Path(host.removeprefix("unix://")).exists():
        return False
    with warnings.catch_warnings():
        # The SDK leaks a socket when nothing answers; that is its problem, not a test failure.
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            import docker

            client = docker.from_env(timeout=3)
            try:
                return bool(client.ping())
            finally:
                client.close()
        except Exception:  # no SDK, no engine, no permission: all mean "no Docker"
            return False
        finally:
            gc.collect()


def _start_container(password: str) -> Any:
    from testcontainers.community.neo4j import Neo4jContainer

    container = Neo4jContainer(DOCKER_IMAGE, password=password)
    container.with_env("NEO4J_server_memory_heap_max__size", "1G")
    with warnings.catch_warnings():  # testcontainers' own deprecations are not ours to fix
        warnings.simplefilter("ignore", DeprecationWarning)
        container.start()
    return container


def _reap_stale_homes(homes: Path) -> None:
    """Stop and remove test homes whose pytest process is gone (a killed earlier run)."""
    for home in homes.glob("*-*"):
        owner = home.name.split("-")[0]
        try:
            os.kill(int(owner), 0)
            continue
        except ProcessLookupError:
            pass
        except (ValueError, PermissionError):
            continue
        stop(home, grace=20)
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[Neo4jServer]:
    """The session's Neo4j (see the module docstring for where it comes from)."""
    uri = os.environ.get("GRAPH_IDENTITY_TEST_NEO4J_URI")
    if uri:
        yield Neo4jServer(
            uri,
            os.environ.get("NEO4J_USER", "neo4j"),
            os.environ.get("NEO4J_PASSWORD", "graph-identity"),
            os.environ.get("NEO4J_DATABASE", "neo4j"),
        )
        return
    password = "pw-" + secrets.token_hex(12)
    reasons: list[str] = []
    if _docker_answers():
        try:
            container = _start_container(password)
        except Exception as exc:  # fall back to the local server, keep the reason
            reasons.append(f"Docker ({DOCKER_IMAGE}): {exc}")
        else:
            try:
                yield Neo4jServer(container.get_connection_url(), "neo4j", password)
            finally:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", DeprecationWarning)
                    container.stop()
            return
    else:
        reasons.append("Docker: no engine answers")
    homes = Settings().neo4j_home / "test-homes"
    _reap_stale_homes(homes)
    port = free_port()
    # One home per session: several sessions (people, CI jobs) may run side by side.
    home = homes / f"{os.getpid()}-{port}"
    try:
        server = start(home, port, password, timeout=240, jvm_options=QUICK_START_JVM_OPTIONS)
    except Neo4jLocalError as exc:
        shutil.rmtree(home, ignore_errors=True)
        reasons.append(f"local server: {exc}")
        pytest.fail("no Neo4j for the tests:\n" + "\n".join(reasons), pytrace=False)
    try:
        yield Neo4jServer(server.uri, "neo4j", password, home=server.home)
    finally:
        stop(home)
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
async def driver(neo4j_server: Neo4jServer) -> AsyncIterator[neo4j.AsyncDriver]:
    """One driver for the session, as the service keeps one for its life."""
    auth = (neo4j_server.user, neo4j_server.password)
    async with neo4j.AsyncGraphDatabase.driver(neo4j_server.uri, auth=auth) as drv:
        await drv.verify_connectivity()
        yield drv


@pytest.fixture
async def clean_db(driver: neo4j.AsyncDriver, neo4j_server: Neo4jServer) -> None:
    """An empty database with the current schema applied."""
    async with driver.session(database=neo4j_server.database) as session:
        result = await session.run(query("testing/delete_all"))
        await result.consume()
    await migrate(driver, neo4j_server.database)


@pytest.fixture
def settings(neo4j_server: Neo4jServer) -> Settings:
    """Settings pointing at the session's Neo4j; everything else from defaults/environment."""
    return neo4j_settings(neo4j_server)


def neo4j_settings(server: Neo4jServer, **variables: Any) -> Settings:
    """Settings pointing at the session's Neo4j, with ``variables`` (by their environment
    names) on top."""
    return Settings(
        NEO4J_URI=server.uri,
        NEO4J_USER=server.user,
        NEO4J_PASSWORD=server.password,
        NEO4J_DATABASE=server.database,
        **variables,
    )


#: how long a test's API server may take to start
STARTUP_SECONDS = 120.0


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """The app with these settings served on a free loopback port; yields its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(settings), lifespan="on", http="h11", ws="none", log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the API server did not start (see the log above)", pytrace=False)
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
