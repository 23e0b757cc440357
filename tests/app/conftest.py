"""App-tier fixtures: a real Kafka broker for the stream tests, and helpers to feed and read it.

Where the broker comes from, first that works:
1. ``GRAPH_IDENTITY_TEST_KAFKA_BOOTSTRAP``: a broker you run;
2. a local broker (graph_identity.kafka_local) in a home of its own under the cache dir, on
   free loopback ports, stopped and removed when the session ends.
If neither can be had the run fails with the reason: stream tests never silently skip.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from graph_identity import jvm, kafka_local
from graph_identity.settings import Settings
from tests.conftest import free_port


@dataclass(frozen=True)
class Broker:
    bootstrap: str
    #: the broker home when this session started a local broker (tests may stop and restart
    #: it), else None
    home: Path | None = None
    port: int = 0


def _free_pair() -> int:
    """A port whose successor is free too (the local broker's controller takes port + 1)."""
    for _ in range(50):
        port = free_port()
        if port < 65535 and not jvm.answers(port + 1):
            return port
    raise RuntimeError("no two free adjacent loopback ports")


@pytest.fixture(scope="session")
def kafka_broker() -> Iterator[Broker]:
    """The session's Kafka broker (see the module docstring for where it comes from)."""
    bootstrap = os.environ.get("GRAPH_IDENTITY_TEST_KAFKA_BOOTSTRAP")
    if bootstrap:
        yield Broker(bootstrap)
        return
    port = _free_pair()
    home = Settings().kafka_home / "test-homes" / f"{os.getpid()}-{port}"
    try:
        broker = kafka_local.start(home, port, timeout=180)
    except kafka_local.KafkaLocalError as exc:
        shutil.rmtree(home, ignore_errors=True)
        pytest.fail(f"no Kafka broker for the tests: {exc}", pytrace=False)
    try:
        yield Broker(broker.bootstrap, broker.home, port)
    finally:
        kafka_local.stop(home)
        shutil.rmtree(home, ignore_errors=True)


async def fresh_topic(broker: Broker, partitions: int) -> str:
    """A new topic (and its dead-letter topic) with ``partitions`` partitions."""
    name = f"events-{uuid.uuid4().hex[:10]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=broker.bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, partitions, 1), NewTopic(f"{name}.dlq", 1, 1)])
    finally:
        await admin.close()
    return name


def key_of(event: dict[str, Any]) -> bytes:
    """Partition by the first carrier (cookie or device), else the first identifier: one
    browser's events stay in order on one partition, as docs/kafka.md advises producers."""
    identifiers = event.get("identifiers") or [{}]
    carriers = [i for i in identifiers if i.get("type") in ("COOKIE", "DEVICE")]
    first = (carriers or identifiers)[0]
    return f"{first.get('type')}:{first.get('value')}".encode()


async def produce(broker: Broker, topic: str, messages: Iterable[bytes | dict[str, Any]]) -> int:
    """Send messages (dicts as JSON, keyed by :func:`key_of`; bytes as they are); returns
    how many."""
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, acks="all")
    await producer.start()
    count = 0
    try:
        for message in messages:
            if isinstance(message, dict):
                await producer.send(topic, json.dumps(message).encode(), key=key_of(message))
            else:
                await producer.send(topic, message, key=b"raw")
            count += 1
        await producer.flush()
    finally:
        await producer.stop()
    return count


async def read_all(broker: Broker, topic: str, expected: int, timeout: float = 60) -> list[Any]:
    """The first ``expected`` records of ``topic`` (fails the test if they do not come)."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=broker.bootstrap, auto_offset_reset="earliest"
    )
    await consumer.start()
    found: list[Any] = []
    loop = asyncio.get_running_loop()
    try:
        deadline = loop.time() + timeout
        while len(found) < expected and loop.time() < deadline:
            batches = await consumer.getmany(timeout_ms=500)
            for records in batches.values():
                found.extend(records)
    finally:
        await consumer.stop()
    assert len(found) >= expected, f"{topic}: {len(found)} records, wanted {expected}"
    return found
