"""Guards ``Person.events`` filters over HTTP (types, channels, since, until, with pages) and
their checks: a bad filter value is BAD_USER_INPUT naming the argument. Also guards that a
person read lazily through ``resolve`` (fields loaded per request) answers exactly what
``person(id)`` answers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.events import event as build

if TYPE_CHECKING:
    from tests.api.conftest import Api

ACC = {"type": "ACCOUNT", "value": "tl-ann"}
COOKIE = {"type": "COOKIE", "value": "tl-c1"}


def ev(n: int, minute: int, kind: str, channel: str | None) -> dict[str, Any]:
    return build(f"tl-{n}", f"2026-01-05T10:{minute:02d}:00+00:00", kind, ACC, channel=channel)


WORLD = [
    {
        "id": "tl-login",
        "at": "2026-01-05T09:00:00+00:00",
        "type": "LOGIN",
        "identifiers": [ACC, COOKIE],
    },
    ev(1, 1, "PAGE_VIEW", "web"),
    ev(2, 2, "CHAT", "app"),
    ev(3, 3, "PURCHASE", "web"),
    ev(4, 4, "CHAT", "web"),
    ev(5, 5, "PAGE_VIEW", None),
    ev(6, 6, "CHAT", "store"),
]
TIMELINE = """
query($id: ID!, $first: Int, $after: String, $types: [EventType!], $channels: [String!],
      $since: DateTime, $until: DateTime) {
  person(id: $id) {
    events(first: $first, after: $after, types: $types, channels: $channels, since: $since,
           until: $until) {
      edges { node { id } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""
WHO = """
query($i: IdentifierInput!) {
  resolve(identifier: $i) { person { id mergedIds identifiers { type value firstSeen lastSeen } } }
}
"""
PERSON = """
query($id: ID!) { person(id: $id) { id mergedIds identifiers { type value firstSeen lastSeen } } }
"""

CASES = [
    ("chats", {"types": ["CHAT"]}, ["tl-6", "tl-4", "tl-2"]),
    ("web", {"channels": ["web"]}, ["tl-4", "tl-3", "tl-1"]),
    ("web chats", {"types": ["CHAT"], "channels": ["web", "store"]}, ["tl-6", "tl-4"]),
    (
        "a window",
        {"since": "2026-01-05T10:02:00+00:00", "until": "2026-01-05T10:05:00+00:00"},
        ["tl-4", "tl-3", "tl-2"],
    ),
    ("empty lists filter nothing", {"types": [], "channels": []}, None),
]


async def person_id(api: Api) -> str:
    await api.ingest(WORLD)
    data = await api.data(WHO, {"i": ACC}, role="agent")
    pid: str = data["resolve"]["person"]["id"]
    return pid


@pytest.mark.parametrize(("description", "args", "expected"), CASES, ids=[c[0] for c in CASES])
async def test_filters_select_and_page(
    api: Api, clean_db: None, description: str, args: dict[str, Any], expected: list[str] | None
) -> None:
    pid = await person_id(api)
    everything = ["tl-6", "tl-5", "tl-4", "tl-3", "tl-2", "tl-1", "tl-login"]
    got: list[str] = []
    after = None
    while True:
        variables = {"id": pid, "first": 2, "after": after, **args}
        page = (await api.data(TIMELINE, variables, role="agent"))["person"]["events"]
        got += [edge["node"]["id"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert got == (everything if expected is None else expected), description


BAD = [
    ("blank channel", {"channels": ["web", " "]}, "channels"),
    ("too many channels", {"channels": [f"c{n}" for n in range(51)]}, "channels"),
    ("naive since", {"since": "2026-01-05T10:00:00"}, "since"),
    ("naive until", {"until": "2026-01-05T10:00:00"}, "until"),
    (
        "until not after since",
        {"since": "2026-01-05T10:00:00+00:00", "until": "2026-01-05T10:00:00+00:00"},
        "until",
    ),
    ("first too large", {"first": 201}, "first"),
]


@pytest.mark.parametrize(("description", "args", "field"), BAD, ids=[c[0] for c in BAD])
async def test_bad_filter_values_name_the_argument(
    api: Api, clean_db: None, description: str, args: dict[str, Any], field: str
) -> None:
    pid = await person_id(api)
    body = await api.gql(TIMELINE, {"id": pid, **args}, role="agent")
    errors = body.get("errors") or []
    assert errors, description
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT", errors
    assert field in errors[0]["message"], errors


async def test_a_person_read_through_resolve_answers_as_person_does(
    api: Api, clean_db: None
) -> None:
    pid = await person_id(api)
    via_resolve = (await api.data(WHO, {"i": ACC}, role="agent"))["resolve"]["person"]
    direct = (await api.data(PERSON, {"id": pid}, role="agent"))["person"]
    assert via_resolve == direct
    assert {(i["type"], i["value"]) for i in direct["identifiers"]} == {
        ("ACCOUNT", "tl-ann"),
        ("COOKIE", "tl-c1"),
    }
