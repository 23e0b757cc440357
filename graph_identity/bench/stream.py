"""Ingest at stream speed: ``python -m graph_identity.bench.stream``.

Two figures, each beside a baseline from the same run, ingest in the synchronous mode (the default:
an acknowledged ingest is resolved). Wipes the database of ``NEO4J_URI``.

1. **History growth**: one person logs in on a cookie and then sends page views on it in
   batches of ``--batch``; the batch latency (median of ``--samples`` batches, through
   ``StoreCore.ingest`` in this process) once the person has ``--small`` prior events, beside
   the same once it has ``--large``. The prior page views are ingested the same way.
2. **Concurrent ingest**: four disjoint simulated worlds (``--households`` each, ids prefixed so
   nothing is shared), each delivered by its own client in batches of 500 through the GraphQL
   ``ingest`` mutation, with 1, 2 and 4 ``graph-identity serve`` processes (each on its own
   loopback port; world k goes to server k mod n); total events/s, beside the raw write of the
   same events by four concurrent Bolt writers.

The machine is shared: the load average is printed with every figure.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import statistics
import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer

from graph_identity.bench.machine import load_average
from graph_identity.bench.runner import (
    BATCH,
    INGEST,
    _batches,
    _gql,
    raw_ingest,
    raw_rows,
    serve_in_subprocess,
    wipe,
)
from graph_identity.connect import open_driver, open_store
from graph_identity.domain.events import EventType, RawEvent, RawIdentifier
from graph_identity.domain.identifiers import IdentifierType
from graph_identity.settings import Settings
from graph_identity.simulator.world import WorldConfig, generate_world
from graph_identity.store.core import StoreCore

PROCESSES = (1, 2, 4)
WORLDS = 4
T0 = datetime(2026, 1, 5, tzinfo=UTC)


def _views(start: int, count: int) -> list[RawEvent]:
    cookie = (RawIdentifier(IdentifierType.COOKIE, "history-cookie"),)
    return [
        RawEvent(f"pv-{n}", T0 + timedelta(seconds=n + 60), EventType.PAGE_VIEW, cookie)
        for n in range(start, start + count)
    ]


async def _grow(store: StoreCore, have: int, want: int) -> None:
    for start in range(have, want, 5_000):
        await store.ingest(_views(start, min(5_000, want - start)), verified_ids=set())


async def _latency(store: StoreCore, start: int, batch: int, samples: int) -> float:
    """Median milliseconds of ``samples`` batches of page views, after one untimed batch; they
    add to the history after the ``start`` prior ones (the caller accounts for them)."""
    await store.ingest(_views(20_000_000 + start, batch), verified_ids=set())  # warm-up
    times = []
    for k in range(samples):
        events = _views(10_000_000 + start + k * batch, batch)
        began = time.perf_counter()
        outcome = await store.ingest(events, verified_ids=set())
        times.append((time.perf_counter() - began) * 1000)
        assert outcome.accepted == batch
    return round(statistics.median(times), 2)


async def history_growth(
    settings: Settings, small: int, large: int, batch: int, samples: int
) -> dict[str, Any]:
    async with open_store(settings) as store:
        await wipe(store.driver, store.database)
        login = RawEvent(
            "login",
            T0,
            EventType.LOGIN,
            (
                RawIdentifier(IdentifierType.ACCOUNT, "history-account"),
                RawIdentifier(IdentifierType.COOKIE, "history-cookie"),
            ),
        )
        await store.ingest([login], verified_ids=set())
        await _grow(store, 0, small)
        at_small = await _latency(store, 0, batch, samples)
        load_small = load_average()
        began = time.perf_counter()
        await _grow(store, small, large)
        grow_seconds = time.perf_counter() - began
        at_large = await _latency(store, 1_000_000, batch, samples)
        return {
            "batch": batch,
            "samples": samples,
            "prior_small": small,
            "prior_large": large,
            "median_ms_small": at_small,
            "median_ms_large": at_large,
            "ratio": round(at_large / at_small, 2),
            "history_events_per_second": round((large - small) / grow_seconds, 1),
            "load_average": [load_small, load_average()],
        }


def _world(k: int, households: int) -> list[dict[str, Any]]:
    """World ``k`` with every event id and identifier value prefixed, so worlds share nothing."""
    events = generate_world(WorldConfig(households=households, seed=100 + k)).events

    def renamed(i: dict[str, str]) -> dict[str, str]:
        value = i["value"]
        if i["type"] == "PHONE":  # still a valid number: the last digit says which world
            return {**i, "value": value[:-1] + str(k)}
        return {**i, "value": (f"w{k}" if i["type"] == "EMAIL" else f"w{k}-") + value}

    return [
        {**e, "id": f"w{k}-{e['id']}", "identifiers": [renamed(i) for i in e["identifiers"]]}
        for e in events
    ]


async def _deliver(client: httpx.AsyncClient, url: str, events: list[dict[str, Any]]) -> None:
    for batch in _batches(events, BATCH):
        await _gql(client, url, INGEST, {"events": list(batch)})


async def concurrent_ingest(
    settings: Settings, households: int, processes_levels: tuple[int, ...] = PROCESSES
) -> dict[str, Any]:
    worlds = [_world(k, households) for k in range(WORLDS)]
    total = sum(len(w) for w in worlds)
    key = secrets.token_urlsafe(24)
    api_settings = settings.model_copy(update={"api_keys": f"admin:{key}"})
    figures: dict[str, Any] = {"worlds": WORLDS, "households_each": households, "events": total}
    async with open_driver(settings) as driver:
        database = settings.neo4j_database
        await wipe(driver, database)
        rows = [raw_rows(w, settings) for w in worlds]
        began = time.perf_counter()
        await asyncio.gather(*(raw_ingest(driver, database, r) for r in rows))
        raw_seconds = time.perf_counter() - began
        figures["raw"] = {
            "events_per_second": round(total / raw_seconds, 1),
            "load": load_average(),
        }
        for processes in processes_levels:
            await wipe(driver, database)
            with ExitStack() as stack:
                servers = [
                    stack.enter_context(serve_in_subprocess(api_settings)) for _ in range(processes)
                ]
                headers = {"Authorization": f"Bearer {key}"}
                async with httpx.AsyncClient(headers=headers, timeout=600) as client:
                    began = time.perf_counter()
                    await asyncio.gather(
                        *(
                            _deliver(client, f"{servers[k % processes].base}/graphql", w)
                            for k, w in enumerate(worlds)
                        )
                    )
                    seconds = time.perf_counter() - began
            eps = total / seconds
            figures[f"processes_{processes}"] = {
                "events_per_second": round(eps, 1),
                "ratio_to_raw": round(eps / figures["raw"]["events_per_second"], 3),
                "load": load_average(),
            }
    return figures


def main(
    households: Annotated[int, typer.Option(min=1, help="households per concurrent world")] = 25,
    small: Annotated[int, typer.Option(min=1, help="prior events, small history")] = 1_000,
    large: Annotated[int, typer.Option(min=2, help="prior events, large history")] = 100_000,
    batch: Annotated[int, typer.Option(min=1, help="page views per batch")] = 200,
    samples: Annotated[int, typer.Option(min=1, help="batches timed per size")] = 7,
    out: Annotated[Path | None, typer.Option(help="JSON file")] = None,
) -> None:
    """Measure history growth and concurrent ingest (wipes the configured Neo4j)."""
    settings = Settings()
    results: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "mode": "synchronous (an acknowledged ingest is resolved)",
    }
    results["history"] = asyncio.run(history_growth(settings, small, large, batch, samples))
    typer.echo(json.dumps(results["history"]))
    results["concurrent"] = asyncio.run(concurrent_ingest(settings, households))
    typer.echo(json.dumps(results["concurrent"]))
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    typer.run(main)
