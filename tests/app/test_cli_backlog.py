"""Guards `graph-identity backlog`: it counts the events an asynchronous ingest left pending,
`--resolve` resolves them, and `check` reports a backlog until it is resolved."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from typer.testing import CliRunner

from graph_identity.app.cli import app
from graph_identity.connect import open_driver
from graph_identity.domain.events import EventType, RawEvent, RawIdentifier
from graph_identity.domain.identifiers import Identifier, IdentifierType
from graph_identity.settings import Settings
from graph_identity.store.neo4j_store import Neo4jIdentityStore


async def _ingest_pending(settings: Settings) -> int:
    cookie = RawIdentifier(IdentifierType.COOKIE, "ck-cli")
    account = RawIdentifier(IdentifierType.ACCOUNT, "acct-cli")
    at = datetime(2026, 4, 1, 9, tzinfo=UTC)
    async with open_driver(settings) as driver:
        store = Neo4jIdentityStore(
            driver, settings.neo4j_database, settings.resolution(), deferred=True
        )
        outcome = await store.ingest(
            [
                RawEvent("cli-1", at, EventType.PAGE_VIEW, (cookie,)),
                RawEvent("cli-2", at, EventType.LOGIN, (account, cookie)),
            ],
            verified_ids=set(),
        )
        return outcome.pending


async def _owner_of_cookie(settings: Settings) -> set[str]:
    async with open_driver(settings) as driver:
        store = Neo4jIdentityStore(driver, settings.neo4j_database, settings.resolution())
        answer = await store.resolve(Identifier(IdentifierType.COOKIE, "ck-cli"), None)
        if answer.person is None:
            return set()
        return {i.value for i in answer.person.identifiers}


def test_backlog_counts_resolves_and_check_reports_it(settings: Settings, clean_db: None) -> None:
    env = {
        "NEO4J_URI": settings.neo4j_uri,
        "NEO4J_USER": settings.neo4j_user,
        "NEO4J_PASSWORD": settings.neo4j_password,
        "NEO4J_DATABASE": settings.neo4j_database,
    }
    assert asyncio.run(_ingest_pending(settings)) == 2
    runner = CliRunner()
    counted = runner.invoke(app, ["backlog"], env=env)
    assert counted.exit_code == 0, counted.output
    assert counted.output.strip() == "pending: 2 events"
    checked = runner.invoke(app, ["check"], env=env)
    assert checked.exit_code == 1 and "2 events await resolution" in checked.output
    assert asyncio.run(_owner_of_cookie(settings)) == set()  # not resolved yet
    resolved = runner.invoke(app, ["backlog", "--resolve"], env=env)
    assert resolved.exit_code == 0, resolved.output
    assert resolved.output.split("\n")[:2] == ["resolved: 2 events", "pending: 0 events"]
    assert asyncio.run(_owner_of_cookie(settings)) == {"ck-cli", "acct-cli"}
    checked = runner.invoke(app, ["check"], env=env)
    assert checked.exit_code == 0, checked.output
