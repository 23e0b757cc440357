"""Guards the ingest mutation over HTTP: counts, idempotent replays, rejections of events and
of single identifiers, silently dropped placeholders, and the ingest metrics."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from tests.events import event as build

if TYPE_CHECKING:
    from tests.api.conftest import Api


def ev(event_id: str, kind: str, *identifiers: tuple[str, str], **extra: Any) -> dict[str, Any]:
    return build(event_id, "2026-01-05T10:00:00+01:00", kind, *identifiers, **extra)


BATCH = [
    ev("i-1", "LOGIN", ("ACCOUNT", "acc-i"), ("COOKIE", "ck-i"), channel="web"),
    ev("i-2", "PAGE_VIEW", ("COOKIE", "ck-i"), attributes={"url": "/", "n": [1, 2]}),
    ev("i-3", "IDENTIFY", ("ACCOUNT", "acc-i"), ("EMAIL", "i@example.com")),
]
RESOLVE = (
    "query($i: IdentifierInput!) { resolve(identifier: $i) { person { identifiers { value } } } }"
)


async def test_accepts_then_replays_as_duplicates(api: Api, clean_db: None) -> None:
    assert await api.ingest(BATCH) == {"accepted": 3, "duplicates": 0, "rejected": []}
    assert await api.ingest(BATCH) == {"accepted": 0, "duplicates": 3, "rejected": []}
    assert await api.ingest(BATCH[:1], role="admin") == {
        "accepted": 0,
        "duplicates": 1,
        "rejected": [],
    }


async def test_rejects_bad_identifiers_and_events(api: Api, clean_db: None) -> None:
    result = await api.ingest(
        [
            ev("r-1", "IDENTIFY", ("ACCOUNT", "acc-r"), ("EMAIL", "not-an-email")),
            ev("r-2", "LOGIN", ("COOKIE", "ck-r")),  # a LOGIN needs its ACCOUNT
            ev("r-3", "IDENTIFY", ("ACCOUNT", "acc-r"), ("EMAIL", "null")),  # a placeholder
        ]
    )
    assert result["accepted"] == 2
    reasons = {r["eventId"]: r["reason"] for r in result["rejected"]}
    assert set(reasons) == {"r-1", "r-2"}
    assert "EMAIL" in reasons["r-1"]
    assert "ACCOUNT" in reasons["r-2"]
    found = await api.data(RESOLVE, {"i": {"type": "ACCOUNT", "value": "acc-r"}})
    assert found["resolve"]["person"]["identifiers"] == [{"value": "acc-r"}]


def _ingested(metrics: str, outcome: str) -> float:
    pattern = rf'^graph_identity_ingest_events_total{{outcome="{outcome}"}} (\S+)$'
    match = re.search(pattern, metrics, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


async def test_metrics_count_ingested_events(api: Api, clean_db: None) -> None:
    before = (await api.metrics()).text
    await api.ingest(BATCH)
    await api.ingest([*BATCH[:2], ev("m-1", "LOGIN", ("COOKIE", "ck-m"))])
    after = (await api.metrics()).text
    assert _ingested(after, "accepted") - _ingested(before, "accepted") == 3
    assert _ingested(after, "duplicate") - _ingested(before, "duplicate") == 2
    assert _ingested(after, "rejected") - _ingested(before, "rejected") == 1
    assert 'graph_identity_graphql_operations_total{operation="ingest",outcome="ok"}' in after
