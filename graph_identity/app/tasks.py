"""One-shot jobs behind the CLI: migrate, rebuild, check, reconcile. Each opens and closes its
driver (``graph_identity/connect.py``)."""

from __future__ import annotations

from graph_identity.app.backlog import drain, resolve_in_background
from graph_identity.connect import open_driver, open_store
from graph_identity.settings import Settings
from graph_identity.store import exactness, maintenance
from graph_identity.store import reconcile as reconciliation
from graph_identity.store.schema import migrate as apply_schema


async def migrate(settings: Settings) -> int:
    async with open_driver(settings) as driver:
        return await apply_schema(driver, settings.neo4j_database)


async def rebuild(settings: Settings) -> int:
    async with open_store(settings) as store:
        return await maintenance.rebuild(store)


async def check(settings: Settings) -> list[str]:
    async with open_store(settings) as store:
        return await maintenance.check(store)


async def backlog(settings: Settings, *, resolve: bool, retry: bool = False) -> tuple[int, int]:
    """(events resolved now, events still pending) of the asynchronous ingest's backlog;
    ``retry`` first puts the events set aside back into it."""
    async with open_store(settings) as store:
        if retry:
            await store.retry_set_aside()
        resolved = await drain(store, settings.backlog_batch) if resolve else 0
        return resolved, await store.backlog()


async def follow_backlog(settings: Settings) -> None:
    """Resolve the backlog as it grows, until interrupted: the separate resolver process for
    servers started with GRAPH_IDENTITY_RESOLVE_IN_SERVER=false."""
    async with open_store(settings) as store:
        await resolve_in_background(
            store,
            batch=settings.backlog_batch,
            poll_seconds=settings.backlog_poll_seconds,
            gather_seconds=settings.backlog_gather_seconds,
            forever=True,
        )


async def inspect(settings: Settings, *, exact: bool = False) -> tuple[list[str], int]:
    """``check``'s problems (with ``exact``, also what a rebuild would change, from
    store/exactness.py) and how many hubs await reconciliation."""
    async with open_store(settings) as store:
        problems = await maintenance.check(store)
        if exact:
            problems += await exactness.differences(store)
        _, marked = await reconciliation.pending(store, 0)
        return problems, marked


async def reconcile(settings: Settings, *, limit: int) -> reconciliation.Reconciled:
    async with open_store(settings) as store:
        return await reconciliation.reconcile(store, limit=limit)
