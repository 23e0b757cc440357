"""The API under test: the real app served by uvicorn on loopback, against the session's Neo4j.

``api`` starts one server for the session with an API key per role and OIDC pointed at
``oidc``, a tiny JWKS server on 127.0.0.1 with a fresh RSA key. ``api.gql(query, variables,
role=...)`` posts a GraphQL request as that role and returns the response body.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import httpx
import jwt
import neo4j
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from graph_identity.settings import Settings
from tests.conftest import neo4j_settings, serving

if TYPE_CHECKING:  # conftest is pytest's to import; only its type is needed here
    from tests.conftest import Neo4jServer

ROLES = ("ingest", "agent", "fraud", "admin")
AUDIENCE = "graph-identity-api"
#: the client applications whose ID tokens may verify a LOGIN
CLIENT_IDS = ("web-app", "mobile-app")
INGEST = """
mutation Ingest($events: [EventInput!]!) {
  ingest(events: $events) { accepted duplicates rejected { eventId reason } }
}
"""


@dataclass
class Oidc:
    """A loopback identity provider: its issuer URL and a way to mint tokens it signs."""

    issuer: str
    key: rsa.RSAPrivateKey
    kid: str = "test-key"

    def token(
        self,
        key: rsa.RSAPrivateKey | None = None,
        headers: dict[str, str] | None = None,
        **claims: Any,
    ) -> str:
        now = int(time.time())
        body = {"iss": self.issuer, "iat": now, "exp": now + 300, **claims}
        header = {"kid": self.kid, **(headers or {})}
        return jwt.encode(body, key or self.key, algorithm="RS256", headers=header)


class _JwksHandler(BaseHTTPRequestHandler):
    documents: dict[str, bytes] = {}  # noqa: RUF012 (set once per server class below)

    def do_GET(self) -> None:
        body = self.documents.get(self.path)
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body or b"{}")

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def oidc() -> Iterator[Oidc]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update({"kid": "test-key", "use": "sig", "alg": "RS256"})
    handler = type("Handler", (_JwksHandler,), {"documents": {}})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    issuer = f"http://127.0.0.1:{server.server_address[1]}"
    handler.documents = {
        "/.well-known/openid-configuration": json.dumps(
            {"issuer": issuer, "jwks_uri": f"{issuer}/jwks.json"}
        ).encode(),
        "/jwks.json": json.dumps({"keys": [jwk]}).encode(),
    }
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Oidc(issuer=issuer, key=key)
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Api:
    """The running server: its base URL and an API key per role."""

    url: str
    keys: dict[str, str]
    settings: Settings
    timeout: float = 60.0
    last_status: int = field(default=0, init=False)

    async def post(
        self,
        payload: dict[str, Any],
        *,
        role: str | None = "admin",
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        headers = dict(headers or {})
        bearer = token if token is not None else (self.keys[role] if role else None)
        if bearer is not None:
            headers["Authorization"] = f"Bearer {bearer}"
        async with httpx.AsyncClient(timeout=self.timeout) as client:
            return await client.post(f"{self.url}/graphql", json=payload, headers=headers)

    async def gql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        role: str | None = "admin",
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """The response body of one GraphQL request (which must answer HTTP 200)."""
        response = await self.post(
            {"query": query, "variables": variables or {}}, role=role, token=token, headers=headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def data(
        self, query: str, variables: dict[str, Any] | None = None, *, role: str = "admin"
    ) -> dict[str, Any]:
        """The ``data`` of a request that must succeed without errors."""
        body = await self.gql(query, variables, role=role)
        assert not body.get("errors"), body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    async def ingest(self, events: list[dict[str, Any]], *, role: str = "ingest") -> dict[str, Any]:
        """Ingest events; the ``IngestResult`` (accepted, duplicates, rejected)."""
        data = await self.data(INGEST, {"events": events}, role=role)
        result: dict[str, Any] = data["ingest"]
        return result

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        async with httpx.AsyncClient(timeout=self.timeout) as client:
            return await client.get(f"{self.url}{path}", **kwargs)

    async def metrics(self) -> httpx.Response:
        """``/metrics`` as an admin (it needs the metrics key or an admin credential)."""
        return await self.get("/metrics", headers={"Authorization": f"Bearer {self.keys['admin']}"})

    @staticmethod
    def codes(body: dict[str, Any]) -> list[str]:
        """The ``extensions.code`` of each error in a response body."""
        return [e.get("extensions", {}).get("code") for e in body.get("errors") or []]


@pytest.fixture(scope="session")
def api(neo4j_server: Neo4jServer, oidc: Oidc) -> Iterator[Api]:
    keys = {role: f"{role}-{secrets.token_urlsafe(12)}" for role in ROLES}
    settings = neo4j_settings(
        neo4j_server,
        GRAPH_IDENTITY_API_KEYS=",".join(f"{role}:{key}" for role, key in keys.items()),
        GRAPH_IDENTITY_OIDC_ISSUER=oidc.issuer,
        GRAPH_IDENTITY_OIDC_AUDIENCE=AUDIENCE,
        GRAPH_IDENTITY_OIDC_CLIENT_IDS=",".join(CLIENT_IDS),
        GRAPH_IDENTITY_MAX_BATCH=1000,
        GRAPH_IDENTITY_METRICS_KEY=f"metrics-{secrets.token_urlsafe(12)}",
        GRAPH_IDENTITY_MAX_BODY_BYTES=4 * 1024 * 1024,
    )
    with serving(settings) as url:
        yield Api(url=url, keys=keys, settings=settings)


NodeCount = Callable[[], Awaitable[int]]


@pytest.fixture
def node_count(driver: neo4j.AsyncDriver, neo4j_server: Neo4jServer) -> NodeCount:
    """How many nodes the database holds: equal before and after means nothing was written."""

    async def count() -> int:
        records, _, _ = await driver.execute_query(
            "MATCH (n) RETURN count(n) AS n", database_=neo4j_server.database
        )
        return int(records[0]["n"])

    return count


#: the labelled keys of ``governed_api`` besides one plain key per role
GOVERNED_KEYS = {
    "assistant": {"role": "agent", "label": "assistant", "purposes": ["SERVICE"], "rate_limit": 3},
    "campaigns": {"role": "agent", "label": "campaigns", "purposes": ["MARKETING", "ANALYTICS"]},
    "desk": {"role": "agent", "label": "desk", "purposes": ["SERVICE", "PERSONALIZATION"]},
}


@pytest.fixture(scope="session")
def governed_api(
    neo4j_server: Neo4jServer, oidc: Oidc, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Api]:
    """A second server whose keys use the JSON form: the role keys in the variable, the
    labelled ``campaigns`` key in GRAPH_IDENTITY_API_KEYS_FILE; ``assistant`` may read 3
    persons a minute, for SERVICE only (only the rate limit test may use it)."""
    keys = {name: f"{name}-{secrets.token_urlsafe(12)}" for name in (*ROLES, *GOVERNED_KEYS)}
    inline = [{"role": role, "key": keys[role]} for role in ROLES]
    inline += [{**GOVERNED_KEYS[n], "key": keys[n]} for n in ("assistant", "desk")]
    key_file = tmp_path_factory.mktemp("keys") / "keys.json"
    key_file.write_text(json.dumps([{**GOVERNED_KEYS["campaigns"], "key": keys["campaigns"]}]))
    settings = neo4j_settings(
        neo4j_server,
        GRAPH_IDENTITY_API_KEYS=json.dumps(inline),
        GRAPH_IDENTITY_API_KEYS_FILE=str(key_file),
        GRAPH_IDENTITY_OIDC_ISSUER=oidc.issuer,
        GRAPH_IDENTITY_OIDC_AUDIENCE=AUDIENCE,
    )
    with serving(settings) as url:
        yield Api(url=url, keys=keys, settings=settings)
