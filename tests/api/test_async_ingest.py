"""The asynchronous ingest mode over HTTP (README "Ingest modes"): an ingest answers with its
events stored and pending, the server's background resolver resolves them without another
call, and a server in the default synchronous mode resolves what an asynchronous run left
behind when it starts. Nothing is lost either way."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import neo4j

from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.events import EventType, RawEvent, RawIdentifier
from graph_identity.domain.identifiers import IdentifierType
from graph_identity.store.neo4j_store import Neo4jIdentityStore
from tests.api.conftest import Api
from tests.conftest import serving
from tests.events import event as build

if TYPE_CHECKING:
    from tests.conftest import Neo4jServer

INGEST = """
mutation Ingest($events: [EventInput!]!) {
  ingest(events: $events) { accepted duplicates pending rejected { eventId reason } }
}
"""
RESOLVE = """
query($i: IdentifierInput!) { resolve(identifier: $i) { person { id identifiers { value } } } }
"""
#: generous: the resolver polls every 0.2 s here; the wait ends as soon as the answer is there
WAIT_SECONDS = 30.0


def _at(minute: int) -> datetime:
    return datetime(2026, 3, 2, 11, minute, tzinfo=UTC)


def ev(event_id: str, minute: int, kind: str, *identifiers: tuple[str, str]) -> dict[str, Any]:
    return build(event_id, f"2026-03-02T10:{minute:02d}:00Z", kind, *identifiers)


JOURNEY = [
    ev("a-1", 0, "PAGE_VIEW", ("COOKIE", "ck-async")),
    ev("a-2", 5, "LOGIN", ("ACCOUNT", "acct-async"), ("COOKIE", "ck-async")),
    ev("a-3", 6, "IDENTIFY", ("ACCOUNT", "acct-async"), ("EMAIL", "async@example.com")),
]


async def resolved_values(api: Api, kind: str, value: str) -> set[str] | None:
    """The identifier values of the person ``value`` resolves to, once it resolves (None if
    it does not within WAIT_SECONDS)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        data = await api.data(RESOLVE, {"i": {"type": kind, "value": value}})
        person = data["resolve"]["person"]
        if person is not None:
            return {i["value"] for i in person["identifiers"]}
        await asyncio.sleep(0.1)
    return None


async def test_async_ingest_answers_pending_and_resolves_in_the_background(
    api: Api, clean_db: None
) -> None:
    settings = api.settings.model_copy(update={"ingest_mode": "async", "backlog_poll_seconds": 0.2})
    with serving(settings) as url:
        deferred = Api(url=url, keys=api.keys, settings=settings)
        result = (await deferred.data(INGEST, {"events": JOURNEY}, role="ingest"))["ingest"]
        assert result == {"accepted": 3, "duplicates": 0, "pending": 3, "rejected": []}
        values = await resolved_values(deferred, "EMAIL", "async@example.com")
        assert values == {"acct-async", "ck-async", "async@example.com"}
        replay = (await deferred.data(INGEST, {"events": JOURNEY}, role="ingest"))["ingest"]
        assert replay == {"accepted": 0, "duplicates": 3, "pending": 0, "rejected": []}
    # the synchronous server (the default) answers pending: 0 and is resolved on return
    result = await api.data(INGEST, {"events": [ev("a-4", 9, "CALL", ("EMAIL", "s@x.org"))]})
    assert result["ingest"]["pending"] == 0
    person = (await api.data(RESOLVE, {"i": {"type": "EMAIL", "value": "s@x.org"}}))["resolve"]
    assert person["person"] is not None


async def test_a_synchronous_server_resolves_what_an_asynchronous_run_left(
    api: Api, driver: neo4j.AsyncDriver, neo4j_server: Neo4jServer, clean_db: None
) -> None:
    deferred = Neo4jIdentityStore(driver, neo4j_server.database, ResolutionConfig(), deferred=True)
    cookie = RawIdentifier(IdentifierType.COOKIE, "ck-left")
    account = RawIdentifier(IdentifierType.ACCOUNT, "acct-left")
    outcome = await deferred.ingest(
        [
            RawEvent("l-1", _at(0), EventType.PAGE_VIEW, (cookie,)),
            RawEvent("l-2", _at(1), EventType.LOGIN, (account, cookie)),
        ],
        verified_ids=set(),
    )
    assert outcome.pending == 2
    assert await deferred.backlog() == 2
    with serving(api.settings) as url:  # synchronous: it drains the backlog once, at start
        restarted = Api(url=url, keys=api.keys, settings=api.settings)
        assert await resolved_values(restarted, "COOKIE", "ck-left") == {"ck-left", "acct-left"}
    assert await deferred.backlog() == 0
