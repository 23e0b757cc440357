"""``graph-identity bench --collect``: events/s through the Segment source's ``/v1/batch``
(100-message batches, as the SDKs send them) beside the GraphQL ``ingest`` and the raw write of
the same events, in the same run, each on a clean database (docs/collect.md "Throughput").

The simulator's world is turned into Segment messages (:func:`to_messages`); what the source
maps them to is what all three phases write, so they store the same events. Each served phase
runs ``graph-identity serve`` in its own process; its CPU seconds and Neo4j's are read from
/proc around the phase, and the load average is taken after each phase.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from graph_identity.bench.machine import load_average, neo4j_pid, process_cpu_seconds
from graph_identity.bench.runner import (
    BenchError,
    _batches,
    api_ingest,
    raw_ingest,
    raw_rows,
    serve_in_subprocess,
    wipe,
)
from graph_identity.collect import SpecMapping, map_message
from graph_identity.connect import open_driver
from graph_identity.settings import Settings
from graph_identity.simulator.world import WorldConfig, generate_world

BATCH = 100
#: the three ways in, each run twice in turn (the better run counts: a shared machine's noise)
WAYS = ("raw write (UNWIND, no resolution)", "GraphQL ingest", "/v1/batch")
_TRACKED = {"LOGIN": "Signed In", "LOGOUT": "Signed Out"}


def to_messages(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each world event as the Segment message a site would send for it: its first COOKIE is
    ``anonymousId``, its first DEVICE ``context.device.id``, its ACCOUNT ``userId``, its email
    and phone ``context.traits``; events with neither a user nor an anonymous id are left out."""
    messages = []
    for event in events:
        first: dict[str, str] = {}
        for item in event["identifiers"]:
            first.setdefault(item["type"], item["value"])
        if "COOKIE" not in first and "ACCOUNT" not in first:
            continue
        kind = event["type"]
        message: dict[str, Any] = {"messageId": event["id"], "timestamp": event["at"]}
        message["context"] = {
            "traits": {k.lower(): first[k] for k in ("EMAIL", "PHONE") if k in first}
        }
        if "DEVICE" in first:
            message["context"]["device"] = {"id": first["DEVICE"]}
        if "COOKIE" in first:
            message["anonymousId"] = first["COOKIE"]
        if "ACCOUNT" in first:
            message["userId"] = first["ACCOUNT"]
        if kind == "IDENTIFY":
            message["type"] = "identify"
        elif kind == "PAGE_VIEW":
            message["type"] = "page"
        else:
            message |= {"type": "track", "event": _TRACKED.get(kind, kind.title())}
        messages.append(message)
    return messages


def as_inputs(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the source maps the messages to, as GraphQL ``EventInput`` objects."""
    now = datetime.now(UTC)
    inputs = []
    for message in messages:
        event = map_message(
            message, now, source="bench", mapping=SpecMapping(anonymous_id="cookie")
        ).event
        if event is None:
            continue
        inputs.append(
            {
                "id": event.id,
                "at": event.at.isoformat(),
                "type": event.type.value,
                "identifiers": [
                    {"type": i.type.value, "value": i.value} for i in event.identifiers
                ],
                "channel": event.channel,
                "attributes": event.attributes,
            }
        )
    return inputs


@dataclass
class Phase:
    """One way in: its events/s, and the CPU it took."""

    name: str
    seconds: float
    events_per_second: float
    service_cpu_seconds: float | None
    neo4j_cpu_seconds: float | None
    load_average: list[float]


@dataclass
class CollectResult:
    started: str
    households: int
    seed: int
    events: int
    ingest_mode: str
    batch: int
    phases: list[Phase] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def cpu_seconds(pid: int | None) -> float | None:
    """CPU seconds of a live process and its children (None when the process is unknown)."""
    return None if pid is None else process_cpu_seconds(pid)


def _delta(before: float | None, after: float | None) -> float | None:
    return round(after - before, 2) if before is not None and after is not None else None


async def _post_batches(base: str, write_key: str, messages: list[dict[str, Any]]) -> float:
    async with httpx.AsyncClient(auth=(write_key, ""), timeout=300) as client:
        began = time.perf_counter()
        for batch in _batches(messages, BATCH):
            response = await client.post(f"{base}/v1/batch", json={"batch": list(batch)})
            if response.status_code != 200:  # refused identifiers are the world's typos
                raise BenchError(
                    f"/v1/batch answered {response.status_code}: {response.text[:500]}"
                )
        return time.perf_counter() - began


async def run_collect(
    settings: Settings, *, households: int, seed: int, log: Callable[[str], None] = print
) -> CollectResult:
    """An untimed warm-up (Neo4j's plan cache and JIT), then the raw write, the GraphQL ingest
    and ``/v1/batch`` twice in turn, each on a clean database of ``settings``' Neo4j; the
    better of each way's two runs is reported."""
    world = generate_world(WorldConfig(households=households, seed=seed))
    messages = to_messages(world.events)
    inputs = as_inputs(messages)
    log(f"world: {len(world.events)} events, {len(messages)} as Segment messages")
    admin, source = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    served = settings.model_copy(update={"api_keys": f"admin:{admin},source:{source}"})
    db_pid = neo4j_pid(settings)  # a local server's JVM: its CPU is measured too
    result = CollectResult(
        datetime.now(UTC).isoformat(timespec="seconds"),
        households,
        seed,
        len(inputs),
        settings.ingest_mode,
        BATCH,
    )
    best: dict[str, Phase] = {}
    async with open_driver(settings) as driver:
        for name in ("warm-up", *WAYS, *WAYS):
            await wipe(driver, settings.neo4j_database)
            neo4j_before = cpu_seconds(db_pid)
            if name.startswith("raw"):
                rows = raw_rows(inputs, settings)
                seconds = await raw_ingest(driver, settings.neo4j_database, rows, BATCH)
                service = None
            else:
                seconds, service = await _served_phase(
                    name, served, admin, source, messages, inputs
                )
            log(f"{name}: {seconds:.2f}s")
            neo4j = _delta(neo4j_before, cpu_seconds(db_pid))
            phase = _phase(name, len(inputs), seconds, service, neo4j)
            if name != "warm-up" and (name not in best or phase.seconds < best[name].seconds):
                best[name] = phase
    result.phases = [best[name] for name in WAYS]
    return result


async def _served_phase(
    name: str,
    settings: Settings,
    admin: str,
    source: str,
    messages: list[dict[str, Any]],
    inputs: list[dict[str, Any]],
) -> tuple[float, float | None]:
    """Seconds to send everything through ``/v1/batch`` or GraphQL to a fresh server, and the
    server's CPU seconds meanwhile."""
    extra = {"GRAPH_IDENTITY_COLLECT_ADDRESS_LIMIT": "0"}
    with serve_in_subprocess(settings, extra_env=extra) as server:
        before = cpu_seconds(server.pid)
        if name == "/v1/batch":
            seconds = await _post_batches(server.base, source, messages)
        else:
            headers = {"Authorization": f"Bearer {admin}"}
            async with httpx.AsyncClient(headers=headers, timeout=300) as client:
                seconds = await api_ingest(client, f"{server.base}/graphql", inputs, BATCH)
        return seconds, _delta(before, cpu_seconds(server.pid))


def _phase(
    name: str, events: int, seconds: float, service: float | None, neo4j: float | None
) -> Phase:
    return Phase(
        name,
        round(seconds, 3),
        round(events / seconds, 1) if seconds else 0.0,
        service,
        neo4j,
        load_average(),
    )


def markdown(result: CollectResult) -> str:
    """The BENCHMARKS.md section, between markers so a rerun replaces it."""
    marker = f"bench collect households={result.households} seed={result.seed}"
    raw = result.phases[0].events_per_second
    lines = [
        f"<!-- {marker} begin -->",
        f"### Collection: {result.events:,} events, batches of {result.batch} "
        f"({result.households} households, seed {result.seed})",
        "",
        f"Run {result.started}, ingest mode {result.ingest_mode} (acknowledged = resolved "
        "when sync). Each way twice in turn, each run on a clean database, the better run "
        "shown; CPU seconds read from /proc; load average after the run shown.",
        "",
        "| way in | events/s | ratio to raw | service CPU s | Neo4j CPU s | load average |",
        "|---|---|---|---|---|---|",
    ]
    for p in result.phases:
        ratio = f"{raw / p.events_per_second:.2f}x slower" if p.events_per_second else ""
        lines.append(
            f"| {p.name} | {p.events_per_second:,.0f} | {ratio} | "
            f"{p.service_cpu_seconds} | {p.neo4j_cpu_seconds} | {p.load_average} |"
        )
    lines.append(f"<!-- {marker} end -->")
    return "\n".join(lines) + "\n"
