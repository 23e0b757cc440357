"""Guards the HTTP endpoint under a bounded hypothesis fuzz: generated operations (every root
field, hostile argument values, generated ingest batches) and generated bodies never get a 5xx,
a masked "Internal server error." or raw exception text."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_identity.api.errors import MASKED_MESSAGE
from tests.api.test_query_cost import FAN_OUT, LARGE_READ

if TYPE_CHECKING:
    from tests.api.conftest import Api

LEAKS = ("Traceback", "Error(", "object has no attribute", "arg is an empty", "KeyError")
TYPES = ["COOKIE", "DEVICE", "EMAIL", "PHONE", "ACCOUNT", "SSN"]
EVENT_TYPES = ["LOGIN", "LOGOUT", "IDENTIFY", "PAGE_VIEW", "CHAT", "PURCHASE", "NOPE"]

text = st.text(max_size=40)
literal = text.map(json.dumps)
integer = st.integers(min_value=-(2**40), max_value=2**40).map(str)
moment = st.one_of(
    st.datetimes(
        min_value=datetime(1, 1, 2),
        max_value=datetime(9999, 12, 30),
        timezones=st.sampled_from(
            [UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-14))]
        ),
    ).map(lambda d: d.isoformat()),
    text,
)
kind = st.sampled_from(TYPES)
identifier = st.builds(lambda t, v: f"{{type: {t}, value: {v}}}", kind, literal)


def op(template: str, *parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """``template`` with each ``%s`` filled from one of ``parts``."""
    return st.tuples(*parts).map(lambda values: template % values)


dt = moment.map(json.dumps)
OPERATIONS = [
    op("{ resolve(identifier: %s, at: %s) { confidence shared person { id } } }", identifier, dt),
    op("{ sharedIdentifiers(minPersons: %s, first: %s, after: %s, since: %s) "
       "{ edges { cursor } } }", integer, integer, literal, dt),
    op("{ auditLog(first: %s, after: %s) { edges { cursor node { id } } } }", integer, literal),
    op("{ neighborhood(identifier: %s, hops: %s) { nodes { value } } }", identifier, integer),
    op("{ explain(a: %s, b: %s) { joined } }", identifier, identifier),
    op("{ person(id: %s) { id events(first: %s, after: %s) { edges { cursor } } } }",
       literal, integer, literal),
    op("mutation { forgetPerson(personId: %s, reason: %s) { personId } }", literal, literal),
    op("mutation { mergePersons(personIds: [%s], reason: %s) { id } }", literal, literal),
    text,  # anything at all as a query
    st.just(FAN_OUT),  # fragments that fan out to 2^20 resolves: refused by the cost limit
    st.just(LARGE_READ),  # a nested read of 200 x 200 pages: refused, never a 503
]  # fmt: skip

json_value = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=20,
)
event = st.fixed_dictionaries(
    {
        "id": text,
        "at": moment,
        "type": st.sampled_from(EVENT_TYPES),
        "identifiers": st.lists(st.fixed_dictionaries({"type": kind, "value": text}), max_size=4),
    },
    optional={"channel": text, "attributes": json_value, "idToken": text},
)
INGEST = "mutation($e: [EventInput!]!) { ingest(events: $e) { accepted rejected { reason } } }"
payload = st.one_of(
    st.builds(lambda q: {"query": q}, st.one_of(*OPERATIONS)),
    st.builds(lambda e: {"query": INGEST, "variables": {"e": e}}, st.lists(event, max_size=5)),
    st.builds(lambda q, v: {"query": q, "variables": v}, st.one_of(*OPERATIONS), json_value),
)


def check(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text
    assert MASKED_MESSAGE not in response.text, response.text
    assert not any(leak in response.text for leak in LEAKS), response.text


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=payload)
def test_generated_operations(api: Api, body: dict[str, Any]) -> None:
    headers = {"Authorization": f"Bearer {api.keys['admin']}"}
    with httpx.Client(timeout=api.timeout) as client:
        check(client.post(f"{api.url}/graphql", json=body, headers=headers))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(raw=st.one_of(st.binary(max_size=300), json_value.map(lambda v: json.dumps(v).encode())))
def test_generated_bodies(api: Api, raw: bytes) -> None:
    headers = {"Authorization": f"Bearer {api.keys['admin']}", "Content-Type": "application/json"}
    with httpx.Client(timeout=api.timeout) as client:
        check(client.post(f"{api.url}/graphql", content=raw, headers=headers))
