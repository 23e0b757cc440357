"""The realistic stream benchmark runs end to end at a tiny size and reports every figure.

Asserts that each figure is there and that the work was really done, never how fast.
"""

from __future__ import annotations

import os

from graph_identity.bench.machine import process_cpu_seconds as cpu_seconds
from graph_identity.bench.realistic import fifths, run
from graph_identity.connect import open_store
from graph_identity.settings import Settings
from graph_identity.store.cypher import query
from graph_identity.store.maintenance import check


def test_fifths_compare_the_first_and_last_fifth() -> None:
    figures = fifths([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0])
    assert figures == {"first_fifth_ms": 1.5, "last_fifth_ms": 9.5, "ratio": 6.33}


def test_cpu_seconds_reads_a_live_process_and_zero_for_none() -> None:
    sum(range(200_000))  # some CPU of our own
    assert cpu_seconds(os.getpid()) > 0
    assert cpu_seconds(None) == 0.0


async def test_the_stream_reports_every_figure(settings: Settings, clean_db: None) -> None:
    # this process stands in for Neo4j's pid: the per-batch CPU figures need some live process
    figures = await run(settings, 2, 7, os.getpid(), days=7, with_async=True)
    assert figures["events"] > 0 and figures["batches"] >= 1
    assert figures["raw"]["events_per_second"] > 0
    sync = figures["sync"]
    assert sync["events_per_second"] > 0 and sync["ratio_to_raw"] > 0
    for name in ("latency", "service_cpu_per_batch", "neo4j_cpu_per_batch"):
        assert set(sync[name]) == {"first_fifth_ms", "last_fifth_ms", "ratio"}
    assert sync["latency"]["first_fifth_ms"] > 0
    assert 0 < figures["scores"]["precision"] <= 1 and 0 < figures["scores"]["recall"] <= 1
    assert figures["async"]["resolved_events_per_second"] > 0
    async with open_store(settings) as store:
        records, _, _ = await store.driver.execute_query(
            query("bench/counts"), database_=store.database
        )
        # the asynchronous run came last, on a clean database: every event once, resolved
        assert records[0]["events"] == figures["events"]
        assert await check(store) == []
