"""Opening Neo4j from the settings: a driver, or a store on a migrated database.

The one place the command-line jobs (``app/tasks.py``), the benchmarks (``bench/``) and tests
open a connection outside the server's lifespan, so neither of them imports the other for it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from neo4j import AsyncDriver, AsyncGraphDatabase

from graph_identity.settings import Settings
from graph_identity.store.availability import driver_options
from graph_identity.store.neo4j_store import Neo4jIdentityStore
from graph_identity.store.schema import migrate as apply_schema


@asynccontextmanager
async def open_driver(settings: Settings) -> AsyncIterator[AsyncDriver]:
    """A driver whose connectivity was verified; closed on exit."""
    driver = AsyncGraphDatabase.driver(
        settings.neo4j_uri,
        auth=(settings.neo4j_user, settings.neo4j_password),
        notifications_min_severity="OFF",
        **driver_options(
            settings.neo4j_connect_timeout,
            settings.neo4j_acquire_timeout,
            settings.neo4j_retry_seconds,
        ),
    )
    try:
        await driver.verify_connectivity()
        yield driver
    finally:
        await driver.close()


@asynccontextmanager
async def open_store(settings: Settings) -> AsyncIterator[Neo4jIdentityStore]:
    """A store on a migrated database, for command-line jobs."""
    async with open_driver(settings) as driver:
        await apply_schema(driver, settings.neo4j_database)
        yield Neo4jIdentityStore(
            driver,
            settings.neo4j_database,
            settings.resolution(),
            erasure_key=settings.erasure_key_bytes(),
        )
