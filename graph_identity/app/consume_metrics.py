"""What a ``graph-identity consume`` process shows on its own /metrics: lag per partition,
events stored and messages dead-lettered (docs/kafka.md)."""

from __future__ import annotations

from aiokafka import AIOKafkaConsumer
from prometheus_client import CollectorRegistry, Counter, Gauge, start_http_server


class ConsumerMetrics:
    """One registry per consumer, so several consumers in one process (tests) keep apart."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.lag = Gauge(
            "graph_identity_consumer_lag",
            "Messages behind the partition's end (high watermark minus position)",
            ["topic", "partition"],
            registry=self.registry,
        )
        self.events = Counter(
            "graph_identity_consumer_events",
            "Events the consumer stored (duplicates not counted)",
            registry=self.registry,
        )
        self.dead_letters = Counter(
            "graph_identity_consumer_dead_letters",
            "Messages sent to the dead-letter topic",
            ["topic"],
            registry=self.registry,
        )

    def serve(self, port: int) -> None:
        """Serve /metrics on 127.0.0.1:``port`` from a daemon thread."""
        start_http_server(port, addr="127.0.0.1", registry=self.registry)

    async def observe_lag(self, consumer: AIOKafkaConsumer) -> None:
        """Set each assigned partition's lag (unknown until the first fetch answers)."""
        for tp in consumer.assignment():
            end = consumer.highwater(tp)
            if end is None:
                continue
            position = await consumer.position(tp)
            self.lag.labels(topic=tp.topic, partition=str(tp.partition)).set(max(end - position, 0))
