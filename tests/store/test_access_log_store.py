"""Guards the access log's store: one request's reads become one entry per operation, pages
are newest first and follow their cursors, erasure removes ids but keeps counts, entries older
than the retention are purged (at start-up and in the background, never by a write), and
concurrent requests' entries are group-committed: each ``record`` returns only once its own
entries are committed, and a failed write fails every request of its group."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import TYPE_CHECKING

import neo4j

from graph_identity.domain.access import AccessRead
from graph_identity.domain.consent import Purpose
from graph_identity.store.access_log import AccessLog

if TYPE_CHECKING:
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
    # a write purges nothing: retention is the background's (AccessLog.retain) and start-up's
    await short.record("c", "agent", [AccessRead("person", Purpose.SERVICE, ("p2",))])
    assert len((await short.page(None, None, 50, None)).items) == 2
    retaining = asyncio.create_task(short.retain(0.05))
    try:
        async with asyncio.timeout(30):  # the background purge removes both once expired
            while (await short.page(None, None, 50, None)).items:
                await asyncio.sleep(0.05)
    finally:
        retaining.cancel()
    await short.record("c", "agent", [AccessRead("person", Purpose.SERVICE, ("p3",))])
    await asyncio.sleep(0.3)
    assert await log(driver, neo4j_server, timedelta(days=1)).purge() == 0
    assert await short.purge() == 1  # what start-up does
    records, _, _ = await driver.execute_query(
        "MATCH (n) WHERE n:AccessEntry OR n:AccessedPerson RETURN count(n) AS n",
        database_=neo4j_server.database,
    )
    assert records[0]["n"] == 0


async def test_group_commit(
    driver: neo4j.AsyncDriver, neo4j_server: Neo4jServer, clean_db: None
) -> None:
    access = log(driver, neo4j_server, timedelta(days=1))

    async def request(n: int) -> None:
        await access.record(f"caller-{n}", "agent", [AccessRead("resolve", None, (f"p{n}",))])
        # answered only once its entry is committed: a read right after finds it
        page = await access.page([f"p{n}"], f"caller-{n}", 5, None)
        assert [v.person_ids for _, v in page.items] == [[f"p{n}"]]

    await asyncio.gather(*(request(n) for n in range(40)))
    assert 1 <= access.group.groups < 40  # gathered into fewer transactions than requests
    assert len((await access.page(None, None, 100, None)).items) == 40


async def test_a_failed_group_fails_every_request_of_it(
    neo4j_server: Neo4jServer, clean_db: None
) -> None:
    auth = (neo4j_server.user, neo4j_server.password)
    closed = neo4j.AsyncGraphDatabase.driver(neo4j_server.uri, auth=auth)
    await closed.close()
    access = log(closed, neo4j_server, timedelta(days=1))
    outcomes = await asyncio.gather(
        *(access.record("c", "agent", [AccessRead("person", None, (f"p{n}",))]) for n in range(5)),
        return_exceptions=True,
    )
    assert all(isinstance(o, Exception) for o in outcomes), outcomes
    assert access.group.groups == 0
