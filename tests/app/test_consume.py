"""Guards ``graph-identity consume`` on a real broker and a real Neo4j: every produced event is
stored exactly once and the persons equal a rebuild (through kill -9, a broker outage and two
consumers sharing partitions); what can never be stored reaches ``<topic>.dlq`` with its reason
while the messages behind it are stored; SIGTERM commits and exits cleanly."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import neo4j
import pytest

from graph_identity import kafka_local
from graph_identity.app.consume import Consumer
from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.event_json import raw_event
from graph_identity.domain.events import prepare
from graph_identity.settings import Settings
from graph_identity.simulator.delivery import with_duplicates
from graph_identity.simulator.world import WorldConfig, iter_events
from graph_identity.store.exactness import differences
from graph_identity.store.maintenance import check
from graph_identity.store.neo4j_store import Neo4jIdentityStore
from graph_identity.store.reconcile import reconcile
from tests.app.conftest import Broker, fresh_topic, produce, read_all
from tests.conftest import free_port, neo4j_settings

if TYPE_CHECKING:  # conftest is pytest's to import; only its type is needed here
    from tests.conftest import Neo4jServer

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.usefixtures("clean_db")


def world(households: int, seed: int) -> list[dict[str, Any]]:
    return [dict(e) for e in iter_events(WorldConfig(seed=seed, households=households))]


def storable(events: list[dict[str, Any]]) -> set[str]:
    """Ids of the events ``ingest`` would store (the rest are refused whole: dead letters)."""
    config = ResolutionConfig()
    return {e["id"] for e in events if prepare(raw_event(e), config).event is not None}


async def stored_ids(driver: neo4j.AsyncDriver, database: str) -> list[str]:
    records, _, _ = await driver.execute_query(
        "MATCH (e:Event) RETURN e.id AS id", database_=database
    )
    return [r["id"] for r in records]


async def wait_for(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not await condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}", pytrace=False)
        await asyncio.sleep(0.2)


async def assert_exact(driver: neo4j.AsyncDriver, database: str, want: set[str]) -> None:
    """Every storable event stored once, nothing else; the graph equals a rebuild."""
    ids = await stored_ids(driver, database)
    assert len(ids) == len(set(ids))
    assert set(ids) == want
    store = Neo4jIdentityStore(driver, database, ResolutionConfig())
    await reconcile(store, limit=1000)  # hubs a region stopped at, as the server's pass would
    assert await check(store) == []
    assert await differences(store) == []


async def consume_all(settings: Settings, topic: str, count: int, timeout: float) -> Consumer:
    """An in-process consumer of ``topic`` run until it has read ``count`` messages."""
    consumer = Consumer(settings, topic, "g-" + topic)
    task = asyncio.create_task(consumer.run())

    async def all_read() -> bool:
        assert not task.done(), task  # it must not stop by itself
        return consumer.totals.messages >= count

    await wait_for(all_read, timeout, "the consumer to read every message")
    consumer.stopping.set()
    await task
    return consumer


def _env(server: Neo4jServer, broker: Broker, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "NEO4J_URI": server.uri,
        "NEO4J_USER": server.user,
        "NEO4J_PASSWORD": server.password,
        "NEO4J_DATABASE": server.database,
        "GRAPH_IDENTITY_KAFKA_BOOTSTRAP": broker.bootstrap,
        "GRAPH_IDENTITY_RECONCILE_INTERVAL": "0",
        **extra,
    }


@contextmanager
def consumer_process(
    tmp_path: Path, name: str, env: dict[str, str], *args: str
) -> Iterator[subprocess.Popen[str]]:
    """`graph-identity consume ARGS` as its own process (stdout and stderr in tmp_path)."""
    out = (tmp_path / f"{name}.out").open("w")
    err = (tmp_path / f"{name}.err").open("w")
    cmd = [sys.executable, "-m", "graph_identity.app.cli", "consume", *args]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=err, text=True)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
        out.close()
        err.close()


def finish(proc: subprocess.Popen[str], tmp_path: Path, name: str) -> int:
    """SIGTERM the consumer; it must exit 0 and report what it consumed (returns the count)."""
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 0, (tmp_path / f"{name}.err").read_text()[-3000:]
    summary = (tmp_path / f"{name}.out").read_text()
    match = re.search(r"consumed (\d+) messages", summary)
    assert match, summary
    return int(match.group(1))


async def test_a_stream_is_stored_once_and_equals_a_rebuild(
    driver: neo4j.AsyncDriver, neo4j_server: Neo4jServer, kafka_broker: Broker
) -> None:
    events = world(households=3, seed=11)
    delivered = with_duplicates(events, 5, fraction=0.1)  # at-least-once producers re-send
    topic = await fresh_topic(kafka_broker, partitions=4)
    sent = await produce(kafka_broker, topic, delivered)
    settings = neo4j_settings(
        neo4j_server,
        GRAPH_IDENTITY_KAFKA_BOOTSTRAP=kafka_broker.bootstrap,
        GRAPH_IDENTITY_CONSUME_BATCH=100,
    )
    totals = (await consume_all(settings, topic, sent, 180)).totals
    want = storable(events)
    assert totals.messages == sent
    assert totals.accepted == len(want)
    assert totals.dead_letters == sum(1 for e in delivered if e["id"] not in want)
    await assert_exact(driver, neo4j_server.database, want)


async def test_poison_messages_are_dead_lettered_and_the_rest_is_stored(
    driver: neo4j.AsyncDriver, neo4j_server: Neo4jServer, kafka_broker: Broker
) -> None:
    def event(event_id: str, value: str, kind: str = "PAGE_VIEW") -> dict[str, Any]:
        return {
            "id": event_id,
            "at": "2026-11-20T10:00:00Z",
            "type": kind,
            "identifiers": [{"type": "COOKIE", "value": value}],
        }

    bad_email = {**event("refused", "x"), "identifiers": [{"type": "EMAIL", "value": "nope"}]}
    messages: list[bytes | dict[str, Any]] = [
        event("good-1", "ck-1"),
        b"{not json",
        event("bad-type", "ck-2", kind="TELEPORT"),
        bad_email,
        event("good-2", "ck-3"),
    ]
    topic = await fresh_topic(kafka_broker, partitions=1)
    await produce(kafka_broker, topic, messages)
    settings = neo4j_settings(neo4j_server, GRAPH_IDENTITY_KAFKA_BOOTSTRAP=kafka_broker.bootstrap)
    consumer = await consume_all(settings, topic, len(messages), 120)
    assert sorted(await stored_ids(driver, neo4j_server.database)) == ["good-1", "good-2"]
    letters = await read_all(kafka_broker, f"{topic}.dlq", 3)
    reasons = {int(dict(r.headers)["offset"]): dict(r.headers)["reason"].decode() for r in letters}
    assert set(reasons) == {1, 2, 3}
    assert reasons[1].startswith("not JSON")
    assert "type: not an event type" in reasons[2]
    assert "EMAIL" in reasons[3] or "identifiers" in reasons[3], reasons[3]
    assert letters[0].value == b"{not json"  # the message as it came
    assert (
        consumer.metrics.registry.get_sample_value(
            "graph_identity_consumer_dead_letters_total", {"topic": topic}
        )
        == 3
    )
    # the offsets were committed: the group's next member finds nothing left to read
    again = Consumer(settings, topic, "g-" + topic)
    rerun = asyncio.create_task(again.run())
    await asyncio.sleep(8)
    again.stopping.set()
    assert (await rerun).messages == 0


async def test_kill_9_mid_batch_then_restart_stores_everything_once(
    driver: neo4j.AsyncDriver, neo4j_server: Neo4jServer, kafka_broker: Broker, tmp_path: Path
) -> None:
    events = world(households=6, seed=21)
    topic = await fresh_topic(kafka_broker, partitions=2)
    await produce(kafka_broker, topic, events)
    want = storable(events)
    env = _env(neo4j_server, kafka_broker, GRAPH_IDENTITY_CONSUME_BATCH="20")
    args = ("--topic", topic, "--group", "g-" + topic)

    async def some_stored() -> bool:
        return len(await stored_ids(driver, neo4j_server.database)) > 0

    async def all_stored() -> bool:
        return set(await stored_ids(driver, neo4j_server.database)) >= want

    with consumer_process(tmp_path, "first", env, *args) as first:
        await wait_for(some_stored, 180, "the first consumer to store a batch")
        first.kill()  # kill -9, mid-stream
        first.wait(timeout=30)
    assert len(await stored_ids(driver, neo4j_server.database)) < len(want), "killed too late"
    with consumer_process(tmp_path, "second", env, *args) as second:
        await wait_for(all_stored, 300, "the restarted consumer to store the rest")
        finish(second, tmp_path, "second")
    await assert_exact(driver, neo4j_server.database, want)


def _assignment(err: Path) -> set[int] | None:
    found = re.findall(r"assigned partitions: \[([0-9, ]*)\]", err.read_text())
    if not found:
        return None
    return {int(p) for p in found[-1].split(",") if p.strip()}


async def test_two_consumers_share_four_partitions_and_equal_a_rebuild(
    driver: neo4j.AsyncDriver, neo4j_server: Neo4jServer, kafka_broker: Broker, tmp_path: Path
) -> None:
    topic = await fresh_topic(kafka_broker, partitions=4)
    env = _env(neo4j_server, kafka_broker, GRAPH_IDENTITY_CONSUME_BATCH="50")
    args = ("--topic", topic, "--group", "g-" + topic)
    metrics_port = free_port()
    with (
        consumer_process(tmp_path, "a", env, *args, "--metrics-port", str(metrics_port)) as a,
        consumer_process(tmp_path, "b", env, *args) as b,
    ):

        async def shared() -> bool:
            assert a.poll() is None and b.poll() is None
            parts = [_assignment(tmp_path / "a.err"), _assignment(tmp_path / "b.err")]
            return all(parts) and parts[0] | parts[1] == {0, 1, 2, 3} and not parts[0] & parts[1]

        await wait_for(shared, 180, "the group to share the partitions")
        events = world(households=6, seed=31)
        sent = await produce(kafka_broker, topic, events)
        want = storable(events)

        async def all_stored() -> bool:
            return set(await stored_ids(driver, neo4j_server.database)) >= want

        await wait_for(all_stored, 300, "both consumers to store the stream")
        metrics = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics").text
        assert "graph_identity_consumer_lag{" in metrics
        assert "graph_identity_consumer_events_total" in metrics
        counts = [finish(a, tmp_path, "a"), finish(b, tmp_path, "b")]
    assert all(n > 0 for n in counts), counts  # both did work
    assert sum(counts) == sent
    await assert_exact(driver, neo4j_server.database, want)


async def test_a_broker_outage_of_30_seconds_loses_nothing(
    driver: neo4j.AsyncDriver, neo4j_server: Neo4jServer, kafka_broker: Broker, tmp_path: Path
) -> None:
    if kafka_broker.home is None:
        pytest.skip("needs the local broker this session started (it is stopped and restarted)")
    events = world(households=4, seed=41)
    half = len(events) // 2
    topic = await fresh_topic(kafka_broker, partitions=2)
    env = _env(neo4j_server, kafka_broker, GRAPH_IDENTITY_CONSUME_BATCH="50")
    want = storable(events)
    first_half = storable(events[:half])

    def stored_at_least(ids: set[str]) -> Any:
        async def check_ids() -> bool:
            return set(await stored_ids(driver, neo4j_server.database)) >= ids

        return check_ids

    with consumer_process(tmp_path, "c", env, "--topic", topic, "--group", "g-" + topic) as proc:
        await produce(kafka_broker, topic, events[:half])
        await wait_for(stored_at_least(first_half), 180, "the first half to be stored")
        await asyncio.to_thread(kafka_local.stop, kafka_broker.home)
        await asyncio.sleep(30)
        assert proc.poll() is None, "the consumer must wait for the broker, not exit"
        await asyncio.to_thread(kafka_local.start, kafka_broker.home, kafka_broker.port)
        await produce(kafka_broker, topic, events[half:])
        await wait_for(stored_at_least(want), 300, "the second half to be stored")
        finish(proc, tmp_path, "c")
    await assert_exact(driver, neo4j_server.database, want)


async def test_segment_spec_messages_are_read_with_the_collection_mapping(
    driver: neo4j.AsyncDriver, neo4j_server: Neo4jServer, kafka_broker: Broker
) -> None:
    """A topic a Segment-compatible pipeline fills: the messages map to events exactly as the
    /v1 endpoints map them (docs/collect.md), a bad one is a dead letter with the mapping's
    reason, and a ``group`` is accepted with nothing stored."""
    at = "2026-11-20T10:00:00Z"
    messages: list[bytes | dict[str, Any]] = [
        {"type": "page", "messageId": "seg-1", "anonymousId": "anon-1", "timestamp": at,
         "name": "Home"},
        {"type": "identify", "messageId": "seg-2", "anonymousId": "anon-1", "userId": "u-1",
         "traits": {"email": "Ana@Example.com"}, "timestamp": at},
        {"type": "track", "messageId": "seg-3", "anonymousId": "anon-1", "timestamp": at},
        {"type": "group", "messageId": "seg-4", "userId": "u-1", "groupId": "g", "timestamp": at},
    ]  # fmt: skip
    topic = await fresh_topic(kafka_broker, partitions=1)
    await produce(kafka_broker, topic, messages)
    settings = neo4j_settings(neo4j_server, GRAPH_IDENTITY_KAFKA_BOOTSTRAP=kafka_broker.bootstrap)
    await consume_all(settings, topic, len(messages), 120)
    assert sorted(await stored_ids(driver, neo4j_server.database)) == ["seg-1", "seg-2"]
    records, _, _ = await driver.execute_query(
        "MATCH (c:Identifier {key: 'COOKIE:anon-1'})<-[:HAS]-(p:Person)-[:HAS]->"
        "(a:Identifier {key: 'ACCOUNT:u-1'}), (p)-[:HAS]->(e:Identifier {key: $email}) "
        "RETURN p.id AS id",
        {"email": "EMAIL:ana@example.com"},
        database_=neo4j_server.database,
    )
    assert len(records) == 1  # the cookie, the account and the email are one person
    (letter,) = await read_all(kafka_broker, f"{topic}.dlq", 1)
    assert dict(letter.headers)["offset"] == b"2"
    assert b"event" in dict(letter.headers)["reason"]
