"""Prometheus metrics of the API: operations by root field and outcome, latency, ingest counts,
and the resolution backlogs (asynchronous ingest, hub reconciliation).

Each app owns its registry (no process-global state, nothing created at import time).
Operations are labelled by their root fields (``person``, ``ingest``, ...), a bounded set,
never by client-chosen operation names.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from graphql import FieldNode, OperationDefinitionNode
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from strawberry.extensions import SchemaExtension

OUTCOME_OK = "ok"
UNKNOWN = "invalid"


class ApiMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.operations = Counter(
            "graph_identity_graphql_operations",
            "GraphQL root fields executed, by field and outcome (ok or the error code).",
            ["operation", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "graph_identity_graphql_operation_seconds",
            "Duration of GraphQL operations, by root field.",
            ["operation"],
            registry=self.registry,
        )
        self.ingest_events = Counter(
            "graph_identity_ingest_events",
            "Events ingested over GraphQL, by outcome (accepted, duplicate, rejected).",
            ["outcome"],
            registry=self.registry,
        )
        self.unauthenticated = Counter(
            "graph_identity_unauthenticated_requests",
            "Requests refused with HTTP 401.",
            registry=self.registry,
        )
        # read from Neo4j when /metrics is scraped (the whole deployment's, not this process's)
        self.backlog_events = Gauge(
            "graph_identity_backlog_events",
            "Events stored by an asynchronous ingest and not resolved yet.",
            registry=self.registry,
        )
        self.hubs_to_reconcile = Gauge(
            "graph_identity_hubs_awaiting_reconciliation",
            "Hubs an ingest's region stopped at since the last reconciliation.",
            registry=self.registry,
        )

    def record_ingest(self, accepted: int, duplicates: int, rejected: int) -> None:
        self.ingest_events.labels("accepted").inc(accepted)
        self.ingest_events.labels("duplicate").inc(duplicates)
        self.ingest_events.labels("rejected").inc(rejected)

    def exposition(self) -> tuple[bytes, str]:
        """The metrics in Prometheus text format, and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


class OperationMetrics(SchemaExtension):
    """Counts and times each operation under each of its root fields.

    ``known_fields`` are the schema's root field names; anything else (a typo in a query that
    then fails validation) is counted as ``invalid`` so clients cannot mint label values.
    """

    def __init__(self, known_fields: frozenset[str]) -> None:
        super().__init__()
        self.known_fields = known_fields

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        metrics = getattr(self.execution_context.context, "metrics", None)
        if not isinstance(metrics, ApiMetrics):
            return
        elapsed = time.perf_counter() - started
        errors = getattr(self.execution_context.result, "errors", None) or []
        outcome = OUTCOME_OK
        if errors:
            outcome = str((errors[0].extensions or {}).get("code", "INTERNAL_SERVER_ERROR"))
        for name in self._root_fields() or [UNKNOWN]:
            metrics.operations.labels(name, outcome).inc()
            metrics.latency.labels(name).observe(elapsed)

    def _root_fields(self) -> list[str]:
        document = self.execution_context.graphql_document
        if document is None:
            return []
        wanted = self.execution_context.operation_name
        for definition in document.definitions:
            if not isinstance(definition, OperationDefinitionNode):
                continue
            if wanted is not None and (definition.name is None or definition.name.value != wanted):
                continue
            names = {
                s.name.value if s.name.value in self.known_fields else UNKNOWN
                for s in definition.selection_set.selections
                if isinstance(s, FieldNode)
            }
            return sorted(names)
        return []
