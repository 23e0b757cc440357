"""Guards schema migration: idempotent, safe to run concurrently, recorded, and really there."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import neo4j
import pytest

from graph_identity.store import schema
from graph_identity.store.cypher import query, schema_statements
from graph_identity.store.schema import migrate, schema_applied, schema_hash, schema_names

if TYPE_CHECKING:  # conftest is pytest's to import; only its type is needed here
    from tests.conftest import Neo4jServer


async def test_migrate_twice_is_idempotent(
    driver: neo4j.AsyncDriver, neo4j_server: Neo4jServer, clean_db: None
) -> None:
    db = neo4j_server.database
    first = await migrate(driver, db)
    second = await migrate(driver, db)
    assert first == second == len(schema_statements())
    assert await schema_applied(driver, db)
    versions, _, _ = await driver.execute_query(
        query("schema/read_version"), {"name": schema.SCHEMA_NAME}, database_=db
    )
    assert len(versions) == 1
    assert versions[0]["files"] == sorted({name for name, _ in schema_statements()})


async def test_concurrent_migrations_do_not_clash(
    driver: neo4j.AsyncDriver, neo4j_server: Neo4jServer, clean_db: None
) -> None:
    await asyncio.gather(*(migrate(driver, neo4j_server.database) for _ in range(3)))
    assert await schema_applied(driver, neo4j_server.database)


async def test_schema_applied_is_false_until_migrated(
    driver: neo4j.AsyncDriver, neo4j_server: Neo4jServer, clean_db: None
) -> None:
    db = neo4j_server.database
    async with driver.session(database=db) as session:
        await (await session.run(query("testing/delete_all"))).consume()
    assert not await schema_applied(driver, db)
    await migrate(driver, db)
    assert await schema_applied(driver, db)


async def test_schema_applied_is_false_when_the_files_change(
    driver: neo4j.AsyncDriver,
    neo4j_server: Neo4jServer,
    clean_db: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    changed = [*schema_statements(), ("999_new.cypher", "CREATE INDEX later IF NOT EXISTS")]
    monkeypatch.setattr(schema, "schema_statements", lambda: changed)
    assert not await schema_applied(driver, neo4j_server.database)


@pytest.mark.parametrize(
    ("name", "label", "prop"),
    [
        ("identifier_key", "Identifier", "key"),
        ("person_id", "Person", "id"),
        ("person_alias_id", "PersonAlias", "id"),
        ("event_id", "Event", "id"),
        ("constraint_id", "Constraint", "id"),
        ("audit_id", "Audit", "id"),
        ("forgotten_key", "Forgotten", "key"),
        ("schema_version", "SchemaVersion", "name"),
    ],
)
async def test_uniqueness_constraints_exist(
    driver: neo4j.AsyncDriver,
    neo4j_server: Neo4jServer,
    clean_db: None,
    name: str,
    label: str,
    prop: str,
) -> None:
    records, _, _ = await driver.execute_query(
        query("testing/list_constraints"),
        routing_=neo4j.RoutingControl.READ,
        database_=neo4j_server.database,
    )
    constraints = {r["name"]: (r["type"], r["labelsOrTypes"], r["properties"]) for r in records}
    assert constraints.get(name) == ("UNIQUENESS", [label], [prop])


async def test_every_named_rule_in_the_files_exists(
    driver: neo4j.AsyncDriver, neo4j_server: Neo4jServer, clean_db: None
) -> None:

    records, _, _ = await driver.execute_query(
        query("schema/online_names"), database_=neo4j_server.database
    )
    assert schema_names(schema_statements()) <= {r["name"] for r in records}


def test_schema_hash_depends_on_content_and_order() -> None:
    a, b = ("001_a.cypher", "CREATE INDEX a"), ("002_b.cypher", "CREATE INDEX b")
    assert schema_hash([a, b]) == schema_hash([a, b])
    assert schema_hash([a, b]) != schema_hash([b, a])
    assert schema_hash([a]) != schema_hash([a, b])
