"""The ``bench`` command: run, print a table, write JSON and the BENCHMARKS.md section."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from graph_identity.bench.collect import CollectResult, run_collect
from graph_identity.bench.collect import markdown as collect_markdown
from graph_identity.bench.reads import ReadsResult, run_reads
from graph_identity.bench.reads import markdown as reads_markdown
from graph_identity.bench.reads import rows as reads_rows
from graph_identity.bench.runner import Result, run
from graph_identity.settings import Settings

BENCHMARKS_MD = Path(__file__).resolve().parents[2] / "BENCHMARKS.md"


def _yes(holds: object) -> str:
    return "yes" if holds else "no"


def _ratio_text(baseline: float, measured: float) -> str:
    return f"{round(baseline / measured, 2)}x slower" if measured else ""


#: The baseline of every ingest row: the bare write of the same events.
_RAW = "{:,.0f} (raw write_events UNWIND, no resolution)"


def rows(result: Result) -> list[tuple[str, str, str, str]]:
    """(figure, measured, baseline, ratio) lines shared by the table and the markdown."""
    return [
        *_ingest_rows(result),
        *_async_rows(result),
        *_resolve_rows(result),
        *_rebuild_and_memory_rows(result),
    ]


def _ingest_rows(result: Result) -> list[tuple[str, str, str, str]]:
    return [
        (
            "ingest, events/s (batches of 500)",
            f"{result.ingest_events_per_second:,.0f} (API, synchronous: acknowledged = resolved)",
            _RAW.format(result.raw_events_per_second),
            f"{result.ingest_ratio}x slower",
        ),
    ]


def _async_rows(result: Result) -> list[tuple[str, str, str, str]]:
    """Acknowledged and resolved rates of the asynchronous mode, for each resolver placement."""
    raw = _RAW.format(result.raw_events_per_second)
    lines = []
    for where, acknowledged, resolved, ratio in (
        (
            "resolver in the server",
            result.async_acknowledged_events_per_second,
            result.async_resolved_events_per_second,
            result.async_ratio,
        ),
        (
            "separate resolver process",
            result.separate_acknowledged_events_per_second,
            result.separate_resolved_events_per_second,
            result.separate_ratio,
        ),
    ):
        lines.append(
            (
                f"ingest, async mode (opt-in), {where}: events/s acknowledged",
                f"{acknowledged:,.0f} (API, until the last batch is acknowledged)",
                raw,
                _ratio_text(result.raw_events_per_second, acknowledged),
            )
        )
        lines.append(
            (
                f"ingest, async mode (opt-in), {where}: events/s resolved",
                f"{resolved:,.0f} (API, until the backlog is empty: everything resolved)",
                raw,
                f"{ratio}x slower",
            )
        )
    return lines


def _resolve_rows(result: Result) -> list[tuple[str, str, str, str]]:
    """Latency and throughput of ``resolve`` beside bare Bolt, per concurrency level."""
    lines = []
    for level in result.resolve:
        lines.append(
            (
                f"resolve x{level.clients} clients, p50 / p99 ms",
                f"{level.api.p50_ms:.2f} / {level.api.p99_ms:.2f}",
                f"{level.bolt.p50_ms:.2f} / {level.bolt.p99_ms:.2f} (bare Bolt)",
                f"p99 {level.p99_ratio}x",
            )
        )
        lines.append(
            (
                f"resolve x{level.clients} clients, req/s",
                f"{level.api.per_second:,.0f}",
                f"{level.bolt.per_second:,.0f} (bare Bolt)",
                f"{level.throughput_ratio}x",
            )
        )
    return lines


def _rebuild_and_memory_rows(result: Result) -> list[tuple[str, str, str, str]]:
    return [
        (
            "rebuild, s",
            f"{result.rebuild_seconds:.2f} ({result.rebuild_persons:,} persons)",
            f"{result.unionfind_seconds:.3f} (Python union-find, "
            f"{result.unionfind_components:,} components; export {result.export_seconds:.2f})",
            f"{result.rebuild_ratio}x slower",
        ),
        (
            "peak RSS of the service, MiB",
            f"{result.peak_rss_mb:,.0f}",
            f"{result.bench_peak_rss_mb:,.0f} (the bench process)",
            "",
        ),
    ]


def table(result: Result) -> Table:
    out = Table(
        title=f"graph-identity bench: {result.households} households, seed {result.seed}, "
        f"{result.events:,} events, {result.identifiers:,} identifiers"
    )
    for name in ("figure", "measured", "baseline (same run)", "ratio"):
        out.add_column(name)
    for line in rows(result):
        out.add_row(*line)
    return out


def markdown(result: Result) -> str:
    """The section for one (households, seed) pair, between markers so a rerun replaces it."""
    m = result.machine
    marker = f"bench households={result.households} seed={result.seed}"
    text = [
        f"<!-- {marker} begin -->",
        f"### {result.households} households (seed {result.seed}): {result.events:,} events, "
        f"{result.identifiers:,} identifiers, {result.persons:,} persons",
        "",
        f"Run {result.started} on {m['nproc']} CPUs, {m['ram_gib']} GiB RAM, "
        f"Python {m['python']}, Neo4j {m['neo4j']} ({m['platform']}), "
        f"load average at the end {m['load_average_at_end']}. "
        f"Transport: {result.transport}; {result.resolve_requests:,} resolve requests per level.",
        "",
        "| figure | measured | baseline (same run) | ratio |",
        "|---|---|---|---|",
    ]
    text += [f"| {' | '.join(line)} |" for line in rows(result)]
    text += ["", "| target | measured | holds |", "|---|---|---|"]
    for name, target in result.targets.items():
        note = f" ({target['note']})" if "note" in target else ""
        text.append(f"| {name} | {target['measured']}{note} | {_yes(target['holds'])} |")
    text.append(f"<!-- {marker} end -->")
    return "\n".join(text) + "\n"


def update_markdown(path: Path, result: Result) -> None:
    replace_section(
        path, f"bench households={result.households} seed={result.seed}", markdown(result)
    )


def replace_section(path: Path, marker: str, section: str) -> None:
    """Put ``section`` (which starts and ends with ``marker``'s comments) into ``path``."""
    existing = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(
        rf"<!-- {re.escape(marker)} begin -->.*?<!-- {re.escape(marker)} end -->\n?", re.S
    )
    if pattern.search(existing):
        updated = pattern.sub(lambda _: section, existing)
    else:
        updated = existing.rstrip("\n") + "\n\n" + section
    path.write_text(updated, encoding="utf-8")


def bench(
    settings: Settings,
    *,
    households: int = 50,
    seed: int = 7,
    requests: int = 2000,
    out: Path | None = None,
    markdown_path: Path | None = BENCHMARKS_MD,
) -> Result:
    """Run the benchmark against ``settings``' Neo4j (which it wipes) and report it."""
    console = Console()
    # the server's driver reports every unknown label of an empty graph; not a finding here
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    result = asyncio.run(
        run(settings, households=households, seed=seed, requests=requests, log=console.log)
    )
    console.print(table(result))
    if out is None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        out = Path("bench-results") / f"{stamp}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result.to_dict(), indent=2) + "\n", encoding="utf-8")
    console.print(f"JSON: {out}")
    if markdown_path is not None:
        update_markdown(markdown_path, result)
        console.print(f"markdown: {markdown_path}")
    return result


def bench_reads(
    settings: Settings,
    *,
    households: int = 200,
    seed: int = 7,
    requests: int = 2000,
    out: Path | None = None,
    markdown_path: Path | None = BENCHMARKS_MD,
) -> ReadsResult:
    """The reads benchmark (:mod:`graph_identity.bench.reads`), reported like :func:`bench`."""
    console = Console()
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    result = asyncio.run(
        run_reads(settings, households=households, seed=seed, requests=requests, log=console.log)
    )
    out_table = Table(title=f"graph-identity bench --reads: {households} households, seed {seed}")
    for name in ("figure", "measured", "baseline (same run)", "ratio"):
        out_table.add_column(name)
    for line in reads_rows(result):
        out_table.add_row(*line)
    console.print(out_table)
    for name, share in result.profile_top:
        console.print(f"{share:5.1f}%  {name}")
    marker = f"bench reads households={households} seed={seed}"
    _keep(result.to_dict(), "reads", out, markdown_path, marker, reads_markdown(result))
    return result


def _keep(
    figures: dict[str, object],
    kind: str,
    out: Path | None,
    markdown_path: Path | None,
    marker: str,
    section: str,
) -> None:
    """Write the figures as JSON (bench-results/<kind>-<stamp>.json unless ``out``) and
    replace the section between ``marker``'s lines in ``markdown_path``."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = out or Path("bench-results") / f"{kind}-{stamp}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    if markdown_path is not None:
        replace_section(markdown_path, marker, section)


def bench_collect(
    settings: Settings,
    *,
    households: int = 50,
    seed: int = 7,
    out: Path | None = None,
    markdown_path: Path | None = BENCHMARKS_MD,
) -> CollectResult:
    """The collection benchmark (:mod:`graph_identity.bench.collect`), reported like
    :func:`bench`."""
    console = Console()
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    result = asyncio.run(run_collect(settings, households=households, seed=seed, log=console.log))
    section = collect_markdown(result)
    console.print(section)
    marker = f"bench collect households={households} seed={seed}"
    _keep(result.to_dict(), "collect", out, markdown_path, marker, section)
    return result


bench_app = typer.Typer(add_completion=False, help=__doc__)


@bench_app.command()
def main(
    households: Annotated[int, typer.Option(min=1, help="world size")] = 50,
    seed: Annotated[int, typer.Option(help="random seed")] = 7,
    requests: Annotated[int, typer.Option(min=10, help="resolve requests per level")] = 2000,
    out: Annotated[Path | None, typer.Option(help="JSON file")] = None,
) -> None:
    """Measure ingest, resolve and rebuild beside baselines (wipes the configured Neo4j)."""
    bench(Settings(), households=households, seed=seed, requests=requests, out=out)


if __name__ == "__main__":
    bench_app()
