"""Guards ``graph-identity serve --workers N``: N service processes answer on one port, each
with its own driver, and a write through one is read through any of them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from graph_identity.bench.runner import serve_in_subprocess
from tests.conftest import Neo4jServer, neo4j_settings

KEY = "workers-test-key"
INGEST = "mutation($e: [EventInput!]!) { ingest(events: $e) { accepted } }"
RESOLVE = "query($i: IdentifierInput!) { resolve(identifier: $i) { person { id } } }"


def children(pid: int) -> list[int]:
    """Live processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.fixture
def two_workers(neo4j_server: Neo4jServer, clean_db: None) -> Iterator[tuple[str, int]]:
    settings = neo4j_settings(neo4j_server, GRAPH_IDENTITY_API_KEYS=f"admin:{KEY}")
    with serve_in_subprocess(settings, timeout=120, args=["--workers", "2"]) as served:
        yield served.base, served.pid


def test_two_workers_serve_one_port_and_agree(two_workers: tuple[str, int]) -> None:
    base, pid = two_workers
    assert len(children(pid)) >= 2  # uvicorn's supervisor, then one process per worker
    headers = {"Authorization": f"Bearer {KEY}"}
    event = {
        "id": "w-1",
        "at": "2026-01-05T10:00:00+00:00",
        "type": "LOGIN",
        "identifiers": [{"type": "ACCOUNT", "value": "w-ann"}, {"type": "COOKIE", "value": "w-c"}],
    }
    with httpx.Client(headers=headers, timeout=60) as client:
        posted = client.post(f"{base}/graphql", json={"query": INGEST, "variables": {"e": [event]}})
        assert posted.json() == {"data": {"ingest": {"accepted": 1}}}
        answers = set()
        for _ in range(20):  # fresh connections, so both workers answer some
            with httpx.Client(headers=headers, timeout=60) as fresh:
                body = fresh.post(
                    f"{base}/graphql",
                    json={"query": RESOLVE, "variables": {"i": {"type": "COOKIE", "value": "w-c"}}},
                ).json()
            answers.add(body["data"]["resolve"]["person"]["id"])
    assert len(answers) == 1 and None not in answers
