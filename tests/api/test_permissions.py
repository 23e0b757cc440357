"""Guards access (docs/access.md): every operation refuses every role it is not for with
FORBIDDEN and writes nothing, and lets every role it is for through."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tests.api.conftest import Api, NodeCount

COOKIE = {"type": "COOKIE", "value": "c-access"}
DEVICE = {"type": "DEVICE", "value": "d-access"}
EVENT = {
    "id": "e-access",
    "at": "2026-01-05T10:00:00+00:00",
    "type": "PAGE_VIEW",
    "identifiers": [COOKIE, DEVICE],
}
IDS = "query($i: IdentifierInput!)"

OPERATIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "person": ('{ person(id: "p-none") { id } }', {}),
    "resolve": (f"{IDS} {{ resolve(identifier: $i) {{ confidence }} }}", {"i": COOKIE}),
    "sharedIdentifiers": ("{ sharedIdentifiers { edges { cursor } } }", {}),
    "neighborhood": (
        f"{IDS} {{ neighborhood(identifier: $i) {{ nodes {{ value }} }} }}",
        {"i": COOKIE},
    ),
    "explain": (
        "query($a: IdentifierInput!, $b: IdentifierInput!) { explain(a: $a, b: $b) { joined } }",
        {"a": COOKIE, "b": DEVICE},
    ),
    "auditLog": ("{ auditLog { edges { cursor } } }", {}),
    "ingest": (
        "mutation($e: [EventInput!]!) { ingest(events: $e) { accepted } }",
        {"e": [EVENT]},
    ),
    "splitPerson": (
        "mutation($i: [IdentifierInput!]!) "
        '{ splitPerson(personId: "p-none", identifiers: $i, reason: "test") { kept { id } } }',
        {"i": [COOKIE]},
    ),
    "mergePersons": (
        'mutation { mergePersons(personIds: ["p-1", "p-2"], reason: "test") { id } }',
        {},
    ),
    "forgetPerson": (
        'mutation { forgetPerson(personId: "p-none", reason: "test") { personId } }',
        {},
    ),
    "undo": ('mutation { undo(auditId: "a-none", reason: "test") { id } }', {}),
}

READERS = {"agent", "fraud", "admin"}
INVESTIGATORS = {"fraud", "admin"}
ALLOWED = {
    "person": READERS,
    "resolve": READERS,
    "sharedIdentifiers": INVESTIGATORS,
    "neighborhood": INVESTIGATORS,
    "explain": INVESTIGATORS,
    "auditLog": {"admin"},
    "ingest": {"ingest", "admin"},
    "splitPerson": {"admin"},
    "mergePersons": {"admin"},
    "forgetPerson": {"admin"},
    "undo": {"admin"},
}
ROLES = ("ingest", "agent", "fraud", "admin")

FORBIDDEN = [(op, role) for op in OPERATIONS for role in ROLES if role not in ALLOWED[op]]
PERMITTED = [(op, role) for op in OPERATIONS for role in ROLES if role in ALLOWED[op]]


@pytest.mark.parametrize(("operation", "role"), FORBIDDEN)
async def test_wrong_role_is_forbidden(
    api: Api, clean_db: None, node_count: NodeCount, operation: str, role: str
) -> None:
    before = await node_count()
    query, variables = OPERATIONS[operation]
    body = await api.gql(query, variables, role=role)
    assert api.codes(body) == ["FORBIDDEN"]
    assert body["errors"][0]["path"] == [operation]
    assert not (body.get("data") or {}).get(operation)
    assert await node_count() == before


@pytest.mark.parametrize(("operation", "role"), PERMITTED)
async def test_right_role_gets_through(api: Api, clean_db: None, operation: str, role: str) -> None:
    query, variables = OPERATIONS[operation]
    body = await api.gql(query, variables, role=role)
    # Unknown ids may be NOT_FOUND or BAD_USER_INPUT; never refused, never a masked failure.
    assert "FORBIDDEN" not in api.codes(body)
    assert None not in api.codes(body), body
