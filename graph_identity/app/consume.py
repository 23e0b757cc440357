"""``graph-identity consume``: events in from a Kafka topic, in batches, by a consumer group.

The guarantee is at-least-once delivery with exactly-once effect: a batch's offsets are
committed only after its events are stored (and resolved, in the synchronous ingest mode), so
a crash replays the batch, and event ids make the replay change nothing. A message that can
never be stored (not JSON, not an event, an event refused whole, or one whose resolution fails
on its own) goes to the dead-letter topic ``<topic>.dlq`` with its reason, and the messages
behind it go on. While Neo4j is away the batch in hand is retried, uncommitted, until it comes
back. SIGTERM (or SIGINT) finishes the batch in hand, commits it and exits. See docs/kafka.md.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypeAlias

import neo4j.exceptions
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, ConsumerRecord
from aiokafka.errors import CommitFailedError, KafkaError

from graph_identity.api.auth import Authenticator
from graph_identity.api.id_tokens import verified_logins
from graph_identity.app.consume_metrics import ConsumerMetrics
from graph_identity.app.server import open_runtime
from graph_identity.collect.spec import MESSAGE_TYPES, SpecMapping, map_message
from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.event_json import BadLine, raw_event
from graph_identity.domain.events import RawEvent, prepare
from graph_identity.settings import Settings
from graph_identity.store.service import IdentityService

log = logging.getLogger(__name__)

DEFAULT_TOPIC = "graph-identity.events"
DEFAULT_GROUP = "graph-identity"
#: Neo4j being away, or a transaction that lost a race: retry the batch, never dead-letter it
TRANSIENT = (
    neo4j.exceptions.ServiceUnavailable,
    neo4j.exceptions.SessionExpired,
    neo4j.exceptions.TransientError,
    ConnectionError,
)
RETRY_SECONDS = (0.5, 1, 2, 5)

Record: TypeAlias = "ConsumerRecord[bytes, bytes]"


@dataclass
class Totals:
    """What one consumer process did."""

    messages: int = 0
    accepted: int = 0
    duplicates: int = 0
    dead_letters: int = 0
    batches: int = 0


@dataclass
class Letter:
    """A message that can never be stored, and why."""

    record: Record
    reason: str


@dataclass
class Sorted:
    """A batch's messages split into events to store and letters to send."""

    events: list[tuple[Record, RawEvent]] = field(default_factory=list)
    letters: list[Letter] = field(default_factory=list)


@dataclass(frozen=True)
class Formats:
    """How to read a message: the ``ingest`` event shape, or a Segment Spec message (its
    ``type`` is ``identify``, ``track``, ...), mapped exactly as the ``/v1`` endpoints map it."""

    mapping: SpecMapping
    source: str  # the source name Segment messages are stored with ("kafka:<topic>")


def decode(record: Record, formats: Formats) -> RawEvent | None:
    """The event a message holds (None: a Segment message with nothing to store, a ``group``);
    BadLine says what is wrong."""
    if record.value is None:
        raise BadLine("empty message")
    try:
        obj = json.loads(record.value)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadLine(f"not JSON: {exc}") from exc
    if isinstance(obj, dict) and obj.get("type") in MESSAGE_TYPES:
        # the broker's timestamp is when the message was received (Segment's receivedAt)
        received = datetime.fromtimestamp(record.timestamp / 1000, UTC)
        mapped = map_message(obj, received, source=formats.source, mapping=formats.mapping)
        if mapped.reason is not None:
            raise BadLine(mapped.reason)
        return mapped.event
    return raw_event(obj)


def sort_batch(records: Sequence[Record], config: ResolutionConfig, formats: Formats) -> Sorted:
    """Decode every message; an unreadable one, or an event that would be refused whole, is a
    letter (events whose single identifiers are refused are still stored, as ``ingest`` does)."""
    out = Sorted()
    for record in records:
        try:
            event = decode(record, formats)
        except BadLine as exc:
            out.letters.append(Letter(record, str(exc)))
            continue
        if event is None:
            continue  # accepted, nothing to store (a Segment ``group``)
        checked = prepare(event, config)
        if checked.event is None:
            out.letters.append(Letter(record, "; ".join(checked.rejections) or "refused"))
        else:
            out.events.append((record, event))
    return out


async def _send(producer: AIOKafkaProducer, letter: Letter) -> None:
    """One letter to ``<topic>.dlq``: the message as it came, and where it came from."""
    record = letter.record
    headers = [
        ("reason", letter.reason.encode()),
        ("topic", record.topic.encode()),
        ("partition", str(record.partition).encode()),
        ("offset", str(record.offset).encode()),
    ]
    dlq = f"{record.topic}.dlq"
    await producer.send_and_wait(dlq, record.value, key=record.key, headers=headers)


class Consumer:
    """One consumer-group member: poll a batch, store it, dead-letter what cannot be, commit."""

    def __init__(
        self,
        settings: Settings,
        topic: str = DEFAULT_TOPIC,
        group: str = DEFAULT_GROUP,
        *,
        metrics: ConsumerMetrics | None = None,
    ) -> None:
        self.settings = settings
        self.topic = topic
        self.group = group
        self.config = settings.resolution()
        self.formats = Formats(settings.collect_mapping(), f"kafka:{topic}")
        self.auth = Authenticator(settings)
        self.metrics = metrics or ConsumerMetrics()
        self.totals = Totals()
        self.stopping = asyncio.Event()

    async def run(self) -> Totals:
        """Consume until :attr:`stopping` is set; returns what was done."""
        bootstrap = self.settings.kafka_bootstrap
        consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap,
            group_id=self.group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=self.settings.consume_batch,
        )
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
        async with open_runtime(self.settings) as runtime:
            await consumer.start()
            consumer.subscribe([self.topic], listener=_Announce())
            await producer.start()
            try:
                while not self.stopping.is_set():
                    await self._one_batch(consumer, producer, runtime.service)
            finally:
                await consumer.stop()
                await producer.stop()
        return self.totals

    async def _one_batch(
        self, consumer: AIOKafkaConsumer, producer: AIOKafkaProducer, service: IdentityService
    ) -> None:
        fetched = await consumer.getmany(timeout_ms=500, max_records=self.settings.consume_batch)
        records = sorted(
            (r for batch in fetched.values() for r in batch), key=lambda r: (r.partition, r.offset)
        )
        if records:
            batch = sort_batch(records, self.config, self.formats)
            if not await self._store(service, batch):
                return  # stopping while Neo4j is away: uncommitted, replayed later
            await self._send_letters(producer, batch.letters)
            await self._commit(consumer)
            self.totals.messages += len(records)
            self.totals.batches += 1
        await self.metrics.observe_lag(consumer)

    async def _store(self, service: IdentityService, batch: Sorted) -> bool:
        """Store the batch's events, retrying while Neo4j is away; False when told to stop
        before it could. An event whose storing fails on its own becomes a letter."""
        attempt = 0
        while True:
            try:
                await self._ingest(service, batch.events, batch.letters)
                return True
            except TRANSIENT as exc:
                if self.stopping.is_set():
                    return False
                wait = RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)]
                log.warning(
                    "Neo4j unavailable (%s); retrying the batch in %.1fs", type(exc).__name__, wait
                )
                attempt += 1
                await asyncio.sleep(wait)

    async def _ingest(
        self, service: IdentityService, events: list[tuple[Record, RawEvent]], letters: list[Letter]
    ) -> None:
        """Ingest ``events``; when that fails for a reason other than Neo4j being away, halve
        the batch until each event that fails on its own is found, and dead-letter those."""
        if not events:
            return
        raws = [event for _, event in events]
        try:
            outcome = await service.ingest(
                raws, verified_ids=await verified_logins(self.auth, raws)
            )
        except TRANSIENT:
            raise
        except Exception as exc:  # a failure of this batch's own making: find the culprit
            if len(events) == 1:
                log.error("event %s cannot be stored: %s", raws[0].id, exc)
                letters.append(
                    Letter(events[0][0], f"cannot be stored: {type(exc).__name__}: {exc}")
                )
                return
            middle = len(events) // 2
            await self._ingest(service, events[:middle], letters)
            await self._ingest(service, events[middle:], letters)
            return
        self.totals.accepted += outcome.accepted
        self.totals.duplicates += outcome.duplicates
        self.metrics.events.inc(outcome.accepted)

    async def _send_letters(self, producer: AIOKafkaProducer, letters: list[Letter]) -> None:
        """Send every letter to ``<topic>.dlq`` (retrying while the broker is away) before the
        batch is committed, so a crash cannot lose one."""
        for letter in letters:
            await _with_retries(partial(_send, producer, letter), "dead-letter send")
            self.totals.dead_letters += 1
            self.metrics.dead_letters.labels(topic=letter.record.topic).inc()

    async def _commit(self, consumer: AIOKafkaConsumer) -> None:
        try:
            await _with_retries(consumer.commit, "offset commit")
        except CommitFailedError as exc:
            # the group rebalanced under us: the new owner replays the batch, which is harmless
            log.warning("offsets not committed (%s); the batch will be replayed", exc)


class _Announce(ConsumerRebalanceListener):  # type: ignore[misc]
    """Logs each assignment ("assigned partitions: topic[0, 1]"), so an operator (and the
    tests) can see how the group shared the partitions."""

    async def on_partitions_revoked(self, revoked: Any) -> None:
        return None

    async def on_partitions_assigned(self, assigned: Any) -> None:
        parts = sorted(tp.partition for tp in assigned)
        log.info("assigned partitions: %s", parts)


async def _with_retries(call: Any, what: str) -> Any:
    attempt = 0
    while True:
        try:
            return await call()
        except CommitFailedError:
            raise
        except KafkaError as exc:
            wait = RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)]
            log.warning("%s failed (%s); retrying in %.1fs", what, exc, wait)
            attempt += 1
            await asyncio.sleep(wait)


async def consume(
    settings: Settings, topic: str, group: str, *, metrics_port: int | None = None
) -> Totals:
    """Run one consumer until SIGTERM or SIGINT; ``metrics_port`` serves /metrics (lag per
    partition, dead letters) on 127.0.0.1."""
    metrics = ConsumerMetrics()
    if metrics_port:
        metrics.serve(metrics_port)
    consumer = Consumer(settings, topic, group, metrics=metrics)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, consumer.stopping.set)
    log.info("consuming %s as group %s from %s", topic, group, settings.kafka_bootstrap)
    return await consumer.run()


__all__ = ["DEFAULT_GROUP", "DEFAULT_TOPIC", "Consumer", "Totals", "consume"]
