"""A user's stream, as it arrives: ``python -m graph_identity.bench.realistic``.

One simulated world (``--households``), delivered realistically (time order, 10% of the events
hours to days late, 5% re-sent) in batches of 500 by one client through the GraphQL ``ingest``
mutation of a ``graph-identity serve`` in its own process, on a clean database. Figures, each
beside a baseline from the same run (the machine is shared: the load average is printed with
every figure):

- batch latency: the mean of the first fifth of the batches and of the last fifth, and their
  ratio (does ingest cost follow history?); the same for the CPU milliseconds the service and
  Neo4j spent per batch, which a shared, loaded machine inflates far less than wall time;
- synchronous ingest events/s against the raw ``UNWIND`` write of the same events;
- CPU of the service process and of Neo4j during the synchronous run (percent of one core);
- the asynchronous mode: acknowledged and resolved events/s against the same raw write;
- the stored persons' pairwise scores against the world's truth.

Wipes the database of ``NEO4J_URI``.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import statistics
import time
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer

from graph_identity.bench.machine import load_average, neo4j_pid, process_cpu_seconds
from graph_identity.bench.runner import (
    BATCH,
    INGEST,
    _gql,
    async_ingest,
    raw_ingest,
    raw_rows,
    serve_in_subprocess,
    wipe,
)
from graph_identity.connect import open_driver
from graph_identity.neo4j_local import status
from graph_identity.settings import Settings
from graph_identity.simulator import deliver, pairwise_scores
from graph_identity.simulator.world import WorldConfig, generate_world
from graph_identity.store.cypher import query


def fifths(latencies: list[float]) -> dict[str, float]:
    """Mean batch latency (ms) of the first and last fifth, and last / first."""
    n = max(1, len(latencies) // 5)
    first, last = statistics.mean(latencies[:n]), statistics.mean(latencies[-n:])
    return {
        "first_fifth_ms": round(first, 1),
        "last_fifth_ms": round(last, 1),
        "ratio": round(last / first, 2) if first else 0.0,
    }


async def _sync_run(
    settings: Settings, key: str, batches: list[list[dict[str, Any]]], neo4j_pid: int | None
) -> dict[str, Any]:
    """Deliver the batches one by one; per batch its latency and the CPU milliseconds the
    service and Neo4j spent on it (CPU is what a loaded machine does not inflate)."""
    latencies: list[float] = []
    service_ms: list[float] = []
    neo4j_ms: list[float] = []
    with serve_in_subprocess(settings) as served:
        url = f"{served.base}/graphql"
        headers = {"Authorization": f"Bearer {key}"}
        began = time.perf_counter()
        async with httpx.AsyncClient(headers=headers, timeout=600) as client:
            for batch in batches:
                cpu = (process_cpu_seconds(served.pid), process_cpu_seconds(neo4j_pid))
                start = time.perf_counter()
                await _gql(client, url, INGEST, {"events": batch})
                latencies.append((time.perf_counter() - start) * 1000)
                service_ms.append((process_cpu_seconds(served.pid) - cpu[0]) * 1000)
                neo4j_ms.append((process_cpu_seconds(neo4j_pid) - cpu[1]) * 1000)
        seconds = time.perf_counter() - began
    return {
        "seconds": round(seconds, 2),
        "latency": fifths(latencies),
        "service_cpu_per_batch": fifths(service_ms),
        "neo4j_cpu_per_batch": fifths(neo4j_ms) if neo4j_pid else None,
        "cpu_service_pct_of_core": round(100 * sum(service_ms) / 1000 / seconds, 1),
        "cpu_neo4j_pct_of_core": (
            round(100 * sum(neo4j_ms) / 1000 / seconds, 1) if neo4j_pid else None
        ),
        "load": load_average(),
    }


async def run(
    settings: Settings,
    households: int,
    seed: int,
    neo4j_pid: int | None,
    *,
    days: int = 90,
    with_async: bool = True,
) -> dict[str, Any]:
    world = generate_world(WorldConfig(households=households, seed=seed, days=days))
    batches = deliver(
        world.events, seed=seed, order="late", duplicate_fraction=0.05, batch_size=BATCH
    )
    key = secrets.token_urlsafe(24)
    api_settings = settings.model_copy(update={"api_keys": f"admin:{key}"})
    unique = len(world.events)
    figures: dict[str, Any] = {
        "households": households,
        "days": days,
        "events": unique,
        "batches": len(batches),
    }
    async with open_driver(settings) as driver:
        database = settings.neo4j_database
        await wipe(driver, database)
        raw_seconds = await raw_ingest(driver, database, raw_rows(world.events, settings))
        raw_eps = unique / raw_seconds
        figures["raw"] = {"events_per_second": round(raw_eps, 1), "load": load_average()}
        await wipe(driver, database)
        sync = await _sync_run(api_settings, key, batches, neo4j_pid)
        sync["events_per_second"] = round(unique / sync["seconds"], 1)
        sync["ratio_to_raw"] = round(sync["events_per_second"] / raw_eps, 3)
        figures["sync"] = sync
        records, _, _ = await driver.execute_query(
            query("bench/owned_memberships"), database_=database
        )
        owned = {r["key"]: r["person"] for r in records}
        scores = pairwise_scores(owned, world.truth)
        figures["scores"] = {"precision": scores.precision, "recall": scores.recall}
    if with_async:
        flat = [event for batch in batches for event in batch]
        done = await async_ingest(api_settings, key, flat, separate=False)
        figures["async"] = {
            "acknowledged_events_per_second": round(unique / done.acknowledged_seconds, 1),
            "resolved_events_per_second": round(unique / done.resolved_seconds, 1),
            "resolved_ratio_to_raw": round(unique / done.resolved_seconds / raw_eps, 3),
            "load": load_average(),
        }
    return figures


def local_neo4j_pid(settings: Settings, home: Path | None = None) -> int | None:
    """The pid of Neo4j (its CPU is reported): the ``graph-identity neo4j`` server of ``home``
    when one is named, else whatever serves ``NEO4J_URI`` on this machine."""
    if home is None:
        return neo4j_pid(settings)
    local = status(home)
    return local.pid if local is not None else None


def report(
    settings: Settings,
    *,
    households: int = 200,
    seed: int = 7,
    days: int = 90,
    neo4j_home: Path | None = None,
    with_async: bool = True,
    out: Path | None = None,
) -> dict[str, Any]:
    """Run the realistic stream bench on ``settings``' Neo4j (which it wipes); print its JSON."""
    pid = local_neo4j_pid(settings, neo4j_home)
    figures = asyncio.run(run(settings, households, seed, pid, days=days, with_async=with_async))
    typer.echo(json.dumps(figures))
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return figures


def main(
    households: Annotated[int, typer.Option(min=1, help="households in the world")] = 200,
    seed: Annotated[int, typer.Option(help="world and delivery seed")] = 7,
    days: Annotated[int, typer.Option(min=7, help="days the world spans")] = 90,
    neo4j_home: Annotated[
        Path | None, typer.Option(help="local Neo4j home (graph-identity neo4j), for its CPU")
    ] = None,
    with_async: Annotated[bool, typer.Option("--async/--no-async")] = True,
    out: Annotated[Path | None, typer.Option(help="JSON file")] = None,
) -> None:
    """Measure a realistic stream's ingest (wipes the configured Neo4j)."""
    report(
        Settings(),
        households=households,
        seed=seed,
        days=days,
        neo4j_home=neo4j_home,
        with_async=with_async,
        out=out,
    )


if __name__ == "__main__":
    typer.run(main)
