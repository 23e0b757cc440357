"""Guards per-event validation over HTTP (docs/events.md#refusals): an event with an
out-of-range time, a lone surrogate or non-finite, oddly keyed or too deep attributes is refused
on its own with a reason naming the field; the rest of its batch is stored, and every timeline
served afterwards is standard JSON."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import httpx

from tests.events import event as build

if TYPE_CHECKING:
    from tests.api.conftest import Api

TIMELINE = """
query($i: IdentifierInput!) {
  resolve(identifier: $i) { person { events(first: 200) { edges { node { id attributes } } } } }
}
"""


def event(n: int, **changes: Any) -> dict[str, Any]:
    cookie = ("COOKIE", "poison-cookie")
    # a change may replace any field, the id and time too
    return {
        **build(f"poison-{n}", f"2026-01-05T10:{n % 60:02d}:00Z", "PAGE_VIEW", cookie),
        **changes,
    }


def nested(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = {"a": value}
    return value


POISON: dict[int, tuple[dict[str, Any], str]] = {
    3: ({"at": "9999-12-31T23:59:59-14:00"}, "at"),
    7: ({"at": "0001-01-01T00:00:00+14:00"}, "at"),
    11: ({"at": "1899-12-31T23:59:59Z"}, "at"),
    13: ({"id": "poison-\ud800"}, "id"),
    17: ({"channel": "web\udfff"}, "channel"),
    19: ({"identifiers": [{"type": "COOKIE", "value": "poison-\ud800"}]}, "identifiers[0]"),
    23: ({"attributes": {"price": 1e400}}, "attributes"),
    29: ({"attributes": {"x": [float("-inf")]}}, "attributes"),
    31: ({"attributes": nested(40)}, "attributes"),
    37: ({"attributes": {"note": "\ud83d"}}, "attributes"),
}


def raw_body(events: list[dict[str, Any]]) -> bytes:
    """JSON as a client library that allows non-finite numbers (Python's) would send it;
    ``1e400`` instead of ``Infinity`` keeps it standard JSON text."""
    query = (
        "mutation($e: [EventInput!]!) "
        "{ ingest(events: $e) { accepted rejected { eventId reason } } }"
    )
    text = json.dumps({"query": query, "variables": {"e": events}})
    return text.replace("Infinity", "1e400").encode("utf-8", "surrogatepass")


async def test_one_bad_event_does_not_fail_its_batch(api: Api, clean_db: None) -> None:
    events = [event(n, **POISON[n][0]) if n in POISON else event(n) for n in range(100)]
    headers = {"Authorization": f"Bearer {api.keys['ingest']}", "Content-Type": "application/json"}
    async with httpx.AsyncClient(timeout=api.timeout) as client:
        response = await client.post(
            f"{api.url}/graphql", content=raw_body(events), headers=headers
        )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    result = body["data"]["ingest"]
    assert result["accepted"] == 100 - len(POISON)
    reasons = {r["eventId"]: r["reason"] for r in result["rejected"]}
    assert len(reasons) == len(POISON), reasons
    for n, (changes, field) in POISON.items():
        event_id = changes.get("id", f"poison-{n}")
        assert reasons[event_id].startswith(field), (n, reasons[event_id])

    # whatever was stored comes back as JSON a standard parser reads (no bare NaN/Infinity)
    async with httpx.AsyncClient(timeout=api.timeout) as client:
        timeline = await client.post(
            f"{api.url}/graphql",
            json={
                "query": TIMELINE,
                "variables": {"i": {"type": "COOKIE", "value": "poison-cookie"}},
            },
            headers={"Authorization": f"Bearer {api.keys['agent']}"},
        )
    strict = json.loads(timeline.text, parse_constant=lambda name: pytest_fail(name))
    edges = strict["data"]["resolve"]["person"]["events"]["edges"]
    assert {e["node"]["id"] for e in edges} == {
        f"poison-{n}" for n in range(100) if n not in POISON
    }


def pytest_fail(name: str) -> None:
    raise AssertionError(f"{name} in a response")


async def test_a_literal_infinity_is_refused_per_event(api: Api, clean_db: None) -> None:
    query = """
    mutation {
      ingest(events: [
        {id: "lit-1", at: "2026-01-05T10:00:00Z", type: PAGE_VIEW,
         identifiers: [{type: COOKIE, value: "lit"}], attributes: {x: 1e400}},
        {id: "lit-2", at: "2026-01-05T10:01:00Z", type: PAGE_VIEW,
         identifiers: [{type: COOKIE, value: "lit"}], attributes: {x: 1.5}}
      ]) { accepted rejected { eventId reason } }
    }
    """
    data = await api.data(query, role="ingest")
    assert data["ingest"]["accepted"] == 1
    assert [r["eventId"] for r in data["ingest"]["rejected"]] == ["lit-1"]
    assert data["ingest"]["rejected"][0]["reason"].startswith("attributes")
