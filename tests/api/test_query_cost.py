"""Guards the query cost limit and the read deadline over HTTP (docs/limits.md): a document
whose fragments fan out, or a large nested read, is refused before it executes with
``QUERY_TOO_COSTLY`` naming the limit; ``first`` given as a variable counts; a query past its
deadline is cut with ``DEADLINE_EXCEEDED`` while a mutation is not."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.api.conftest import Api
from tests.conftest import neo4j_settings, serving

if TYPE_CHECKING:
    from tests.conftest import Neo4jServer


def fan_out(levels: int) -> str:
    """The 884-byte attack: each fragment spreads the next twice, 2^levels resolves."""
    fragments = " ".join(
        f"fragment F{n} on Query{{...F{n + 1} ...F{n + 1}}}" for n in range(levels)
    )
    resolve = 'resolve(identifier:{type:COOKIE,value:"x"}){confidence}'
    leaf = f"fragment F{levels} on Query{{{resolve}}}"
    return f"query{{...F0}} {fragments} {leaf}"


FAN_OUT = fan_out(20)
#: a read the API allows argument by argument, which on a large world ran 13 s into a 503
LARGE_READ = """
{ sharedIdentifiers(first: 200) { edges { node { value persons { id
    events(first: 200) { edges { node { id attributes identifiers { value } } } }
    explanation { identifiers { links { evidenceEventIds } } } } } } } }
"""
PAGE = "auditLog(first: $n) { edges { node { id actor action reason details personIds } } }"
#: 19 aliased pages of $n entries: fine for a few, too costly for 200 each
PAGES = "query($n: Int) { " + " ".join(f"a{k}: {PAGE}" for k in range(19)) + " }"


async def test_fragment_fan_out_is_refused_before_it_runs(api: Api) -> None:
    body = await api.gql(FAN_OUT, role="agent")
    assert api.codes(body) == ["QUERY_TOO_COSTLY"], body
    (error,) = body["errors"]
    assert "GRAPH_IDENTITY_MAX_QUERY_COST" in error["message"]
    assert error["extensions"]["cost"] > 2**20 > error["extensions"]["limit"]
    assert body.get("data") is None


async def test_the_fan_out_is_refused_before_it_is_validated(api: Api) -> None:
    # validating 2^30 spreads one at a time (the standard rules and the depth limiter do)
    # would not end within the client's timeout
    body = await api.gql(fan_out(30), role="agent")
    assert api.codes(body) == ["QUERY_TOO_COSTLY"], body


async def test_a_small_fan_out_still_runs(api: Api) -> None:
    body = await api.gql(fan_out(3), role="agent")
    assert not body.get("errors"), body
    assert body["data"]["resolve"]["confidence"] == 0.0


async def test_large_read_is_refused_up_front(api: Api) -> None:
    response = await api.post({"query": LARGE_READ}, role="admin")
    assert response.status_code == 200, response.text
    assert api.codes(response.json()) == ["QUERY_TOO_COSTLY"]


async def test_first_as_a_variable_counts(api: Api) -> None:
    small = await api.gql(PAGES, {"n": 5}, role="admin")
    assert not small.get("errors"), small
    large = await api.gql(PAGES, {"n": 200}, role="admin")
    assert api.codes(large) == ["QUERY_TOO_COSTLY"], large


@pytest.fixture(scope="module")
def hurried_api(neo4j_server: Neo4jServer) -> Iterator[Api]:
    """A server whose queries must finish within a millisecond: any query that reads Neo4j
    runs past it."""
    keys = {role: f"{role}-{secrets.token_urlsafe(12)}" for role in ("ingest", "admin")}
    settings = neo4j_settings(
        neo4j_server,
        GRAPH_IDENTITY_API_KEYS=",".join(f"{role}:{key}" for role, key in keys.items()),
        GRAPH_IDENTITY_QUERY_DEADLINE_SECONDS=0.001,
    )
    with serving(settings) as url:
        yield Api(url=url, keys=keys, settings=settings)


async def test_a_query_past_its_deadline_is_cut_and_a_mutation_is_not(
    hurried_api: Api, clean_db: None
) -> None:
    cookie = {"type": "COOKIE", "value": "ck-deadline"}
    event = {
        "id": "dl-1",
        "at": "2026-01-05T10:00:00Z",
        "type": "PAGE_VIEW",
        "identifiers": [cookie],
    }
    assert (await hurried_api.ingest([event]))["accepted"] == 1
    body = await hurried_api.gql(
        "{ sharedIdentifiers(minPersons: 2) { edges { cursor } } }", role="admin"
    )
    assert hurried_api.codes(body) == ["DEADLINE_EXCEEDED"], body
    assert "GRAPH_IDENTITY_QUERY_DEADLINE_SECONDS" in body["errors"][0]["message"]
    health = await hurried_api.get("/healthz")
    assert health.status_code == 200


async def test_a_long_fragment_chain_is_refused_cleanly(api: Api) -> None:
    chain = " ".join(f"fragment F{n} on Query{{...F{n + 1}}}" for n in range(480))
    body = await api.gql(f"query{{...F0}} {chain} fragment F480 on Query{{__typename}}")
    assert api.codes(body) and set(api.codes(body)) <= {
        "GRAPHQL_VALIDATION_FAILED",
        "GRAPHQL_PARSE_FAILED",
        "QUERY_TOO_COSTLY",
    }, body
