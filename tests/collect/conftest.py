"""The collection source under test: the real app on loopback with write keys, against the
session's Neo4j.

``collector`` serves the app with a key per reading role, three write keys (``web``; ``capped``
with a rate limit of 5 messages a minute; ``shop``, which the demo shop at /shop uses), one
allowed cross-origin site, and OIDC pointed at the loopback ``oidc`` provider of the API tests.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from tests.api.conftest import AUDIENCE, CLIENT_IDS, Oidc, oidc
from tests.conftest import neo4j_settings, serving
from tests.console.conftest import ConsoleApp

if TYPE_CHECKING:
    from tests.conftest import Neo4jServer

__all__ = ["Collector", "collector", "oidc"]

ALLOWED_ORIGIN = "https://shop.example.com"
ROLES = ("ingest", "agent", "admin")
SOURCES = {"web": None, "capped": 5, "shop": None}


def basic(key: str) -> dict[str, str]:
    """The header the Segment SDKs send: the write key as user name, no password."""
    return {"Authorization": "Basic " + base64.b64encode(f"{key}:".encode()).decode()}


@dataclass
class Collector(ConsoleApp):
    """The running app: its URL, the reading keys, and the write keys by source name."""

    write_keys: dict[str, str] = field(default_factory=dict)

    def send(
        self,
        path: str,
        body: Any,
        *,
        source: str | None = "web",
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """POST ``body`` (JSON, or bytes as they are) to ``/v1/<path>`` with a write key."""
        sent = dict(headers or {})
        if source is not None:
            sent |= basic(self.write_keys[source])
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        sent.setdefault("Content-Type", "application/json")
        return httpx.post(f"{self.url}/v1/{path}", content=content, headers=sent, timeout=60)

    def person_of(self, kind: str, value: str) -> dict[str, Any] | None:
        """The person ``(kind, value)`` resolves to now, with its identifiers and events."""
        data = self.data(PERSON_OF, {"i": {"type": kind, "value": value}})
        person: dict[str, Any] | None = data["resolve"]["person"]
        return person


PERSON_OF = """
query($i: IdentifierInput!) {
  resolve(identifier: $i) {
    assurance
    person {
      id
      identifiers { type value }
      events(first: 100) { edges { node { id type at channel attributes
                                          identifiers { type value } } } }
    }
  }
}
"""


@pytest.fixture(scope="session")
def collector(neo4j_server: Neo4jServer, oidc: Oidc) -> Iterator[Collector]:
    keys = {role: f"{role}-{secrets.token_urlsafe(12)}" for role in ROLES}
    write_keys = {name: f"wk-{name}-{secrets.token_urlsafe(12)}" for name in SOURCES}
    entries = [{"key": key, "role": role} for role, key in keys.items()]
    for name, limit in SOURCES.items():
        entry: dict[str, Any] = {"key": write_keys[name], "role": "source", "source": name}
        if limit is not None:
            entry["rate_limit"] = limit
        entries.append(entry)
    settings = neo4j_settings(
        neo4j_server,
        GRAPH_IDENTITY_API_KEYS=json.dumps(entries),
        GRAPH_IDENTITY_OIDC_ISSUER=oidc.issuer,
        GRAPH_IDENTITY_OIDC_AUDIENCE=AUDIENCE,
        GRAPH_IDENTITY_OIDC_CLIENT_IDS=",".join(CLIENT_IDS),
        GRAPH_IDENTITY_COLLECT_ORIGINS=ALLOWED_ORIGIN,
        GRAPH_IDENTITY_SHOP_WRITE_KEY=write_keys["shop"],
    )
    with serving(settings) as url:
        yield Collector(url=url, keys=keys, write_keys=write_keys, settings=settings)
