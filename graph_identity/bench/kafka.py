"""Ingest through Kafka: ``graph-identity bench --kafka``.

Figures, each beside the raw write of the same world into the same Neo4j in the same run (one
``UNWIND`` per 500 events, nothing resolved), in the synchronous ingest mode (a committed offset
means resolved events). Wipes the database of ``NEO4J_URI``; needs the broker of
``GRAPH_IDENTITY_KAFKA_BOOTSTRAP`` (``graph-identity kafka start``).

The world is delivered as a user's stream arrives, like the realistic stream bench's: in time
order, 10% of the events hours to days late, 5% re-sent.

1. **Sustained rate** with 1 and 2 ``graph-identity consume`` processes in one group on a
   4-partition topic: the consumers are started and have shared the partitions, then the whole
   stream is produced (keyed by browser or device) and the clock runs until every storable event
   is stored.
2. **Resolution lag** at half the one-consumer rate: events produced at that pace for
   ``--lag-seconds``; each message's lag is from its produce acknowledgement to the moment the
   group's committed offset passes it (polled every 50 ms), p50 and p99.

CPU seconds of the consumers and of Neo4j are read from /proc over each phase; the load average
is printed with every figure (the machine is shared).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import neo4j
import typer
from aiokafka import AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from graph_identity.bench.machine import load_average, neo4j_pid, process_cpu_seconds
from graph_identity.bench.runner import (
    BenchError,
    _child_env,
    percentile,
    raw_ingest,
    raw_rows,
    wipe,
)
from graph_identity.connect import open_driver
from graph_identity.settings import Settings
from graph_identity.simulator import deliver
from graph_identity.simulator.world import WorldConfig, generate_world
from graph_identity.store.cypher import query

PARTITIONS = 4
SEED = 7


def key_of(event: dict[str, Any]) -> bytes:
    """The browser or device of the event (docs/kafka.md's advice), else its first identifier."""
    identifiers = event["identifiers"]
    carriers = [i for i in identifiers if i["type"] in ("COOKIE", "DEVICE")] or identifiers
    return f"{carriers[0]['type']}:{carriers[0]['value']}".encode()


async def new_topic(bootstrap: str) -> str:
    name = f"bench-{uuid.uuid4().hex[:8]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, PARTITIONS, 1)])
    finally:
        await admin.close()
    return name


@contextmanager
def consumers(
    settings: Settings, topic: str, count: int
) -> Iterator[list[subprocess.Popen[bytes]]]:
    """``count`` consume processes in one group, once they have shared the partitions."""
    env = _child_env(settings, {"GRAPH_IDENTITY_KAFKA_BOOTSTRAP": settings.kafka_bootstrap})
    cmd = [sys.executable, "-m", "graph_identity.app.cli", "consume", "--topic", topic]
    with ExitStack() as stack:
        logs = [stack.enter_context(tempfile.NamedTemporaryFile()) for _ in range(count)]
        procs = [
            subprocess.Popen([*cmd, "--group", f"g-{topic}"], env=env, stdout=log, stderr=log)
            for log in logs
        ]
        try:
            _await_assignment(procs, [Path(log.name) for log in logs])
            yield procs
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                proc.wait(timeout=60)


def _await_assignment(procs: list[subprocess.Popen[bytes]], logs: list[Path]) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        latest = []
        for proc, log in zip(procs, logs, strict=True):
            if proc.poll() is not None:
                raise BenchError(f"a consumer exited: {log.read_text()[-2000:]}")
            found = re.findall(r"assigned partitions: \[([0-9, ]*)\]", log.read_text())
            latest.append({int(p) for p in found[-1].split(",") if p.strip()} if found else set())
        whole = all(latest) and set().union(*latest) == set(range(PARTITIONS))
        if whole and sum(len(parts) for parts in latest) == PARTITIONS:  # and disjoint
            return
        time.sleep(0.2)
    raise BenchError("the consumers did not share the partitions within 180 s")


async def _until_stored(
    driver: neo4j.AsyncDriver, database: str, want: int, limit: float = 3600
) -> None:
    deadline = time.monotonic() + limit
    while True:
        records, _, _ = await driver.execute_query(query("bench/counts"), database_=database)
        if int(records[0]["events"]) >= want:
            return
        if time.monotonic() > deadline:
            raise BenchError(f"fewer than {want} events stored after {limit:.0f} s")
        await asyncio.sleep(0.25)


async def produce(
    bootstrap: str, topic: str, events: list[dict[str, Any]], pace: float | None = None
) -> dict[tuple[int, int], float]:
    """Send ``events`` (at ``pace`` per second, else as fast as acknowledged); returns when
    each (partition, offset) was acknowledged."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    await producer.start()
    acked: dict[tuple[int, int], float] = {}
    began = time.monotonic()
    try:
        futures = []
        for n, event in enumerate(events):
            if pace:
                await asyncio.sleep(max(0.0, began + n / pace - time.monotonic()))
            future = await producer.send(topic, json.dumps(event).encode(), key=key_of(event))
            future.add_done_callback(
                lambda f: acked.__setitem__(
                    (f.result().partition, f.result().offset), time.monotonic()
                )
            )
            futures.append(future)
        await asyncio.gather(*futures)
    finally:
        await producer.stop()
    return acked


def _acknowledged(acked: dict[tuple[int, int], float], future: Any) -> None:
    meta = future.result()
    acked[(meta.partition, meta.offset)] = time.monotonic()


async def committed_lags(
    bootstrap: str, topic: str, group: str, acked: dict[tuple[int, int], float], limit: float = 1800
) -> list[float]:
    """Seconds from each message's acknowledgement to the group committing past it."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    lags: dict[tuple[int, int], float] = {}
    deadline = time.monotonic() + limit
    try:
        while len(lags) < len(acked) and time.monotonic() < deadline:
            offsets = await admin.list_consumer_group_offsets(group)
            now = time.monotonic()
            for (partition, offset), at in acked.items():
                meta = offsets.get(TopicPartition(topic, partition))
                if (partition, offset) not in lags and meta is not None and meta.offset > offset:
                    lags[(partition, offset)] = now - at
            await asyncio.sleep(0.05)
    finally:
        await admin.close()
    if len(lags) < len(acked):
        raise BenchError(f"{len(acked) - len(lags)} messages not committed within {limit:.0f} s")
    return list(lags.values())


def _cpu(pids: list[int]) -> float:
    return sum(process_cpu_seconds(pid) for pid in pids)


async def sustained(
    settings: Settings, events: list[dict[str, Any]], storable: int, count: int
) -> dict[str, Any]:
    """Events/s with ``count`` consumers, from the first message produced to the last stored."""
    database = settings.neo4j_database
    topic = await new_topic(settings.kafka_bootstrap)
    db_pid = neo4j_pid(settings)
    async with open_driver(settings) as driver:
        await wipe(driver, database)
        with consumers(settings, topic, count) as procs:
            pids = [p.pid for p in procs]
            cpu = (_cpu(pids), process_cpu_seconds(db_pid))
            began = time.perf_counter()
            await produce(settings.kafka_bootstrap, topic, events)
            await _until_stored(driver, database, storable)
            seconds = time.perf_counter() - began
            used = (_cpu(pids) - cpu[0], process_cpu_seconds(db_pid) - cpu[1])
    return {
        "consumers": count,
        "events_per_second": round(storable / seconds, 1),
        "seconds": round(seconds, 2),
        "cpu_consumers_percent_of_one_core": round(100 * used[0] / seconds, 1),
        "cpu_neo4j_percent_of_one_core": round(100 * used[1] / seconds, 1) if db_pid else None,
        "load": load_average(),
    }


async def lag_at(
    settings: Settings, events: list[dict[str, Any]], pace: float, seconds: float
) -> dict[str, Any]:
    """Produce-to-resolved lag of one consumer fed at ``pace`` events/s for ``seconds``."""
    async with open_driver(settings) as driver:
        await wipe(driver, settings.neo4j_database)
    topic = await new_topic(settings.kafka_bootstrap)
    sample = events[: max(1, int(pace * seconds))]
    with consumers(settings, topic, 1):
        acked = await produce(settings.kafka_bootstrap, topic, sample, pace=pace)
        lags = await committed_lags(settings.kafka_bootstrap, topic, f"g-{topic}", acked)
    return {
        "pace_events_per_second": round(pace, 1),
        "messages": len(sample),
        "lag_p50_ms": round(1000 * percentile(lags, 50), 1),
        "lag_p99_ms": round(1000 * percentile(lags, 99), 1),
        "load": load_average(),
    }


async def run(settings: Settings, households: int, lag_seconds: float) -> dict[str, Any]:
    events = generate_world(WorldConfig(households=households, seed=SEED)).events
    delivered = deliver(events, seed=SEED, order="late", duplicate_fraction=0.05)
    stream = [event for batch in delivered for event in batch]
    rows = raw_rows(events, settings)
    async with open_driver(settings) as driver:
        await wipe(driver, settings.neo4j_database)
        raw_seconds = await raw_ingest(driver, settings.neo4j_database, rows)
    raw = len(rows) / raw_seconds
    figures: dict[str, Any] = {
        "households": households,
        "events": len(events),
        "messages": len(stream),
        "storable": len(rows),
        "raw": {"events_per_second": round(raw, 1), "load": load_average()},
    }
    for count in (1, 2):
        level = await sustained(settings, stream, len(rows), count)
        level["ratio_to_raw"] = round(level["events_per_second"] / raw, 3)
        figures[f"consumers_{count}"] = level
        typer.echo(json.dumps(level))
    pace = figures["consumers_1"]["events_per_second"] / 2
    figures["lag_at_half_rate"] = await lag_at(settings, stream, pace, lag_seconds)
    return figures


def report(
    settings: Settings, *, households: int = 50, lag_seconds: float = 20, out: Path | None = None
) -> dict[str, Any]:
    """Run the Kafka bench on ``settings``' Neo4j (which it wipes) and broker; print its JSON."""
    results: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "mode": settings.ingest_mode,
        "partitions": PARTITIONS,
        "batch": settings.consume_batch,
        "delivery": "time order, 10% late, 5% re-sent",
    }
    results |= asyncio.run(run(settings, households, lag_seconds))
    typer.echo(json.dumps(results, indent=2))
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return results


def main(
    households: Annotated[int, typer.Option(min=1, help="world size")] = 50,
    lag_seconds: Annotated[float, typer.Option(min=1, help="how long the lag phase feeds")] = 20,
    out: Annotated[Path | None, typer.Option(help="JSON file")] = None,
) -> None:
    """Measure ingest through Kafka beside the raw write (wipes the configured Neo4j)."""
    report(Settings(), households=households, lag_seconds=lag_seconds, out=out)


if __name__ == "__main__":
    typer.run(main)
