"""Rebuild at scale: ``python -m graph_identity.bench.rebuild_scale --households N``.

Resolution through the API is too slow here to load a large world in reasonable time, so this
loads one the baseline's way (the same nodes and edges, raw ``UNWIND`` batches, no
resolution), then times ``graph-identity rebuild`` on it, beside a pure-Python union-find over
the same co-observations exported from Neo4j. Wipes the database of ``NEO4J_URI``.
"""

from __future__ import annotations

import asyncio
import time
from typing import Annotated

import typer

from graph_identity.app.tasks import open_driver, open_store
from graph_identity.bench.runner import (
    peak_rss_mb,
    raw_ingest,
    raw_rows,
    union_find_components,
    wipe,
)
from graph_identity.settings import Settings
from graph_identity.simulator.world import WorldConfig, generate_world
from graph_identity.store import maintenance
from graph_identity.store.cypher import query


async def measure(settings: Settings, households: int, seed: int) -> dict[str, float]:
    began = time.perf_counter()
    rows = raw_rows(generate_world(WorldConfig(households=households, seed=seed)).events, settings)
    figures: dict[str, float] = {"generate_s": time.perf_counter() - began, "events": len(rows)}
    database = settings.neo4j_database
    async with open_driver(settings) as driver:
        await wipe(driver, database)
        figures["raw_load_s"] = await raw_ingest(driver, database, rows)
        records, _, _ = await driver.execute_query(query("bench/counts"), database_=database)
        figures["identifiers"] = records[0]["identifiers"]
    async with open_store(settings) as store:
        began = time.perf_counter()
        figures["persons"] = await maintenance.rebuild(store)
        figures["rebuild_s"] = time.perf_counter() - began
        began = time.perf_counter()
        records, _, _ = await store.driver.execute_query(
            query("bench/co_observations"), database_=database, routing_="r"
        )
        edges = [list(r["keys"]) for r in records]
        figures["export_s"] = time.perf_counter() - began
        began = time.perf_counter()
        figures["components"] = union_find_components(edges)
        figures["unionfind_s"] = time.perf_counter() - began
        figures["problems"] = len(await maintenance.check(store))
    figures["peak_rss_mb"] = peak_rss_mb()
    return figures


def main(
    households: Annotated[int, typer.Option(min=1, help="world size")] = 2000,
    seed: Annotated[int, typer.Option(help="random seed")] = 7,
) -> None:
    figures = asyncio.run(measure(Settings(), households, seed))
    for name, value in figures.items():
        typer.echo(f"{name:>14}: {value:,.3f}")
    per_identifier = figures["rebuild_s"] / max(figures["identifiers"], 1)
    typer.echo(f"{'1M estimate_s':>14}: {per_identifier * 1_000_000:,.0f} (linear)")


if __name__ == "__main__":
    typer.run(main)
