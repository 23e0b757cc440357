"""Guards write contention over HTTP (docs/limits.md "Write contention"): sixteen ingesters
into one busy kiosk all succeed (they queue on the region locks, deadlock victims are retried),
an ingest waiting on a lock another transaction holds succeeds once it is released, and a
write that loses for too long is ``CONTENTION`` with HTTP 409, never ``UNAVAILABLE``."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import neo4j
from graphql import GraphQLError
from neo4j.exceptions import TransientError

from graph_identity.api.errors import CONTENTION, code_for
from graph_identity.store.availability import is_unavailable
from graph_identity.store.contention import Contended, is_contention

if TYPE_CHECKING:
    from tests.api.conftest import Api
    from tests.conftest import Neo4jServer

WRITERS = 16
KIOSK = {"type": "DEVICE", "value": "kiosk-contended"}


def batch(writer: int, round_: int) -> list[dict[str, Any]]:
    """Logins on the kiosk by this writer's account, with cookies shared with its neighbours."""
    account = {"type": "ACCOUNT", "value": f"acct-{writer}"}
    return [
        {
            "id": f"w{writer}-r{round_}-{n}",
            "at": f"2026-01-05T10:{n:02d}:{writer:02d}Z",
            "type": "LOGIN",
            "identifiers": [
                KIOSK,
                account,
                {"type": "COOKIE", "value": f"ck-{(writer + n) % WRITERS}"},
            ],
        }
        for n in range(10)
    ]


async def test_concurrent_ingests_into_one_region_all_succeed(api: Api, clean_db: None) -> None:
    async def writer(number: int) -> list[int]:
        statuses = []
        for round_ in range(3):
            response = await api.post(
                {"query": INGEST, "variables": {"events": batch(number, round_)}}, role="ingest"
            )
            statuses.append(response.status_code)
            assert not response.json().get("errors"), response.text
        return statuses

    results = await asyncio.gather(*(writer(n) for n in range(WRITERS)))
    assert all(status == 200 for statuses in results for status in statuses), results
    shared = await api.data(
        "{ sharedIdentifiers(types: [DEVICE]) { edges { node { value personCount } } } }",
        role="fraud",
    )
    (kiosk,) = shared["sharedIdentifiers"]["edges"]
    assert kiosk["node"] == {"value": "kiosk-contended", "personCount": WRITERS}


async def test_an_ingest_queues_behind_a_held_lock(
    api: Api, clean_db: None, driver: neo4j.AsyncDriver, neo4j_server: Neo4jServer
) -> None:
    await api.ingest(batch(0, 0))  # the kiosk exists
    async with driver.session(database=neo4j_server.database) as session:
        tx = await session.begin_transaction()
        await tx.run(
            "MATCH (i:Identifier {key: $k}) SET i._lock = true REMOVE i._lock",
            k="DEVICE:kiosk-contended",
        )
        waiting = asyncio.create_task(api.ingest(batch(1, 0)))
        await asyncio.sleep(1.0)
        assert not waiting.done()  # it waits for the lock, and is not failed
        await tx.commit()
    assert (await waiting)["accepted"] == 10


async def real_deadlock(driver: neo4j.AsyncDriver, database: str) -> BaseException:
    """The error Neo4j gives the victim of a lock cycle between two transactions."""
    lock = "MATCH (i:Identifier {key: $k}) SET i._lock = true REMOVE i._lock"
    await driver.execute_query(
        "UNWIND ['T:a', 'T:b'] AS k MERGE (:Identifier {key: k})", database_=database
    )
    async with driver.session(database=database) as one, driver.session(database=database) as two:
        first, second = await one.begin_transaction(), await two.begin_transaction()
        await (await first.run(lock, k="T:a")).consume()
        await (await second.run(lock, k="T:b")).consume()

        async def take(tx: neo4j.AsyncTransaction, key: str) -> None:
            await (await tx.run(lock, k=key)).consume()

        outcomes = await asyncio.gather(
            take(first, "T:b"), take(second, "T:a"), return_exceptions=True
        )
        for tx in (first, second):
            await tx.close()
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    assert errors, "no deadlock"
    return errors[0]


async def test_contention_is_not_an_outage(
    clean_db: None, driver: neo4j.AsyncDriver, neo4j_server: Neo4jServer
) -> None:
    deadlock = await real_deadlock(driver, neo4j_server.database)
    assert isinstance(deadlock, TransientError), deadlock
    assert is_contention(deadlock) and not is_unavailable(deadlock)
    waited = Contended(120.0)
    waited.__cause__ = deadlock
    assert code_for(GraphQLError("x", original_error=waited)) == CONTENTION


INGEST = """
mutation($events: [EventInput!]!) { ingest(events: $events) { accepted rejected { reason } } }
"""
