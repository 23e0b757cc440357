"""Guards the access log's store: one request's reads become one entry per operation, pages
are newest first and follow their cursors, erasure removes ids but keeps counts, and entries
older than the retention are purged on start-up and with each write."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import TYPE_CHECKING

from graph_identity.domain.access import AccessRead
from graph_identity.domain.consent import Purpose
from graph_identity.store.access_log import AccessLog

if TYPE_CHECKING:
    import neo4j

    from tests.conftest import Neo4jServer


def log(driver: neo4j.AsyncDriver, server: Neo4jServer, retention: timedelta) -> AccessLog:
    return AccessLog(driver, server.database, retention)


async def test_entries_pages_and_erasure(
    driver: neo4j.AsyncDriver, neo4j_server: Neo4jServer, clean_db: None
) -> None:
    access = log(driver, neo4j_server, timedelta(days=1))
    for n in range(3):
        await access.record(
            "api-key:bot",
            "agent",
            [
                AccessRead("person", Purpose.SERVICE, (f"p{n}",)),
                AccessRead("resolve", None, (f"p{n}", "shared")),
            ],
        )
    first = await access.page(None, None, 4, None)
    assert first.has_next
    rest = await access.page(None, None, 4, first.end_cursor)
    assert not rest.has_next
    views = [v for _, v in first.items + rest.items]
    assert len(views) == 6 == len({v.id for v in views})
    assert [v.at for v in views] == sorted((v.at for v in views), reverse=True)
    about_shared = await access.page(["shared"], "api-key:bot", 50, None)
    assert [v.operation for _, v in about_shared.items] == ["resolve"] * 3
    assert (await access.page(["p1"], "someone-else", 50, None)).items == []

    await access.forget(["shared", "p1"])
    assert (await access.page(["shared"], None, 50, None)).items == []
    remaining = [v for _, v in (await access.page(None, None, 50, None)).items]
    assert len(remaining) == 6
    assert sorted((v.operation, v.person_ids, v.person_count) for v in remaining) == [
        ("person", [], 1), ("person", ["p0"], 1), ("person", ["p2"], 1),
        ("resolve", [], 2), ("resolve", ["p0"], 2), ("resolve", ["p2"], 2),
    ]  # fmt: skip


async def test_retention(
    driver: neo4j.AsyncDriver, neo4j_server: Neo4jServer, clean_db: None
) -> None:
    short = log(driver, neo4j_server, timedelta(milliseconds=200))
    await short.record("c", "agent", [AccessRead("person", Purpose.SERVICE, ("p1",))])
    assert len((await short.page(None, None, 50, None)).items) == 1
    await asyncio.sleep(0.3)
    # the next write purges what has expired (and is itself kept)
    await short.record("c", "agent", [AccessRead("person", Purpose.SERVICE, ("p2",))])
    kept = [v.person_ids for _, v in (await short.page(None, None, 50, None)).items]
    assert kept == [["p2"]]
    await asyncio.sleep(0.3)
    assert await log(driver, neo4j_server, timedelta(days=1)).purge() == 0
    assert await short.purge() == 1  # what start-up does
    records, _, _ = await driver.execute_query(
        "MATCH (n) WHERE n:AccessEntry OR n:AccessedPerson RETURN count(n) AS n",
        database_=neo4j_server.database,
    )
    assert records[0]["n"] == 0
