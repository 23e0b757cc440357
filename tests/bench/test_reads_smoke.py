"""The reads benchmark runs end to end at the smoke size and reports every figure (with one
and two workers) and its markdown section. Asserts that figures are there, never how fast."""

from __future__ import annotations

from pathlib import Path

from graph_identity.bench.cli import replace_section
from graph_identity.bench.reads import WORKERS, markdown, run_reads, top_functions
from graph_identity.settings import Settings


async def test_smoke_run_has_every_figure(
    settings: Settings, clean_db: None, tmp_path: Path
) -> None:
    result = await run_reads(settings, households=4, seed=7, requests=40, sizes=(300, 60))
    assert result.events > 360 and result.persons > 2
    assert [level.workers for level in result.levels] == list(WORKERS)
    for level in result.levels:
        for figure in (level.resolve, level.healthz, level.bolt, level.timeline_big):
            assert figure.requests >= 40
            assert 0 < figure.p50_ms <= figure.p99_ms and figure.per_second > 0
        assert level.resolve_during_ingest.requests > 0
        assert level.ingest_events_per_second > 0
    assert result.profile_top or result.profile_note
    section = markdown(result)
    path = tmp_path / "BENCHMARKS.md"
    path.write_text("# Benchmarks\n", encoding="utf-8")
    marker = "bench reads households=4 seed=7"
    replace_section(path, marker, section)
    replace_section(path, marker, section)  # a rerun replaces its section
    assert path.read_text(encoding="utf-8").count(f"<!-- {marker} begin -->") == 1
    assert "person.events(first: 50), 2 worker(s)" in section


def test_top_functions_counts_own_samples_per_function() -> None:
    raw = (
        "main (a.py:1);work (a.py:5);parse (b.py:9) 6\n"
        "main (a.py:1);work (a.py:7) 3\n"
        "main (a.py:1);work (a.py:5);parse (b.py:10) 1\n"
    )
    assert top_functions(raw) == [("parse (b.py)", 70.0), ("work (a.py)", 30.0)]
