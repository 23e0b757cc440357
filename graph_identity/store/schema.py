"""Applies cypher/schema to a database and records what was applied.

Every schema statement is idempotent (``IF NOT EXISTS``), so :func:`migrate` simply runs them
all, in file order, on every start. It then waits for the indexes to come online and stores a
``(:SchemaVersion {name: 'graph-identity'})`` node with the files and a hash of the statements;
:func:`schema_applied` (readiness) compares that hash with the files on disk and checks that
every named constraint and index really is online.
"""

from __future__ import annotations

import hashlib
import re

import neo4j
from neo4j.exceptions import ClientError

from graph_identity.store.cypher import query, schema_statements

SCHEMA_NAME = "graph-identity"
INDEX_WAIT_SECONDS = 300

_NAMED = re.compile(r"^\s*CREATE\s+(?:CONSTRAINT|INDEX)\s+(\w+)", re.IGNORECASE)
#: Another process created the same rule between our IF NOT EXISTS check and our commit.
_ALREADY_THERE = frozenset(
    {
        "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists",
        "Neo.ClientError.Schema.ConstraintAlreadyExists",
        "Neo.ClientError.Schema.IndexAlreadyExists",
    }
)


def schema_hash(statements: list[tuple[str, str]]) -> str:
    """A stable fingerprint of the schema statements (file names and text)."""
    digest = hashlib.sha256()
    for name, text in statements:
        digest.update(f"{name}\0{text}\0".encode())
    return digest.hexdigest()


def schema_names(statements: list[tuple[str, str]]) -> set[str]:
    """The names of the constraints and indexes the statements create."""
    return {m.group(1) for _, text in statements if (m := _NAMED.match(text))}


async def migrate(driver: neo4j.AsyncDriver, database: str) -> int:
    """Apply every schema statement in order; returns how many were run. Safe to repeat and
    to run from several processes at once."""
    statements = schema_statements()
    for _, text in statements:
        try:
            await driver.execute_query(text, database_=database)
        except ClientError as exc:
            if exc.code not in _ALREADY_THERE:
                raise
    await driver.execute_query(
        query("schema/await_indexes"),
        {"seconds": INDEX_WAIT_SECONDS},
        database_=database,
    )
    await driver.execute_query(
        query("schema/record_version"),
        {
            "name": SCHEMA_NAME,
            "files": sorted({name for name, _ in statements}),
            "hash": schema_hash(statements),
            "statements": len(statements),
        },
        database_=database,
    )
    return len(statements)


async def schema_applied(driver: neo4j.AsyncDriver, database: str) -> bool:
    """True when the recorded schema matches cypher/schema and all its rules are online."""
    statements = schema_statements()
    records, _, _ = await driver.execute_query(
        query("schema/read_version"),
        {"name": SCHEMA_NAME},
        routing_=neo4j.RoutingControl.READ,
        database_=database,
    )
    if not records or records[0]["hash"] != schema_hash(statements):
        return False
    online, _, _ = await driver.execute_query(
        query("schema/online_names"),
        routing_=neo4j.RoutingControl.READ,
        database_=database,
    )
    return schema_names(statements) <= {record["name"] for record in online}
