"""Guards GraphQL over HTTP: a client accepting application/graphql-response+json gets that
media type and HTTP 400 without `data` for documents that fail to parse, validate or coerce
(application/json keeps HTTP 200), field errors stay HTTP 200; and the npm graphql-http audit
(`auditServer`) passes against the live server with no warning and no error."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

if TYPE_CHECKING:
    from tests.api.conftest import Api

AUDIT_DIR = Path(__file__).parent / "http_audit"
NEW = "application/graphql-response+json"
RESOLVE = "query($i: IdentifierInput!) { resolve(identifier: $i) { known } }"


async def post(api: Api, payload: dict[str, Any], accept: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {api.keys['agent']}", "Accept": accept}
    async with httpx.AsyncClient() as client:
        return await client.post(f"{api.url}/graphql", json=payload, headers=headers)


@pytest.mark.parametrize(
    ("description", "payload"),
    [
        ("does not parse", {"query": "{ person("}),
        ("does not validate", {"query": "{ nope }"}),
        ("unused variable", {"query": "query($x: Int) { __typename }", "variables": {"x": 1}}),
        ("variable does not coerce", {"query": RESOLVE, "variables": {"i": {"type": "NOPE"}}}),
    ],
)
async def test_request_errors_are_400_for_the_new_media_type(
    api: Api, description: str, payload: dict[str, Any]
) -> None:
    new = await post(api, payload, f"{NEW}, application/json;q=0.9")
    assert new.status_code == 400, description
    assert new.headers["content-type"].startswith(NEW)
    body = new.json()
    assert "data" not in body and body["errors"], description
    legacy = await post(api, payload, "application/json")
    assert legacy.status_code == 200, description
    assert legacy.headers["content-type"].startswith("application/json")
    assert legacy.json()["errors"] == body["errors"], "the same errors either way"


async def test_executed_requests_stay_200(api: Api, clean_db: None) -> None:
    ok = await post(api, {"query": "{ __typename }"}, NEW)
    assert (ok.status_code, ok.json()) == (200, {"data": {"__typename": "Query"}})
    assert ok.headers["content-type"].startswith(NEW)
    refused = await post(api, {"query": "{ auditLog { edges { cursor } } }"}, NEW)
    assert refused.status_code == 200, "a field error is an execution result"
    assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    not_wanted = await post(api, {"query": "{ __typename }"}, f"{NEW};q=0, application/json")
    assert not_wanted.headers["content-type"].startswith("application/json")


async def test_validation_codes_match_the_docs(api: Api) -> None:
    unused = await api.gql("query($x: Int) { __typename }", {"x": 1}, role="agent")
    assert api.codes(unused) == ["GRAPHQL_VALIDATION_FAILED"]
    undefined = await api.gql("{ resolve(identifier: $i) { known } }", role="agent")
    assert api.codes(undefined) == ["GRAPHQL_VALIDATION_FAILED"]
    wrong_type = await api.gql(RESOLVE, {"i": {"type": "NOPE", "value": "x"}}, role="agent")
    assert api.codes(wrong_type) == ["BAD_USER_INPUT"]
    missing = await api.gql(RESOLVE, {}, role="agent")
    assert api.codes(missing) == ["BAD_USER_INPUT"]


def test_graphql_http_audit_passes(api: Api) -> None:
    node = shutil.which("node")
    assert node, "Node.js is needed for the graphql-http audit"
    assert (AUDIT_DIR / "node_modules" / "graphql-http").is_dir(), "run scripts/setup"
    run = subprocess.run(
        [node, "audit.mjs", f"{api.url}/graphql", api.keys["agent"]],
        cwd=AUDIT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    results = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    assert len(results) >= 50, run.stdout
    problems = [r for r in results if r["status"] != "ok"]
    assert problems == [], problems
