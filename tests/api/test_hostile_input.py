"""Guards the HTTP surface against hostile input (docs/api.md "Limits"): every malformed body,
forged cursor or out-of-range value gets a clean 4xx or a ``BAD_USER_INPUT`` error, never a 5xx,
a masked "Internal server error." or raw exception text; bodies over the configured size are
refused with 413 before they are read whole."""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from graph_identity.api.errors import MASKED_MESSAGE

if TYPE_CHECKING:
    from tests.api.conftest import Api

#: text that only an unhandled exception would put into an answer
LEAK_MARKERS = ("Traceback", "Error(", "object has no attribute", "arg is an empty", "KeyError")


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


SHARED = "{ sharedIdentifiers(%s) { edges { cursor } } }"
AUDIT = "{ auditLog(%s) { edges { cursor } } }"
RESOLVE_AT = '{ resolve(identifier: {type: COOKIE, value: "c"}, at: "%s") { confidence } }'
GRAPHQL_CASES: list[tuple[str, str, str | None]] = [
    ("audit cursor of garbage", AUDIT % 'after: "Z2FyYmFnZR94"', "after"),
    ("shared cursor of a superscript digit", SHARED % 'after: "wrI="', "after"),
    ("shared cursor of 2^63-1", SHARED % f'after: "{b64(str(2**63 - 1))}"', "after"),
    ("audit cursor of a huge year", AUDIT % f'after: "{b64("99999-01-01" + chr(31) + "x")}"',
     "after"),
    ("since at the end of time", SHARED % 'since: "9999-12-31T23:59:59-14:00"', "since"),
    ("resolve at the start of time", RESOLVE_AT % "0001-01-01T00:00:00+14:00", "at"),
    ("unknown fragment", "{ ...a }", None),
    ("empty selection", "{ ... on Query { } }", None),
    ("fragment cycle",
     "query { ...a } fragment a on Query { ...b } fragment b on Query { ...a }", None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("description", "query", "field"), GRAPHQL_CASES, ids=[c[0] for c in GRAPHQL_CASES]
)
async def test_hostile_queries_are_refused_cleanly(
    api: Api, clean_db: None, description: str, query: str, field: str | None
) -> None:
    response = await api.post({"query": query})
    assert response.status_code < 500, response.text
    if response.status_code != 200:
        return
    body = response.json()
    assert body.get("errors"), body
    for error in body["errors"]:
        assert error["message"] != MASKED_MESSAGE, body
        assert not any(marker in error["message"] for marker in LEAK_MARKERS), body
    if field is not None:
        assert api.codes(body) == ["BAD_USER_INPUT"], body
        assert body["errors"][0]["extensions"]["field"] == field


BODY_CASES: list[tuple[str, bytes, str]] = [
    ("null", b"null", "application/json"),
    ("a number", b"1", "application/json"),
    ("a string", b'"x"', "application/json"),
    ("a list of numbers", b"[1, 2]", "application/json"),
    ("invalid UTF-8", b'{"query": "{ __typename \xff }"}', "application/json"),
    ("latin-1", '{"query": "{ __typename }", "operationName": "é"}'.encode("latin-1"),
     "application/json; charset=latin-1"),
    ("a 5,000-digit number",
     b'{"query": "{ __typename }", "variables": {"n": ' + b"9" * 5000 + b"}}", "application/json"),
    ("nested 1,000 deep", b'{"query": "{ __typename }", "variables": {"v": ' + b"[" * 1000
     + b"]" * 1000 + b"}}", "application/json"),
    ("NaN", b'{"query": "{ __typename }", "variables": {"v": NaN}}', "application/json"),
    ("operationName of a number", b'{"query": "{ __typename }", "operationName": 5}',
     "application/json"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("description", "body", "content_type"), BODY_CASES, ids=[c[0] for c in BODY_CASES]
)
async def test_hostile_bodies_are_4xx(
    api: Api, description: str, body: bytes, content_type: str
) -> None:
    headers = {"Authorization": f"Bearer {api.keys['admin']}", "Content-Type": content_type}
    async with httpx.AsyncClient(timeout=api.timeout) as client:
        response = await client.post(f"{api.url}/graphql", content=body, headers=headers)
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    assert not any(marker in response.text for marker in LEAK_MARKERS), response.text


async def test_body_over_the_limit_is_413(api: Api) -> None:
    limit = api.settings.max_body_bytes
    filler = "x" * (limit + 1)
    headers = {"Authorization": f"Bearer {api.keys['admin']}"}
    async with httpx.AsyncClient(timeout=api.timeout) as client:
        sized = await client.post(
            f"{api.url}/graphql",
            json={"query": "{ __typename }", "variables": {"f": filler}},
            headers=headers,
        )
        assert sized.status_code == 413

        async def chunks() -> Any:  # no Content-Length: the server must count as it reads
            for _ in range(limit // 65536 + 2):
                yield b" " * 65536

        streamed = await client.post(f"{api.url}/graphql", content=chunks(), headers=headers)
        assert streamed.status_code == 413
        small = await client.post(
            f"{api.url}/graphql", json={"query": "{ __typename }"}, headers=headers
        )
        assert small.status_code == 200


SURROGATE_CASES = [
    ("person id", "query($s: ID!) { person(id: $s) { id } }"),
    ("forget reason",
     'mutation($s: String!) { forgetPerson(personId: "p", reason: $s) { personId } }'),
    ("merge id", 'mutation($s: ID!) { mergePersons(personIds: [$s, "q"], reason: "r") { id } }'),
    ("audit cursor", "query($s: String) { auditLog(after: $s) { edges { cursor } } }"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("description", "query"), SURROGATE_CASES, ids=[c[0] for c in SURROGATE_CASES]
)
async def test_lone_surrogates_are_bad_input(
    api: Api, clean_db: None, description: str, query: str
) -> None:
    # json.dumps escapes the surrogate as \\ud800: valid JSON text that decodes to a lone one
    payload = json.dumps({"query": query, "variables": {"s": "x" + chr(0xD800)}}).encode()
    headers = {"Authorization": f"Bearer {api.keys['admin']}", "Content-Type": "application/json"}
    async with httpx.AsyncClient(timeout=api.timeout) as client:
        response = await client.post(f"{api.url}/graphql", content=payload, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert api.codes(body) == ["BAD_USER_INPUT"], body
    assert MASKED_MESSAGE not in response.text
