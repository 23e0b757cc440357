"""Guards the HTTP surface: 401 with a JSON body without a good token, GraphiQL for a browser,
/healthz, /readyz (and its 503 with a reason), and /metrics in Prometheus text format."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import httpx
import neo4j
import pytest

from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.events import EventType, RawEvent, RawIdentifier
from graph_identity.domain.identifiers import IdentifierType
from graph_identity.store.neo4j_store import Neo4jIdentityStore
from graph_identity.store.schema import migrate

if TYPE_CHECKING:
    from tests.api.conftest import Api
    from tests.conftest import Neo4jServer

QUERY = {"query": "{ __typename }"}


@pytest.mark.parametrize(
    ("description", "headers"),
    [
        ("no header", {}),
        ("unknown key", {"Authorization": "Bearer nope"}),
        ("not bearer", {"Authorization": "Basic YWRtaW46YWRtaW4="}),
        ("forged JWT", {"Authorization": "Bearer aaa.bbb.ccc"}),
    ],
)
async def test_graphql_needs_a_good_token(
    api: Api, description: str, headers: dict[str, str]
) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{api.url}/graphql", json=QUERY, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert body["errors"][0]["message"]


async def test_get_query_needs_a_token_too(api: Api) -> None:
    response = await api.get("/graphql", params={"query": "{ __typename }"})
    assert response.status_code == 401


async def test_graphiql_for_a_browser(api: Api) -> None:
    response = await api.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]
    assert "graphiql" in response.text.lower()


async def test_token_is_enough(api: Api) -> None:
    body = await api.gql("{ __typename }", role="ingest")
    assert body == {"data": {"__typename": "Query"}}


async def test_healthz(api: Api) -> None:
    response = await api.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz(api: Api, clean_db: None) -> None:
    response = await api.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ready"}


async def test_readyz_without_schema_is_503(
    api: Api, clean_db: None, driver: neo4j.AsyncDriver, neo4j_server: Neo4jServer
) -> None:
    await driver.execute_query(
        "MATCH (s:SchemaVersion) DETACH DELETE s", database_=neo4j_server.database
    )
    try:
        response = await api.get("/readyz")
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable", "reason": "schema not applied"}
    finally:
        await migrate(driver, neo4j_server.database)


async def test_metrics(
    api: Api, clean_db: None, driver: neo4j.AsyncDriver, neo4j_server: Neo4jServer
) -> None:
    # an event an asynchronous ingest left pending shows in the backlog gauge
    deferred = Neo4jIdentityStore(driver, neo4j_server.database, ResolutionConfig(), deferred=True)
    cookie = RawIdentifier(IdentifierType.COOKIE, "ck-metrics")
    at = datetime(2026, 5, 1, tzinfo=UTC)
    await deferred.ingest([RawEvent("m-1", at, EventType.PAGE_VIEW, (cookie,))], verified_ids=set())
    await api.gql("{ __typename }", role="agent")
    await api.gql('{ person(id: "nobody") { id } }', role="agent")
    await api.gql('{ person(id: "nobody") { id } }', role="ingest")
    await api.post(QUERY, role=None)
    response = await api.metrics()
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'graph_identity_graphql_operations_total{operation="person",outcome="ok"}' in text
    assert 'graph_identity_graphql_operations_total{operation="person",outcome="FORBIDDEN"}' in text
    assert 'graph_identity_graphql_operation_seconds_bucket{le="0.005",operation="person"}' in text
    assert "graph_identity_unauthenticated_requests_total" in text
    assert "graph_identity_backlog_events 1.0" in text
    assert "graph_identity_hubs_awaiting_reconciliation 0.0" in text


async def test_metrics_need_the_metrics_key_or_admin(api: Api) -> None:
    assert (await api.get("/metrics")).status_code == 401
    assert (await api.get("/metrics", headers={"Authorization": "Bearer"})).status_code == 401
    agent = {"Authorization": f"Bearer {api.keys['agent']}"}
    assert (await api.get("/metrics", headers=agent)).status_code == 403
    assert api.settings.metrics_key is not None
    scraper = {"Authorization": f"Bearer {api.settings.metrics_key.get_secret_value()}"}
    response = await api.get("/metrics", headers=scraper)
    assert response.status_code == 200
    assert "graph_identity_unauthenticated_requests_total" in response.text


async def test_a_post_body_is_parsed_once(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server checks a JSON body's shape before strawberry runs, and strawberry gets that
    parse instead of decoding the body a second time (a 500-event batch costs milliseconds)."""
    from graph_identity.app import server

    calls: list[int] = []
    original = server.decode_json

    def counting(data: str | bytes) -> object:
        calls.append(len(data))
        return original(data)

    monkeypatch.setattr(server, "decode_json", counting)
    body = await api.data("{ __typename }")
    assert body == {"__typename": "Query"}
    assert len(calls) == 1
