"""The benchmark runs end to end at the smoke size and reports every figure.

Asserts that each figure is there and positive, never how fast anything was.
"""

from __future__ import annotations

import json
from pathlib import Path

from graph_identity.bench.cli import markdown, update_markdown
from graph_identity.bench.runner import CONCURRENCY, run
from graph_identity.settings import Settings

SMOKE_HOUSEHOLDS = 10


async def test_smoke_run_has_every_figure(
    settings: Settings, clean_db: None, tmp_path: Path
) -> None:
    result = await run(settings, households=SMOKE_HOUSEHOLDS, seed=7, requests=40)

    assert result.events > 0 and result.identifiers > 0 and result.persons > 0
    for figure in (
        result.ingest_events_per_second,
        result.raw_events_per_second,
        result.ingest_ratio,
        result.rebuild_seconds,
        result.unionfind_seconds,
        result.rebuild_ratio,
        result.peak_rss_mb,
        result.async_acknowledged_events_per_second,
        result.async_resolved_events_per_second,
        result.async_ratio,
        result.separate_acknowledged_events_per_second,
        result.separate_resolved_events_per_second,
        result.separate_ratio,
    ):
        assert figure > 0
    # resolved means the backlog was empty: never sooner than the last acknowledgement
    assert result.async_resolved_seconds >= result.async_acknowledged_seconds
    assert result.rebuild_persons > 0 and result.unionfind_components > 0
    assert [level.clients for level in result.resolve] == list(CONCURRENCY)
    for level in result.resolve:
        for side in (level.api, level.bolt):
            assert side.requests == 40
            assert side.p50_ms > 0 and side.p99_ms >= side.p50_ms and side.per_second > 0
        assert level.p99_ratio > 0 and level.throughput_ratio > 0
    assert set(result.targets) == {
        "ingest_events_per_second>=5000",
        "async_resolved_events_per_second>=5000",
        "resolve_p99_ms_at_8_clients<20",
        "rebuild_1m_identifiers_seconds<120",
    }
    assert all(isinstance(t["holds"], bool) for t in result.targets.values())
    assert result.machine["nproc"] > 0 and result.machine["neo4j"]

    json.dumps(result.to_dict())  # the --out file is plain JSON
    md = tmp_path / "BENCHMARKS.md"
    update_markdown(md, result)
    update_markdown(md, result)  # a rerun replaces its own section
    assert md.read_text().count(markdown(result).splitlines()[0]) == 1
