"""``graph-identity bench``: measured figures, each beside a baseline from the same run.

One run, against one Neo4j (wiped between phases), on a simulated world of ``households``:

1. **ingest**: the world's events, in batches of 500, through the GraphQL ``ingest`` mutation
   (``graph-identity serve`` in its own process on 127.0.0.1, resolution on), against raw
   Neo4j writing the same Event and Identifier nodes and OBSERVED edges with one UNWIND per
   batch (no resolution).
2. **resolve**: a fixed number of ``resolve`` requests over HTTP at 1, 8 and 32 concurrent
   clients, against the bare Bolt lookup ``(Identifier {key})<-[HAS]-(Person)``.
3. **rebuild**: :func:`graph_identity.store.maintenance.rebuild` against a pure-Python
   union-find over the same co-observation edges exported from Neo4j.
4. **peak RSS** of the service process (and, beside it, of this bench process).

Loops are bounded (fixed request counts) and everything is on loopback.
"""

from __future__ import annotations

import asyncio
import os
import platform
import resource
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import neo4j

from graph_identity.connect import open_driver, open_store
from graph_identity.domain.event_json import raw_event
from graph_identity.domain.events import prepare
from graph_identity.settings import Settings
from graph_identity.simulator.world import WorldConfig, generate_world
from graph_identity.store import maintenance
from graph_identity.store.cypher import query
from graph_identity.store.records import event_row
from graph_identity.store.schema import migrate

BATCH = 500
CONCURRENCY = (1, 8, 32)

INGEST = """
mutation Ingest($events: [EventInput!]!) {
  ingest(events: $events) { accepted duplicates rejected { eventId reason } }
}
"""
RESOLVE = """
query Resolve($identifier: IdentifierInput!) {
  resolve(identifier: $identifier) { confidence shared person { id } }
}
"""

#: The issue's targets; each result says whether it holds at the measured size.
TARGET_INGEST_EPS = 5000.0
TARGET_RESOLVE_P99_MS_AT_8 = 20.0
TARGET_REBUILD_IDENTIFIERS = 1_000_000
TARGET_REBUILD_SECONDS = 120.0


class BenchError(RuntimeError):
    """The benchmark could not run (the API answered with errors, the server did not start)."""


@dataclass
class Latency:
    clients: int
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    per_second: float


@dataclass
class ResolveLevel:
    clients: int
    api: Latency
    bolt: Latency
    p99_ratio: float
    throughput_ratio: float


@dataclass
class Result:
    """Every figure of one run; ``to_dict`` is the JSON written with ``--out``."""

    started: str
    households: int
    seed: int
    machine: dict[str, Any]
    transport: str
    events: int
    identifiers: int
    persons: int
    ingest_seconds: float
    ingest_events_per_second: float
    raw_seconds: float
    raw_events_per_second: float
    ingest_ratio: float
    resolve_requests: int
    resolve: list[ResolveLevel]
    rebuild_seconds: float
    rebuild_persons: int
    export_seconds: float
    unionfind_seconds: float
    unionfind_components: int
    rebuild_ratio: float
    rebuild_extrapolated_1m_seconds: float
    peak_rss_mb: float  # the service process
    bench_peak_rss_mb: float  # this process: world, load generator, baselines
    #: the asynchronous ingest mode (opt-in), same world on a clean database: until the last
    #: batch is acknowledged, and until the backlog is empty (everything resolved); with the
    #: resolver inside the server, and in a separate process
    async_acknowledged_seconds: float = 0.0
    async_acknowledged_events_per_second: float = 0.0
    async_resolved_seconds: float = 0.0
    async_resolved_events_per_second: float = 0.0
    async_ratio: float = 0.0  # raw write / resolved
    separate_acknowledged_events_per_second: float = 0.0
    separate_resolved_seconds: float = 0.0
    separate_resolved_events_per_second: float = 0.0
    separate_ratio: float = 0.0  # raw write / resolved
    targets: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- helpers ----------------------------------------------------------------------------


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if platform.system() == "Darwin" else peak / 1024


def _ram_gib() -> float:
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    return round(int(line.split()[1]) / (1024 * 1024), 1)
    except OSError:
        pass
    return 0.0


def percentile(samples: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile of ``samples`` (which must not be empty)."""
    ordered = sorted(samples)
    rank = max(1, round(pct / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def _batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def union_find_components(edges: Sequence[Sequence[str]]) -> int:
    """Connected components over co-observed keys: plain union-find with path halving."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for keys in edges:
        if not keys:
            continue
        root = find(keys[0])
        for other in keys[1:]:
            top = find(other)
            if top != root:
                parent[top] = root
    return sum(1 for key, up in parent.items() if key == up)


async def closed_loop(
    clients: int, call: Callable[[int], Awaitable[None]], *, limit: int, while_: Callable[[], bool]
) -> Latency:
    """``clients`` workers calling back to back until ``limit`` calls or ``while_()`` is false."""
    samples: list[float] = []
    issued = 0

    async def worker() -> None:
        nonlocal issued
        while issued < limit and while_():
            index = issued
            issued += 1
            began = time.perf_counter()
            await call(index)
            samples.append(time.perf_counter() - began)

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return latency(clients, samples, time.perf_counter() - began)


def always() -> bool:
    return True


def latency(clients: int, samples: Sequence[float], seconds: float) -> Latency:
    """The figures of ``samples`` (seconds per call) taken over ``seconds`` of wall time."""
    return Latency(
        clients,
        len(samples),
        round(seconds, 4),
        round(percentile(samples, 50) * 1000, 3),
        round(percentile(samples, 99) * 1000, 3),
        round(len(samples) / seconds, 1),
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Served:
    base: str
    pid: int
    peak_rss_mb: float = 0.0


@contextmanager
def serve_in_subprocess(
    settings: Settings,
    timeout: float = 180.0,
    args: Sequence[str] = (),
    extra_env: Mapping[str, str] | None = None,
) -> Iterator[Served]:
    """``graph-identity serve`` in a process of its own on a loopback port, so the load
    generator does not share the service's interpreter; its peak RSS is read at the end."""
    port = _free_port()
    env = _child_env(settings, extra_env)
    command = [sys.executable, "-m", "graph_identity.app.cli", "serve", "--port", str(port), *args]
    # the server's log goes to a file: a pipe nobody reads could fill up and stall it
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        served = Served(f"http://127.0.0.1:{port}", process.pid)
        deadline = time.monotonic() + timeout
        try:
            while True:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    tail = log.read().decode(errors="replace")[-2000:]
                    raise BenchError(f"the API server did not start: {tail}")
                try:
                    if httpx.get(f"{served.base}/readyz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.2)
            yield served
            served.peak_rss_mb = _process_peak_rss_mb(process.pid)
        finally:
            _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _child_env(settings: Settings, extra: Mapping[str, str] | None) -> dict[str, str]:
    """The environment of a ``graph-identity`` child process on ``settings``' Neo4j."""
    return {
        **os.environ,
        **(extra or {}),
        "NEO4J_URI": settings.neo4j_uri,
        "NEO4J_USER": settings.neo4j_user,
        "NEO4J_PASSWORD": settings.neo4j_password,
        "NEO4J_DATABASE": settings.neo4j_database,
        "GRAPH_IDENTITY_API_KEYS": settings.api_keys,
    }


def _process_peak_rss_mb(pid: int) -> float:
    """VmHWM (peak resident set) of a live process, from /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


# --- phases -----------------------------------------------------------------------------


async def wipe(driver: neo4j.AsyncDriver, database: str) -> None:
    async with driver.session(database=database) as session:
        result = await session.run(query("bench/delete_all"))
        await result.consume()
    await migrate(driver, database)


def raw_rows(events: list[dict[str, Any]], settings: Settings) -> list[dict[str, Any]]:
    """The rows raw Neo4j writes: the store's own normalisation, done before the clock."""
    config = settings.resolution()
    rows: list[dict[str, Any]] = []
    for obj in events:
        prepared = prepare(raw_event(obj), config).event
        if prepared is None:
            continue
        rows.append(event_row(prepared))  # carries each identifier's allowlisted label
    return rows


async def raw_ingest(
    driver: neo4j.AsyncDriver, database: str, rows: list[dict[str, Any]], size: int = BATCH
) -> float:
    statement = query("ingest/write_events")  # the store's own write, with nothing resolved
    began = time.perf_counter()
    for batch in _batches(rows, size):
        await driver.execute_query(statement, {"rows": list(batch)}, database_=database)
    return time.perf_counter() - began


@dataclass
class AsyncIngest:
    """Seconds until the last batch was acknowledged, and until the backlog was empty."""

    acknowledged_seconds: float
    resolved_seconds: float


async def async_ingest(
    settings: Settings, key: str, events: list[dict[str, Any]], *, separate: bool
) -> AsyncIngest:
    """Deliver ``events`` through the API of a server in the asynchronous mode, on a clean
    database, with its resolver inside the server or (``separate``) in a ``graph-identity
    backlog --follow`` process of its own."""
    extra = {"GRAPH_IDENTITY_INGEST_MODE": "async", "GRAPH_IDENTITY_BACKLOG_POLL_SECONDS": "0.05"}
    if separate:
        extra["GRAPH_IDENTITY_RESOLVE_IN_SERVER"] = "false"
    async with open_driver(settings) as driver:
        database = settings.neo4j_database
        await wipe(driver, database)
        with ExitStack() as stack:
            if separate:
                stack.enter_context(_follower(settings, extra))
            served = stack.enter_context(serve_in_subprocess(settings, extra_env=extra))
            headers = {"Authorization": f"Bearer {key}"}
            async with httpx.AsyncClient(headers=headers, timeout=300) as client:
                began = time.perf_counter()
                acknowledged = await api_ingest(client, f"{served.base}/graphql", events)
                await _backlog_empty(driver, database)
                return AsyncIngest(round(acknowledged, 3), round(time.perf_counter() - began, 3))


@contextmanager
def _follower(settings: Settings, extra: Mapping[str, str]) -> Iterator[None]:
    """``graph-identity backlog --follow`` in a process of its own, for the duration."""
    command = [sys.executable, "-m", "graph_identity.app.cli", "backlog", "--follow"]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command, env=_child_env(settings, extra), stdout=log, stderr=subprocess.STDOUT
        )
        try:
            yield
        finally:
            _stop(process)


async def _backlog_empty(driver: neo4j.AsyncDriver, database: str, limit: float = 3600) -> None:
    """Wait until no stored event awaits resolution (the asynchronous ingest's backlog)."""
    deadline = time.monotonic() + limit
    while True:
        records, _, _ = await driver.execute_query(query("backlog/count"), database_=database)
        if records[0]["n"] == 0:
            return
        if time.monotonic() > deadline:
            raise BenchError(f"the backlog still holds {records[0]['n']} events after {limit} s")
        await asyncio.sleep(0.05)


async def _gql(
    client: httpx.AsyncClient, url: str, document: str, variables: dict[str, Any]
) -> dict[str, Any]:
    response = await client.post(url, json={"query": document, "variables": variables})
    body: dict[str, Any] = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise BenchError(f"API answered {response.status_code}: {str(body)[:500]}")
    return body


async def api_ingest(
    client: httpx.AsyncClient, url: str, events: list[dict[str, Any]], size: int = BATCH
) -> float:
    began = time.perf_counter()
    for batch in _batches(events, size):
        await _gql(client, url, INGEST, {"events": list(batch)})
    return time.perf_counter() - began


async def api_resolve(
    client: httpx.AsyncClient, url: str, sample: list[dict[str, str]], clients: int, n: int
) -> Latency:
    async def call(index: int) -> None:
        item = sample[index % len(sample)]
        await _gql(
            client, url, RESOLVE, {"identifier": {"type": item["type"], "value": item["value"]}}
        )

    return await closed_loop(clients, call, limit=n, while_=always)


async def bolt_resolve(
    driver: neo4j.AsyncDriver, database: str, sample: list[dict[str, str]], clients: int, n: int
) -> Latency:
    statement = query("bench/resolve_bare")

    async def call(index: int) -> None:
        await driver.execute_query(
            statement, {"key": sample[index % len(sample)]["key"]}, database_=database, routing_="r"
        )

    return await closed_loop(clients, call, limit=n, while_=always)


def _rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else 0.0


def _ratio(numerator: float, denominator: float) -> float:
    return round(numerator / denominator, 2) if denominator > 0 else 0.0


#: How the run reports its progress, one line at a time.
Log = Callable[[str], None]


# --- the run ----------------------------------------------------------------------------


@dataclass
class _ApiFigures:
    """What the API step measured: ingest time, resolve latency per level, service memory."""

    ingest_seconds: float
    levels: list[ResolveLevel]
    peak_rss_mb: float


@dataclass
class _RebuildFigures:
    """What the rebuild step measured, beside union-find over the exported co-observations."""

    rebuild_seconds: float
    rebuild_persons: int
    export_seconds: float
    unionfind_seconds: float
    components: int
    persons: int


async def run(
    settings: Settings,
    *,
    households: int,
    seed: int,
    requests: int = 2000,
    log: Callable[[str], None] = lambda _: None,
) -> Result:
    """One full benchmark run; wipes ``settings``' database. The steps: the raw write baseline
    and the API on a clean database each, rebuild beside union-find, then the asynchronous
    ingest mode twice."""
    started = datetime.now(UTC).isoformat(timespec="seconds")
    world = generate_world(WorldConfig(households=households, seed=seed))
    events = world.events
    log(f"world: {households} households, seed {seed}: {len(events)} events")
    key = secrets.token_urlsafe(24)
    api_settings = settings.model_copy(update={"api_keys": f"admin:{key}"})
    database = settings.neo4j_database
    async with open_driver(settings) as driver:
        records, _, _ = await driver.execute_query(query("bench/version"), database_=database)
        neo4j_version = f"{records[0]['version']} {records[0]['edition']}"
        raw_count, raw_seconds = await _baseline_step(driver, settings, events, log)
        api = await _api_step(driver, api_settings, key, events, requests, log)
        records, _, _ = await driver.execute_query(query("bench/counts"), database_=database)
        identifiers, stored_events = records[0]["identifiers"], records[0]["events"]
    rebuild = await _rebuild_step(settings, log)
    in_server = await async_ingest(api_settings, key, events, separate=False)
    log(f"async ingest, resolver in the server: {in_server}")
    separate = await async_ingest(api_settings, key, events, separate=True)
    log(f"async ingest, separate resolver process: {separate}")
    raw_eps = raw_count / raw_seconds
    result = Result(
        started=started,
        households=households,
        seed=seed,
        machine=_machine(neo4j_version),
        transport=(
            "HTTP (GraphQL over httpx to `graph-identity serve` in its own process on 127.0.0.1)"
        ),
        events=stored_events,
        identifiers=identifiers,
        persons=rebuild.persons,
        raw_seconds=round(raw_seconds, 3),
        raw_events_per_second=round(raw_eps, 1),
        resolve_requests=requests,
        **_api_fields(api, stored_events, raw_eps),
        **_rebuild_fields(rebuild, identifiers),
        bench_peak_rss_mb=round(peak_rss_mb(), 1),
        **_async_fields(in_server, separate, stored_events, raw_eps),
    )
    result.targets = _targets(result, identifiers)
    return result


async def _baseline_step(
    driver: neo4j.AsyncDriver, settings: Settings, events: list[dict[str, Any]], log: Log
) -> tuple[int, float]:
    """The raw write baseline first, on a clean database: (events written, seconds)."""
    await wipe(driver, settings.neo4j_database)
    rows = raw_rows(events, settings)
    raw_seconds = await raw_ingest(driver, settings.neo4j_database, rows)
    log(f"raw ingest: {raw_seconds:.2f}s")
    return len(rows), raw_seconds


async def _api_step(
    driver: neo4j.AsyncDriver,
    api_settings: Settings,
    key: str,
    events: list[dict[str, Any]],
    requests: int,
    log: Log,
) -> _ApiFigures:
    """The API on a clean database: ingest every event, then resolve at each concurrency."""
    database = api_settings.neo4j_database
    await wipe(driver, database)
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=max(CONCURRENCY) + 4)
    with serve_in_subprocess(api_settings) as served:
        url = f"{served.base}/graphql"
        async with httpx.AsyncClient(headers=headers, timeout=300, limits=limits) as client:
            ingest_seconds = await api_ingest(client, url, events)
            log(f"API ingest: {ingest_seconds:.2f}s")
            levels = await _resolve_step(client, url, driver, database, requests, log)
    return _ApiFigures(ingest_seconds, levels, served.peak_rss_mb)


async def _resolve_step(
    client: httpx.AsyncClient,
    url: str,
    driver: neo4j.AsyncDriver,
    database: str,
    requests: int,
    log: Log,
) -> list[ResolveLevel]:
    """``resolve`` over the API beside the bare Bolt lookup, at each level of CONCURRENCY."""
    records, _, _ = await driver.execute_query(
        query("bench/sample_identifiers"), {"limit": 5000}, database_=database
    )
    sample = [dict(r) for r in records]
    if not sample:
        raise BenchError("no resolved identifiers to look up")
    # a warm-up round so that neither side pays for cold caches or connections
    await api_resolve(client, url, sample, 8, min(200, requests))
    await bolt_resolve(driver, database, sample, 8, min(200, requests))
    levels: list[ResolveLevel] = []
    for clients in CONCURRENCY:
        api = await api_resolve(client, url, sample, clients, requests)
        bolt = await bolt_resolve(driver, database, sample, clients, requests)
        levels.append(
            ResolveLevel(
                clients,
                api,
                bolt,
                _ratio(api.p99_ms, bolt.p99_ms),
                _ratio(api.per_second, bolt.per_second),
            )
        )
        log(f"resolve x{clients}: p99 {api.p99_ms}ms (bolt {bolt.p99_ms}ms)")
    return levels


async def _rebuild_step(settings: Settings, log: Log) -> _RebuildFigures:
    """Rebuild against union-find over the exported co-observations."""
    async with open_store(settings) as store:
        began = time.perf_counter()
        rebuild_persons = await maintenance.rebuild(store)
        rebuild_seconds = time.perf_counter() - began
        log(f"rebuild: {rebuild_seconds:.2f}s")
        began = time.perf_counter()
        records, _, _ = await store.driver.execute_query(
            query("bench/co_observations"), database_=store.database, routing_="r"
        )
        edges = [list(r["keys"]) for r in records]
        export_seconds = time.perf_counter() - began
        began = time.perf_counter()
        components = union_find_components(edges)
        unionfind_seconds = time.perf_counter() - began
        records, _, _ = await store.driver.execute_query(
            query("bench/counts"), database_=store.database
        )
        persons = records[0]["persons"]
    return _RebuildFigures(
        rebuild_seconds, rebuild_persons, export_seconds, unionfind_seconds, components, persons
    )


def _machine(neo4j_version: str) -> dict[str, Any]:
    return {
        "nproc": os.cpu_count() or 0,
        "ram_gib": _ram_gib(),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "neo4j": neo4j_version,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }


def _api_fields(api: _ApiFigures, stored_events: int, raw_eps: float) -> dict[str, Any]:
    ingest_eps = stored_events / api.ingest_seconds
    return {
        "ingest_seconds": round(api.ingest_seconds, 3),
        "ingest_events_per_second": round(ingest_eps, 1),
        "ingest_ratio": _ratio(raw_eps, ingest_eps),
        "resolve": api.levels,
        "peak_rss_mb": round(api.peak_rss_mb, 1),
    }


def _rebuild_fields(rebuild: _RebuildFigures, identifiers: int) -> dict[str, Any]:
    per_identifier = rebuild.rebuild_seconds / identifiers if identifiers else 0.0
    return {
        "rebuild_seconds": round(rebuild.rebuild_seconds, 3),
        "rebuild_persons": rebuild.rebuild_persons,
        "export_seconds": round(rebuild.export_seconds, 3),
        "unionfind_seconds": round(rebuild.unionfind_seconds, 4),
        "unionfind_components": rebuild.components,
        "rebuild_ratio": _ratio(rebuild.rebuild_seconds, rebuild.unionfind_seconds),
        "rebuild_extrapolated_1m_seconds": round(per_identifier * TARGET_REBUILD_IDENTIFIERS, 1),
    }


def _async_fields(
    in_server: AsyncIngest, separate: AsyncIngest, stored_events: int, raw_eps: float
) -> dict[str, Any]:
    return {
        "async_acknowledged_seconds": in_server.acknowledged_seconds,
        "async_acknowledged_events_per_second": _rate(
            stored_events, in_server.acknowledged_seconds
        ),
        "async_resolved_seconds": in_server.resolved_seconds,
        "async_resolved_events_per_second": _rate(stored_events, in_server.resolved_seconds),
        "async_ratio": _ratio(raw_eps, stored_events / in_server.resolved_seconds),
        "separate_acknowledged_events_per_second": _rate(
            stored_events, separate.acknowledged_seconds
        ),
        "separate_resolved_seconds": separate.resolved_seconds,
        "separate_resolved_events_per_second": _rate(stored_events, separate.resolved_seconds),
        "separate_ratio": _ratio(raw_eps, stored_events / separate.resolved_seconds),
    }


def _targets(result: Result, identifiers: int) -> dict[str, dict[str, Any]]:
    """Each target with its measured figure and whether it holds."""
    best_async = max(
        result.async_resolved_events_per_second, result.separate_resolved_events_per_second
    )
    at8 = next(level for level in result.resolve if level.clients == 8)
    return {
        "ingest_events_per_second>=5000": {
            "target": TARGET_INGEST_EPS,
            "measured": result.ingest_events_per_second,
            "holds": result.ingest_events_per_second >= TARGET_INGEST_EPS,
            "note": "synchronous mode (the default): acknowledged = resolved",
        },
        "async_resolved_events_per_second>=5000": {
            "target": TARGET_INGEST_EPS,
            "measured": best_async,
            "holds": best_async >= TARGET_INGEST_EPS,
            "note": "asynchronous mode (opt-in), until every event is resolved; the better of"
            " the resolver in the server and a separate resolver process",
        },
        "resolve_p99_ms_at_8_clients<20": {
            "target": TARGET_RESOLVE_P99_MS_AT_8,
            "measured": at8.api.p99_ms,
            "holds": at8.api.p99_ms < TARGET_RESOLVE_P99_MS_AT_8,
        },
        "rebuild_1m_identifiers_seconds<120": {
            "target": TARGET_REBUILD_SECONDS,
            "measured": result.rebuild_extrapolated_1m_seconds,
            "holds": result.rebuild_extrapolated_1m_seconds < TARGET_REBUILD_SECONDS,
            "note": f"linear extrapolation from {identifiers} identifiers",
        },
    }
