"""The reads benchmark runs end to end at the smoke size and reports every figure (with one
and two workers) and its markdown section. Asserts that figures are there, never how fast."""

from __future__ import annotations

from pathlib import Path

from graph_identity.bench.cli import replace_section
from graph_identity.bench.profile import by_layer, by_package, hotspots, top_functions
from graph_identity.bench.reads import WORKERS, markdown, run_reads
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
    assert all(hits > 0 for hits in result.timeline_db_hits)
    assert all(cpu >= 0 for level in result.levels for cpu in level.cpu_ms.values())
    section = markdown(result)
    path = tmp_path / "BENCHMARKS.md"
    path.write_text("# Benchmarks\n", encoding="utf-8")
    marker = "bench reads households=4 seed=7"
    replace_section(path, marker, section)
    replace_section(path, marker, section)  # a rerun replaces its section
    assert path.read_text(encoding="utf-8").count(f"<!-- {marker} begin -->") == 1
    assert "person.events(first: 50), 2 worker(s)" in section


def test_profile_summaries_count_samples() -> None:
    raw = (
        "run (uvicorn/main.py:1);work (neo4j/io.py:5);hydrate_datetime (neo4j/t.py:9) 6\n"
        "run (uvicorn/main.py:1);Parser.parse_document (graphql/parser.py:7) 3\n"
        "run (uvicorn/main.py:1);work (neo4j/io.py:5);hydrate_datetime (neo4j/t.py:10) 1\n"
    )
    assert top_functions(raw) == [
        ("hydrate_datetime (neo4j/t.py)", 70.0),
        ("Parser.parse_document (graphql/parser.py)", 30.0),
    ]
    assert by_package(raw) == [("neo4j", 70.0), ("graphql", 30.0)]
    assert hotspots(raw) == [
        ("Neo4j DateTime hydration", 70.0),
        ("GraphQL parsing", 30.0),
        ("persons/read conversion", 0.0),
    ]


def test_samples_go_to_the_innermost_layer_that_claims_them() -> None:
    raw = (
        "run (uvicorn/main.py:1);execute (graphql/execution/execute.py:2);"
        "resolve (graph_identity/api/guarded.py:3);run (neo4j/_async/work.py:4) 5\n"
        "run (uvicorn/main.py:1);encode_json (strawberry/http/base.py:5);"
        "dumps (json/__init__.py:6) 2\n"
        "run (uvicorn/main.py:1);validate (graphql/validation/validate.py:7) 2\n"
        "select (asyncio/base_events.py:8) 1\n"
    )
    assert by_layer(raw) == [
        ("Neo4j driver", 50.0),
        ("HTTP", 20.0),
        ("GraphQL validate", 20.0),
        ("other (event loop, logging)", 10.0),
    ]
