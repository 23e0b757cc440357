"""Rebuild at scale: ``python -m graph_identity.bench.rebuild_scale --households N``.

Resolution through the API is too slow here to load a large world in reasonable time, so this
loads one the baseline's way (the same nodes and edges, raw ``UNWIND`` batches, no
resolution), then runs ``rebuild`` in a process of its own (so the peak RSS is the rebuild's,
not the world generator's) and, beside it, times the vectorised connected-components pass over
the same graph. Prints the load average (the box may be shared: figures are noisy) and Neo4j's
resident set. Wipes the database of ``NEO4J_URI``.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from typing import Annotated

import typer

from graph_identity.bench.runner import (
    _process_peak_rss_mb,
    raw_rows,
    wipe,
)
from graph_identity.connect import open_driver, open_store
from graph_identity.domain.components import split
from graph_identity.neo4j_local import status
from graph_identity.settings import Settings
from graph_identity.simulator.world import WorldConfig, generate_world
from graph_identity.store import maintenance
from graph_identity.store.cypher import query

MILLION = 1_000_000


async def load(settings: Settings, households: int, seed: int, batch: int) -> dict[str, float]:
    """Generate a world and write it raw (no persons) in UNWINDs of ``batch`` events."""
    began = time.perf_counter()
    rows = raw_rows(generate_world(WorldConfig(households=households, seed=seed)).events, settings)
    figures: dict[str, float] = {"generate_s": time.perf_counter() - began, "events": len(rows)}
    # the store's own write (ingest/write_events), with nothing resolved
    statement, database = query("ingest/write_events"), settings.neo4j_database
    async with open_driver(settings) as driver:
        await wipe(driver, database)
        began = time.perf_counter()
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            await driver.execute_query(statement, {"rows": chunk}, database_=database)
        figures["raw_load_s"] = time.perf_counter() - began
    return figures


async def drop_persons(settings: Settings) -> None:
    async with (
        open_driver(settings) as driver,
        driver.session(database=settings.neo4j_database) as session,
    ):
        result = await session.run(query("bench/drop_persons"))
        await result.consume()


def _own_peak_rss_mb() -> float:
    # VmHWM, not getrusage: ru_maxrss survives exec, so a child would report its parent's peak
    return _process_peak_rss_mb(os.getpid())


async def rebuild_here(settings: Settings) -> dict[str, float]:
    """Run rebuild in this process; its figures, with this process's resident set before and
    at its peak."""
    figures: dict[str, float] = {"base_rss_mb": _own_peak_rss_mb()}
    timings: dict[str, float] = {}
    async with open_store(settings) as store:
        began = time.perf_counter()
        figures["persons"] = await maintenance.rebuild(store, timings=timings)
        figures["rebuild_s"] = time.perf_counter() - began
    figures |= {f"{phase}_s": seconds for phase, seconds in timings.items()}
    figures["peak_rss_mb"] = _own_peak_rss_mb()
    return figures


async def components_here(settings: Settings) -> dict[str, float]:
    """The vectorised connected-components pass alone over the stored graph."""
    async with open_store(settings) as store:
        async with store.driver.session(database=store.database) as session:
            began = time.perf_counter()
            columns = await maintenance.read_columns(session)
            read_s = time.perf_counter() - began
        began = time.perf_counter()
        parts = split(columns, store.config)
        figures = {
            "cc_read_s": read_s,
            "cc_s": time.perf_counter() - began,
            "components": float(len(parts.constrained)),
            "constrained_components": float(parts.constrained.sum()),
            "plain_event_share": float((~parts.constrained[parts.event_component]).mean()),
        }
        records, _, _ = await store.driver.execute_query(
            query("bench/counts"), database_=store.database, routing_="r"
        )
        figures["identifiers"] = records[0]["identifiers"]
        figures["problems"] = len(await maintenance.check(store))
    return figures


def _neo4j_rss_mb(settings: Settings) -> tuple[float, float]:
    """(current, peak) resident set of the local Neo4j server, 0 when it is not ours."""
    server = status(settings.neo4j_home / "server")
    if server is None:
        return 0.0, 0.0
    with open(f"/proc/{server.pid}/status", encoding="ascii") as proc:
        rss = next(int(line.split()[1]) for line in proc if line.startswith("VmRSS:"))
    return rss / 1024, _process_peak_rss_mb(server.pid)


def main(
    households: Annotated[int, typer.Option(min=1, help="world size")] = 2000,
    seed: Annotated[int, typer.Option(help="random seed")] = 7,
    reload: Annotated[
        bool, typer.Option(help="generate and load the world first (else drop its persons)")
    ] = True,
    load_batch: Annotated[int, typer.Option(min=1, help="events per raw UNWIND")] = 5000,
    rebuild_only: Annotated[bool, typer.Option(hidden=True)] = False,
) -> None:
    settings = Settings()
    if rebuild_only:  # the child process: figures as one JSON line
        typer.echo(json.dumps(asyncio.run(rebuild_here(settings))))
        return
    figures: dict[str, float] = {"load_avg_1m_before": os.getloadavg()[0]}
    if reload:
        figures |= asyncio.run(load(settings, households, seed, load_batch))
    else:
        asyncio.run(drop_persons(settings))
    child = subprocess.run(
        [sys.executable, "-m", "graph_identity.bench.rebuild_scale", "--rebuild-only"],
        check=True,
        capture_output=True,
        text=True,
    )
    figures |= json.loads(child.stdout.strip().splitlines()[-1])
    figures["load_avg_1m_after_rebuild"] = os.getloadavg()[0]
    figures |= asyncio.run(components_here(settings))
    figures["neo4j_rss_mb"], figures["neo4j_peak_rss_mb"] = _neo4j_rss_mb(settings)
    for name, value in figures.items():
        typer.echo(f"{name:>26}: {value:,.3f}")
    scale = MILLION / max(figures["identifiers"], 1)
    base = figures["base_rss_mb"]
    typer.echo(f"{'1M rebuild_s':>26}: {figures['rebuild_s'] * scale:,.0f} (linear)")
    typer.echo(f"{'1M components_s':>26}: {(figures['cc_read_s'] + figures['cc_s']) * scale:,.0f}")
    typer.echo(
        f"{'1M rebuild peak_rss_mb':>26}: {base + (figures['peak_rss_mb'] - base) * scale:,.0f}"
        " (above the interpreter's base, linear)"
    )


if __name__ == "__main__":
    typer.run(main)
