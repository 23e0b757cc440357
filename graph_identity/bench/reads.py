"""``graph-identity bench --reads``: reads under load, each figure beside a same-run baseline.

On a simulated world of ``households`` (loaded the cheap way: raw ``UNWIND`` writes, then
``rebuild``) and two extra persons whose timelines are written raw and attributed directly, as
rebuild would (``writeback/attribution``): one of ``BIG`` events, one of ``SMALL``.

For 1 and 2 ``serve --workers`` processes, with ``clients`` closed-loop HTTP clients (keep-alive):

- ``resolve(identifier){person{id} confidence shared}`` over up to 5,000 identifiers, beside
  ``/healthz`` and the bare Bolt lookup (``bench/resolve_bare``) measured the same way;
- the same resolve load while an ingest stream (another world, through the API, batches of 500,
  as fast as it goes) runs, beside the idle figure;
- ``person(id){events(first: 50)}`` on the big person beside the small one.

With one worker, a py-spy profile (``--gil``: Python's own time) of the server under the resolve
load gives the top functions by own samples. The machine is shared: every level records the load
average, and every figure is only meaningful beside its baseline.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import neo4j

from graph_identity.connect import open_store
from graph_identity.domain.events import Event, EventType
from graph_identity.domain.identifiers import Identifier, IdentifierType
from graph_identity.settings import Settings
from graph_identity.simulator.world import WorldConfig, generate_world
from graph_identity.store import maintenance
from graph_identity.store.cypher import query
from graph_identity.store.reads import FAR_FUTURE, FAR_PAST
from graph_identity.store.records import epoch_us, event_row
from graph_identity.store.writeback import new_person_id

from .machine import load_average, neo4j_pid, process_cpu_seconds
from .profile import by_layer, by_package, hotspots, profile_under_load, top_functions
from .runner import (
    Latency,
    _batches,
    _gql,
    always,
    api_ingest,
    api_resolve,
    bolt_resolve,
    closed_loop,
    raw_ingest,
    raw_rows,
    serve_in_subprocess,
    wipe,
)

BIG = 100_000
SMALL = 100
WORKERS = (1, 2)
TIMELINE = """
query Timeline($id: ID!) {
  person(id: $id) { events(first: 50) { edges { cursor node { id at type } } } }
}
"""


@dataclass
class ReadsLevel:
    """One ``--workers`` setting: every figure measured against that server."""

    workers: int
    resolve: Latency
    healthz: Latency
    bolt: Latency
    resolve_during_ingest: Latency
    ingest_events_per_second: float  # the stream that ran beside it
    timeline_big: Latency
    timeline_small: Latency
    #: server CPU per request: resolve, timeline_big, timeline_small; Neo4j's per resolve and
    #: per bare Bolt lookup (neo4j_resolve, neo4j_bolt) when its process is visible
    cpu_ms: dict[str, float]
    load_average: list[float]


@dataclass
class ReadsResult:
    started: str
    households: int
    seed: int
    clients: int
    requests: int
    events: int
    identifiers: int
    persons: int
    nproc: int
    timeline_sizes: tuple[int, int]  # events of the big and the small person
    timeline_db_hits: tuple[int, int] = (0, 0)  # persons/events, first page, big and small
    levels: list[ReadsLevel] = field(default_factory=list)
    profile_top: list[tuple[str, float]] = field(default_factory=list)  # (function, % samples)
    profile_packages: list[tuple[str, float]] = field(default_factory=list)
    profile_hotspots: list[tuple[str, float]] = field(default_factory=list)
    profile_layers: list[tuple[str, float]] = field(default_factory=list)
    profile_note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- loading ----------------------------------------------------------------------------


async def load_world(driver: neo4j.AsyncDriver, settings: Settings, config: WorldConfig) -> None:
    """The world written raw, then resolved by ``rebuild`` (what the engine would store)."""
    database = settings.neo4j_database
    await wipe(driver, database)
    await raw_ingest(driver, database, raw_rows(generate_world(config).events, settings))
    async with open_store(settings) as store:
        await maintenance.rebuild(store)


async def timeline_person(driver: neo4j.AsyncDriver, database: str, name: str, size: int) -> str:
    """A person of ``size`` page views on one account, written raw and attributed directly."""
    person = new_person_id()
    account = Identifier(IdentifierType.ACCOUNT, f"bench-{name}")
    start = datetime(2025, 1, 1, tzinfo=UTC)
    events = [
        Event(
            f"bench-{name}-{n:07d}",
            start + timedelta(seconds=n),
            EventType.PAGE_VIEW,
            (account,),
            channel="web",
        )
        for n in range(size)
    ]
    await raw_ingest(driver, database, [event_row(e) for e in events])
    writes: list[tuple[str, list[dict[str, Any]]]] = [
        ("writeback/ensure_persons", [{"id": person, "since_us": epoch_us(start)}]),
        (
            "writeback/memberships",
            [
                {
                    "person": person,
                    "key": account.key,
                    "shared": False,
                    "confidence": 1.0,
                    "first_us": epoch_us(start),
                    "last_us": epoch_us(events[-1].at),
                    "linked": False,
                }
            ],
        ),
    ]
    writes += [
        ("writeback/attribution", [{"event": e.id, "person": person} for e in batch])
        for batch in _batches(events, 5000)
    ]
    for name, rows in writes:
        await driver.execute_query(query(name), {"rows": rows}, database_=database)
    return person


# --- load generators --------------------------------------------------------------------


async def healthz(client: httpx.AsyncClient, base: str, clients: int, n: int) -> Latency:
    async def call(_: int) -> None:
        (await client.get(f"{base}/healthz")).raise_for_status()

    return await closed_loop(clients, call, limit=n, while_=always)


async def timeline(
    client: httpx.AsyncClient, url: str, person: str, clients: int, n: int
) -> Latency:
    async def call(_: int) -> None:
        body = await _gql(client, url, TIMELINE, {"id": person})
        assert len(body["data"]["person"]["events"]["edges"]) == 50

    return await closed_loop(clients, call, limit=n, while_=always)


async def resolve_beside_ingest(
    client: httpx.AsyncClient,
    url: str,
    sample: list[dict[str, str]],
    stream: list[dict[str, Any]],
    clients: int,
    n: int,
) -> tuple[Latency, float]:
    """Resolve load while ``stream`` is ingested through the API as fast as it goes; the
    resolve calls stop when the stream ends. Returns (resolve latency, stream events/s)."""
    began = time.perf_counter()
    ingest = asyncio.create_task(api_ingest(client, url, stream))

    async def call(index: int) -> None:
        item = sample[index % len(sample)]
        variables = {"identifier": {"type": item["type"], "value": item["value"]}}
        await _gql(client, url, RESOLVE_QUERY, variables)

    latency = await closed_loop(clients, call, limit=n, while_=lambda: not ingest.done())
    await ingest
    return latency, round(len(stream) / (time.perf_counter() - began), 1)


RESOLVE_QUERY = """
query Resolve($identifier: IdentifierInput!) {
  resolve(identifier: $identifier) { confidence shared person { id } }
}
"""


async def timeline_db_hits(driver: neo4j.AsyncDriver, database: str, person: str) -> int:
    """Database hits of ``persons/events`` for a first page of 50 (PROFILE): what Neo4j does
    for a page, whatever else the machine is doing."""
    params = {
        "person": person,
        "lo": FAR_PAST,
        "hi": FAR_FUTURE,
        "until": None,
        "after_at": None,
        "after_id": None,
        "types": None,
        "channels": None,
        "limit": 51,
    }
    async with driver.session(database=database) as session:
        result = await session.run("PROFILE " + query("persons/events"), params)
        summary = await result.consume()
    return _db_hits(summary.profile or {})


def _db_hits(plan: dict[str, Any]) -> int:
    own = int(plan.get("dbHits", 0))
    return own + sum(_db_hits(child) for child in plan.get("children", []))


# --- CPU ---------------------------------------------------------------------------------


async def cpu_per_call(
    pid: int, measure: Callable[[], Awaitable[Latency]], neo4j_pid: int | None = None
) -> tuple[Latency, float, float | None]:
    """``measure()``'s latency and the CPU milliseconds per call during it of the server and
    of Neo4j (None when its process is not known)."""
    before = process_cpu_seconds(pid)
    db_before = process_cpu_seconds(neo4j_pid) if neo4j_pid else 0.0
    figures = await measure()
    calls = max(figures.requests, 1)
    used = round(1000 * (process_cpu_seconds(pid) - before) / calls, 3)
    if not neo4j_pid:
        return figures, used, None
    return figures, used, round(1000 * (process_cpu_seconds(neo4j_pid) - db_before) / calls, 3)


# --- the run ----------------------------------------------------------------------------


async def run_reads(
    settings: Settings,
    *,
    households: int,
    seed: int,
    requests: int,
    clients: int = 8,
    sizes: tuple[int, int] = (BIG, SMALL),
    log: Callable[[str], None] = lambda _: None,
) -> ReadsResult:
    """The reads benchmark; wipes ``settings``' database."""
    started = datetime.now(UTC).isoformat(timespec="seconds")
    database = settings.neo4j_database
    key = secrets.token_urlsafe(24)
    api_settings = settings.model_copy(update={"api_keys": f"admin:{key}"})
    async with open_store(settings) as store:
        driver = store.driver
        await load_world(driver, settings, WorldConfig(households=households, seed=seed))
        log(f"world loaded: {households} households")
        big = await timeline_person(driver, database, "big", sizes[0])
        small = await timeline_person(driver, database, "small", sizes[1])
        log(f"timeline persons: {sizes[0]:,} and {sizes[1]} events")
        records, _, _ = await driver.execute_query(query("bench/counts"), database_=database)
        counts = records[0]
        records, _, _ = await driver.execute_query(
            query("bench/sample_identifiers"), {"limit": 5000}, database_=database
        )
        sample = [dict(r) for r in records]
        result = ReadsResult(
            started,
            households,
            seed,
            clients,
            requests,
            counts["events"],
            counts["identifiers"],
            counts["persons"],
            os.cpu_count() or 0,
            sizes,
        )
        result.timeline_db_hits = (
            await timeline_db_hits(driver, database, big),
            await timeline_db_hits(driver, database, small),
        )
        for workers in WORKERS:
            stream = generate_world(
                WorldConfig(
                    households=max(10, households // 2),
                    seed=seed + workers,
                    namespace=f"stream{workers}",
                )
            ).events
            args = ["--workers", str(workers)] if workers > 1 else []
            with serve_in_subprocess(api_settings, args=args) as served:
                level = await measure(
                    result,
                    served.base,
                    served.pid,
                    workers == 1,
                    key,
                    driver,
                    database,
                    sample,
                    stream,
                    (big, small),
                    neo4j_pid(settings),
                )
            level.workers = workers
            result.levels.append(level)
            log(f"x{workers} workers: resolve p99 {level.resolve.p99_ms} ms")
    return result


async def measure(
    result: ReadsResult,
    base: str,
    pid: int,
    profile: bool,
    key: str,
    driver: neo4j.AsyncDriver,
    database: str,
    sample: list[dict[str, str]],
    stream: list[dict[str, Any]],
    persons: tuple[str, str],
    neo4j_pid: int | None = None,
) -> ReadsLevel:
    """Every figure of one server (process ``pid``; see the module docstring)."""
    url, clients, requests = f"{base}/graphql", result.clients, result.requests
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=clients + 4)
    async with httpx.AsyncClient(headers=headers, timeout=300, limits=limits) as client:
        await api_resolve(client, url, sample, clients, min(400, requests))  # warm-up
        await bolt_resolve(driver, database, sample, clients, min(400, requests))
        await timeline(client, url, persons[0], clients, 50)
        resolve, resolve_cpu, resolve_db = await cpu_per_call(
            pid, lambda: api_resolve(client, url, sample, clients, requests), neo4j_pid
        )
        health = await healthz(client, base, clients, requests)
        bolt, _, bolt_db = await cpu_per_call(
            pid, lambda: bolt_resolve(driver, database, sample, clients, requests), neo4j_pid
        )
        during, stream_eps = await resolve_beside_ingest(
            client, url, sample, stream, clients, requests * 10
        )
        n = max(100, requests // 4)
        big, big_cpu, _ = await cpu_per_call(
            pid, lambda: timeline(client, url, persons[0], clients, n)
        )
        small, small_cpu, _ = await cpu_per_call(
            pid, lambda: timeline(client, url, persons[1], clients, n)
        )
        if profile:

            async def load() -> None:
                await api_resolve(client, url, sample, clients, 200)

            raw, result.profile_note = await profile_under_load(pid, load)
            if raw:
                result.profile_top = top_functions(raw)
                result.profile_packages = by_package(raw)
                result.profile_hotspots = hotspots(raw)
                result.profile_layers = by_layer(raw)
    return ReadsLevel(
        0,
        resolve,
        health,
        bolt,
        during,
        stream_eps,
        big,
        small,
        {"resolve": resolve_cpu, "timeline_big": big_cpu, "timeline_small": small_cpu}
        | (
            {"neo4j_resolve": resolve_db, "neo4j_bolt": bolt_db}
            if resolve_db is not None and bolt_db is not None
            else {}
        ),
        load_average(),
    )


# --- report -----------------------------------------------------------------------------


def _ms(latency: Latency) -> str:
    return f"{latency.p50_ms:.2f} / {latency.p99_ms:.2f}"


def rows(result: ReadsResult) -> list[tuple[str, str, str, str]]:
    """(figure, measured, baseline, ratio) lines for the table and the markdown."""
    lines: list[tuple[str, str, str, str]] = []
    for level in result.levels:
        w, c = level.workers, result.clients
        lines += [
            (
                f"resolve, {w} worker(s), x{c}, p50 / p99 ms",
                _ms(level.resolve),
                f"{_ms(level.healthz)} (/healthz); {_ms(level.bolt)} (bare Bolt)",
                f"p99 {level.resolve.p99_ms / max(level.bolt.p99_ms, 1e-9):.2f}x Bolt",
            ),
            (
                f"resolve, {w} worker(s), x{c}, req/s",
                f"{level.resolve.per_second:,.0f}",
                f"{level.healthz.per_second:,.0f} (/healthz); "
                f"{level.bolt.per_second:,.0f} (bare Bolt)",
                f"{level.resolve.per_second / max(level.bolt.per_second, 1e-9):.2f}x Bolt",
            ),
            (
                f"server CPU ms per request, {w} worker(s)",
                f"resolve {level.cpu_ms['resolve']:.2f}",
                f"timeline {level.cpu_ms['timeline_small']:.2f} ({result.timeline_sizes[1]} "
                f"events), {level.cpu_ms['timeline_big']:.2f} "
                f"({result.timeline_sizes[0]:,} events)",
                "",
            ),
            *_neo4j_cpu_row(level),
            (
                f"resolve during ingest, {w} worker(s), x{c}, p50 / p99 ms",
                f"{_ms(level.resolve_during_ingest)} ({level.resolve_during_ingest.requests:,} "
                f"requests; stream {level.ingest_events_per_second:,.0f} events/s)",
                f"{_ms(level.resolve)} (idle, above)",
                f"p99 {level.resolve_during_ingest.p99_ms / level.resolve.p99_ms:.2f}x idle",
            ),
            (
                f"person.events(first: 50), {w} worker(s), x{c}, p50 / p99 ms",
                f"{_ms(level.timeline_big)} ({result.timeline_sizes[0]:,} events)",
                f"{_ms(level.timeline_small)} ({result.timeline_sizes[1]:,} events)",
                f"p99 {level.timeline_big.p99_ms / level.timeline_small.p99_ms:.2f}x",
            ),
        ]
    return lines


def _neo4j_cpu_row(level: ReadsLevel) -> list[tuple[str, str, str, str]]:
    cpu = level.cpu_ms
    if "neo4j_resolve" not in cpu:
        return []
    return [
        (
            f"Neo4j CPU ms per request, {level.workers} worker(s)",
            f"resolve {cpu['neo4j_resolve']:.2f}",
            f"{cpu['neo4j_bolt']:.2f} (bare Bolt)",
            f"{cpu['neo4j_resolve'] / max(cpu['neo4j_bolt'], 1e-9):.1f}x Bolt",
        )
    ]


def markdown(result: ReadsResult) -> str:
    marker = f"bench reads households={result.households} seed={result.seed}"
    loads = "; ".join(f"{lv.workers} worker(s): {lv.load_average}" for lv in result.levels)
    text = [
        f"<!-- {marker} begin -->",
        f"### Reads: {result.households} households (seed {result.seed}) plus a "
        f"{result.timeline_sizes[0]:,}-event and a {result.timeline_sizes[1]:,}-event person: "
        f"{result.events:,} events, {result.identifiers:,} identifiers, {result.persons:,} persons",
        "",
        f"Run {result.started} on {result.nproc} CPUs shared with other work (load average "
        f"after each level: {loads}); {result.clients} closed-loop HTTP clients (keep-alive), "
        f"{result.requests:,} requests per figure; server and load generator on this machine.",
        "",
        "| figure | measured | baseline (same run) | ratio |",
        "|---|---|---|---|",
    ]
    text += [f"| {' | '.join(line)} |" for line in rows(result)]
    big, small = result.timeline_db_hits
    text += [
        "",
        f"Neo4j database hits of one `persons/events` page of 50 (PROFILE): {big:,} on "
        f"the {result.timeline_sizes[0]:,}-event person, {small:,} on the "
        f"{result.timeline_sizes[1]:,}-event one.",
    ]
    if result.profile_top:
        text += [
            "",
            f"Top 10 functions of the server under the resolve load, 1 worker "
            f"({result.profile_note}; own samples, not callees):",
            "",
            "| function | % of samples |",
            "|---|---|",
        ]
        text += [f"| `{name}` | {share} |" for name, share in result.profile_top]
        packages = ", ".join(f"{name} {share}%" for name, share in result.profile_packages)
        spots = ", ".join(f"{name} {share}%" for name, share in result.profile_hotspots)
        layers = ", ".join(f"{name} {share}%" for name, share in result.profile_layers)
        text += [
            "",
            f"Samples by layer of the request: {layers}.",
            "",
            f"Own samples by package: {packages}.",
            "",
            f"The issue's hotspots (frame and callees): {spots}.",
        ]
    elif result.profile_note:
        text += ["", f"No profile: {result.profile_note}."]
    text.append(f"<!-- {marker} end -->")
    return "\n".join(text) + "\n"
