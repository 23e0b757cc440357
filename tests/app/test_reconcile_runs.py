"""Guards how reconciliation of hub regions runs outside the store tests: the server's
background task every GRAPH_IDENTITY_RECONCILE_INTERVAL seconds, and the `graph-identity
reconcile` and `graph-identity check --exact` commands (tests/store/test_reconcile.py proves
the reconciliation itself against the pure function)."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from typing import TYPE_CHECKING

import neo4j
import pytest
from typer.testing import CliRunner

from graph_identity.app.cli import app as cli
from graph_identity.app.server import create_app
from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.event_json import raw_event
from graph_identity.settings import Settings
from graph_identity.simulator.world import WorldConfig, generate_world
from graph_identity.store.exactness import differences
from graph_identity.store.neo4j_store import Neo4jIdentityStore
from graph_identity.store.reconcile import pending
from graph_identity.store.service import IdentityService

if TYPE_CHECKING:  # conftest is pytest's to import; only its type is needed here
    from tests.conftest import Neo4jServer

#: a world whose family emails and tablets are shared by more than two persons
WORLD = WorldConfig(seed=3, households=10, households_per_neighbourhood=10)


async def ingest_shuffled(service: IdentityService) -> None:
    raws = [raw_event(e) for e in generate_world(WORLD).events]
    random.Random(1).shuffle(raws)
    for start in range(0, len(raws), 25):
        await service.ingest(raws[start : start + 25], verified_ids=set())


async def test_the_server_reconciles_in_the_background(
    settings: Settings,
    driver: neo4j.AsyncDriver,
    neo4j_server: Neo4jServer,
    clean_db: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    quick = settings.model_copy(
        update={"reconcile_interval": 0.2, "hub_persons": 2, "api_keys": "admin:k"}
    )
    store = Neo4jIdentityStore(driver, neo4j_server.database, ResolutionConfig(hub_persons=2))
    app = create_app(quick)
    caplog.set_level(logging.INFO, logger="graph_identity.store.reconcile")
    async with app.router.lifespan_context(app) as state:
        assert isinstance(state, dict)
        await ingest_shuffled(state["runtime"].service)
        deadline = time.monotonic() + 60
        while (await pending(store, 0))[1] and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
    assert (await pending(store, 0))[1] == 0
    assert any(r.getMessage().startswith("reconciled ") for r in caplog.records)
    assert await differences(store) == []


async def test_reconcile_and_check_commands(
    driver: neo4j.AsyncDriver, neo4j_server: Neo4jServer, clean_db: None
) -> None:
    store = Neo4jIdentityStore(driver, neo4j_server.database, ResolutionConfig(hub_persons=2))
    await ingest_shuffled(store)
    env = {
        "NEO4J_URI": neo4j_server.uri,
        "NEO4J_USER": neo4j_server.user,
        "NEO4J_PASSWORD": neo4j_server.password,
        "NEO4J_DATABASE": neo4j_server.database,
        "GRAPH_IDENTITY_HUB_PERSONS": "2",
    }

    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(cli, list(args), env=env)
        return result.exit_code, result.output

    code, out = await asyncio.to_thread(run, "check")
    assert code == 0 and "hub(s) await reconciliation" in out, out
    code, out = await asyncio.to_thread(run, "check", "--exact")
    assert code == 1 and "memberships a rebuild would" in out, out
    code, out = await asyncio.to_thread(run, "reconcile")
    assert code == 0 and out.startswith("reconciled: ") and "0 mark(s) pending" in out, out
    assert " 0 person(s) changed" not in out, out
    code, out = await asyncio.to_thread(run, "check", "--exact")
    assert (code, out) == (0, "graph OK\n")
