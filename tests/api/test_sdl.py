"""Guards the published schema: schema.graphql is current, the contract's root fields keep
their exact signatures, and the depth, alias and token limits hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from strawberry.printer import print_schema

from graph_identity.api.schema import build_schema, schema

ROOT = Path(__file__).resolve().parents[2]

CONTRACT_FIELDS = [
    "person(id: ID!, purpose: Purpose): Person",
    "resolve(identifier: IdentifierInput!, at: DateTime, purpose: Purpose): Resolution!",
    "sharedIdentifiers(minPersons: Int = 2, types: [IdentifierType!], since: DateTime, "
    "first: Int = 50, after: String): SharedIdentifierConnection!",
    "neighborhood(identifier: IdentifierInput!, hops: Int = 2): Graph!",
    "explain(a: IdentifierInput!, b: IdentifierInput!): Explanation!",
    "ingest(events: [EventInput!]!): IngestResult!",
    # section 8 adds optional arguments; the section 5 forms still call them the same way
    "splitPerson(personId: ID!, identifiers: [IdentifierInput!]!, reason: String!, "
    "dryRun: Boolean = false): SplitResult!",
    "mergePersons(personIds: [ID!]!, reason: String!, dryRun: Boolean = false, "
    "overrideCannotLink: Boolean = false): Person!",
    "event(id: ID!): Event",
    "clusters(minPersons: Int = 2, first: Int = 20, after: String): ClusterConnection!",
    "constraints(first: Int = 50, after: String): ConstraintConnection!",
    "forgetPerson(personId: ID!, reason: String!): ForgetResult!",
    "events(first: Int = 50, after: String, types: [EventType!], channels: [String!], "
    "since: DateTime, until: DateTime): EventConnection!",  # filters: docs/api.md "Timelines"
    "auditLog(first: Int = 50, after: String): AuditEntryConnection!",
    "undo(auditId: ID!, reason: String!): AuditEntry!",
    "accessLog(personId: ID, caller: String, first: Int = 50, after: String): "
    "AccessEntryConnection!",
]


def test_committed_schema_is_current() -> None:
    committed = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert committed == print_schema(schema) + "\n", "run scripts/export_schema"


@pytest.mark.parametrize("signature", CONTRACT_FIELDS)
def test_contract_signature(signature: str) -> None:
    assert f"  {signature}\n" in print_schema(schema)


@pytest.mark.parametrize(
    ("type_name", "fields"),
    [
        ("PageInfo", ["hasNextPage: Boolean!", "endCursor: String"]),
        ("EventEdge", ["node: Event!", "cursor: String!"]),
        ("IngestResult", ["accepted: Int!", "duplicates: Int!", "rejected: [Rejection!]!"]),
        ("Rejection", ["eventId: ID!", "reason: String!"]),
        ("Resolution", ["person: Person", "confidence: Float!", "candidates: [Candidate!]!"]),
        ("PersonIdentifier", ["shared: Boolean!", "firstSeen: DateTime!", "lastSeen: DateTime!"]),
        ("SplitResult", ["kept: Person!", "split: Person!", "persons: [Person!]!"]),
        ("Graph", ["truncated: Boolean!"]),
        ("Resolution", ["known: Boolean!"]),
    ],
)
def test_contract_types(type_name: str, fields: list[str]) -> None:
    sdl = print_schema(schema)
    body = sdl.split(f"type {type_name} {{\n", 1)[1].split("}", 1)[0]
    for item in fields:
        assert f"  {item}\n" in body


async def test_query_depth_is_limited() -> None:
    shallow = build_schema(max_query_depth=3)
    result = await shallow.execute('{ person(id: "p") { events { edges { node { id } } } } }')
    assert result.errors
    assert "exceeds maximum operation depth" in result.errors[0].message
    assert result.errors[0].extensions == {"code": "GRAPHQL_VALIDATION_FAILED"}


async def test_aliases_are_limited() -> None:
    aliases = " ".join(f'p{n}: person(id: "{n}") {{ id }}' for n in range(25))
    result = await schema.execute(f"{{ {aliases} }}")
    assert result.errors
    assert "aliases" in result.errors[0].message
