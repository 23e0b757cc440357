"""Guards input checking: bad input is a BAD_USER_INPUT error whose message names the field,
checked before anything is written; unknown ids are NOT_FOUND."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.events import event as build

if TYPE_CHECKING:
    from tests.api.conftest import Api, NodeCount

COOKIE = {"type": "COOKIE", "value": "c-bad"}
IDS = "query($i: IdentifierInput!)"
INGEST = "mutation($e: [EventInput!]!) { ingest(events: $e) { accepted duplicates } }"


def event(n: int, at: str = "2026-01-05T10:00:00+00:00", **extra: Any) -> dict[str, Any]:
    return build(f"e-bad-{n}", at, "PAGE_VIEW", ("COOKIE", f"c-bad-{n}"), **extra)


CASES = [
    ("first too small", "{ sharedIdentifiers(first: 0) { edges { cursor } } }", {}, "first"),
    ("first too large", "{ auditLog(first: 201) { edges { cursor } } }", {}, "first"),
    ("after empty", '{ auditLog(after: "") { edges { cursor } } }', {}, "after"),
    ("after forged", '{ auditLog(after: "not-a-cursor") { edges { cursor } } }', {}, "after"),
    ("minPersons", "{ sharedIdentifiers(minPersons: 1) { edges { cursor } } }", {}, "minPersons"),
    (
        "hops 0",
        f"{IDS} {{ neighborhood(identifier: $i, hops: 0) {{ nodes {{ value }} }} }}",
        {"i": COOKIE},
        "hops",
    ),
    (
        "hops 5",
        f"{IDS} {{ neighborhood(identifier: $i, hops: 5) {{ nodes {{ value }} }} }}",
        {"i": COOKIE},
        "hops",
    ),
    (
        "naive at (variable)",
        "query($i: IdentifierInput!, $at: DateTime) "
        "{ resolve(identifier: $i, at: $at) { confidence } }",
        {"i": COOKIE, "at": "2026-01-05T10:00:00"},
        "at",
    ),
    (
        "naive at (literal)",
        f'{IDS} {{ resolve(identifier: $i, at: "2026-01-05T10:00:00") {{ confidence }} }}',
        {"i": COOKIE},
        "at",
    ),
    (
        "naive since",
        '{ sharedIdentifiers(since: "2026-01-05T10:00:00") { edges { cursor } } }',
        {},
        "since",
    ),
    (
        "invalid identifier type",
        f"{IDS} {{ resolve(identifier: $i) {{ confidence }} }}",
        {"i": {"type": "SSN", "value": "123"}},
        "type",
    ),
    (
        "invalid email",
        f"{IDS} {{ resolve(identifier: $i) {{ confidence }} }}",
        {"i": {"type": "EMAIL", "value": "not an email"}},
        "identifier.value",
    ),
    (
        "invalid explain side",
        "query($a: IdentifierInput!, $b: IdentifierInput!) { explain(a: $a, b: $b) { joined } }",
        {"a": COOKIE, "b": {"type": "PHONE", "value": "12"}},
        "b.value",
    ),
    ("no events", INGEST, {"e": []}, "events"),
    ("too many events", INGEST, {"e": [event(n) for n in range(1001)]}, "events"),
    (
        "naive event time",
        INGEST,
        {"e": [event(1), event(2, at="2026-01-05T10:00:00")]},
        "events[1].at",
    ),
    (
        "event identifier type",
        INGEST,
        {"e": [{**event(1), "identifiers": [{"type": "IBAN", "value": "x"}]}]},
        "type",
    ),
    (
        "split with no identifiers",
        'mutation { splitPerson(personId: "p", identifiers: [], reason: "x") { kept { id } } }',
        {},
        "identifiers",
    ),
    (
        "split with empty reason",
        "mutation($i: [IdentifierInput!]!) "
        '{ splitPerson(personId: "p", identifiers: $i, reason: "") { kept { id } } }',
        {"i": [COOKIE]},
        "reason",
    ),
    (
        "merge one person",
        'mutation { mergePersons(personIds: ["p", "p"], reason: "dup") { id } }',
        {},
        "personIds",
    ),
    (
        "merge blank reason",
        'mutation { mergePersons(personIds: ["p", "q"], reason: "   ") { id } }',
        {},
        "reason",
    ),
    (
        "forget without reason",
        'mutation { forgetPerson(personId: "p", reason: "") { personId } }',
        {},
        "reason",
    ),
    ("undo without reason", 'mutation { undo(auditId: "a", reason: "") { id } }', {}, "reason"),
]


@pytest.mark.parametrize(
    ("description", "query", "variables", "field"), CASES, ids=[c[0] for c in CASES]
)
async def test_bad_input_names_the_field(
    api: Api,
    clean_db: None,
    node_count: NodeCount,
    description: str,
    query: str,
    variables: dict[str, Any],
    field: str,
) -> None:
    before = await node_count()
    body = await api.gql(query, variables, role="admin")
    assert api.codes(body) == ["BAD_USER_INPUT"], body
    assert field in body["errors"][0]["message"]
    assert not any((body.get("data") or {}).values())
    assert await node_count() == before


async def test_bad_input_reports_the_field_in_extensions(api: Api, clean_db: None) -> None:
    body = await api.gql("{ sharedIdentifiers(first: 500) { edges { cursor } } }", role="fraud")
    error = body["errors"][0]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}
    assert error["message"] == "first: must be between 1 and 200, got 500"


async def test_timeline_page_size_is_checked(api: Api, clean_db: None) -> None:
    await api.data(INGEST, {"e": [event(1)]}, role="ingest")
    resolved = await api.data(
        f"{IDS} {{ resolve(identifier: $i) {{ person {{ id }} }} }}",
        {"i": {"type": "COOKIE", "value": "c-bad-1"}},
    )
    person = resolved["resolve"]["person"]
    assert person is not None, "a lone cookie's page view should make a person"
    body = await api.gql(
        "query($id: ID!) { person(id: $id) { events(first: 0) { edges { cursor } } } }",
        {"id": person["id"]},
    )
    assert api.codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["path"] == ["person", "events"]


@pytest.mark.parametrize(
    ("description", "query", "variables"),
    [
        (
            "split unknown person",
            "mutation($i: [IdentifierInput!]!) "
            '{ splitPerson(personId: "p-none", identifiers: $i, reason: "x") { kept { id } } }',
            {"i": [COOKIE]},
        ),
        (
            "forget unknown person",
            'mutation { forgetPerson(personId: "p-none", reason: "x") { personId } }',
            {},
        ),
        ("undo unknown entry", 'mutation { undo(auditId: "a-none", reason: "x") { id } }', {}),
    ],
)
async def test_unknown_ids_are_not_found(
    api: Api, clean_db: None, description: str, query: str, variables: dict[str, Any]
) -> None:
    body = await api.gql(query, variables)
    assert api.codes(body) == ["NOT_FOUND"], body


async def test_unknown_person_is_null(api: Api, clean_db: None) -> None:
    assert await api.data('{ person(id: "p-none") { id } }', role="agent") == {"person": None}


async def test_graphql_mistakes_are_reported_not_masked(api: Api) -> None:
    body = await api.gql("{ person(id: 1) { nope } }", role="agent")
    assert api.codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "nope" in body["errors"][0]["message"]
    body = await api.gql("{ person(", role="agent")
    assert api.codes(body) == ["GRAPHQL_PARSE_FAILED"]
