"""The stream benchmark runs end to end at a tiny size and reports every figure.

Asserts that each figure is there and that the work was really done, never how fast.
"""

from __future__ import annotations

from graph_identity.bench.stream import WORLDS, concurrent_ingest, history_growth
from graph_identity.connect import open_store
from graph_identity.settings import Settings
from graph_identity.store.cypher import query
from graph_identity.store.maintenance import check


async def test_history_growth_reports_both_sizes(settings: Settings, clean_db: None) -> None:
    figures = await history_growth(settings, small=20, large=50, batch=10, samples=2)
    assert figures["median_ms_small"] > 0 and figures["median_ms_large"] > 0
    assert figures["ratio"] > 0 and figures["history_events_per_second"] > 0
    async with open_store(settings) as store:
        records, _, _ = await store.driver.execute_query(
            query("bench/counts"), database_=store.database
        )
        # the login, the prior page views, the warm-up and timed batches, all on one person
        assert records[0]["events"] == 1 + 50 + 2 * (1 + 2) * 10
        assert records[0]["persons"] == 1
        assert await check(store) == []


async def test_concurrent_ingest_reports_each_level(settings: Settings, clean_db: None) -> None:
    figures = await concurrent_ingest(settings, households=1, processes_levels=(1, 2))
    assert figures["worlds"] == WORLDS and figures["events"] > 0
    assert figures["raw"]["events_per_second"] > 0
    for level in ("processes_1", "processes_2"):
        assert figures[level]["events_per_second"] > 0 and figures[level]["ratio_to_raw"] > 0
    async with open_store(settings) as store:
        records, _, _ = await store.driver.execute_query(
            query("bench/counts"), database_=store.database
        )
        assert records[0]["events"] == figures["events"]
        assert await check(store) == []
