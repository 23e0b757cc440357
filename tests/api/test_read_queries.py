"""Guards the read queries over HTTP: person, resolve, the paged timeline, shared identifiers
(filters and pages), neighbourhood graphs and explanations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.events import event as build

if TYPE_CHECKING:
    from tests.api.conftest import Api

ACC_A = {"type": "ACCOUNT", "value": "acc-a"}
ACC_B = {"type": "ACCOUNT", "value": "acc-b"}
EMAIL_A = {"type": "EMAIL", "value": "a@example.com"}
COOKIE_A = {"type": "COOKIE", "value": "ck-a"}
COOKIE_B = {"type": "COOKIE", "value": "ck-b"}
KIOSK = {"type": "DEVICE", "value": "kiosk-1"}


def ev(event_id: str, at: str, kind: str, *identifiers: dict[str, str]) -> dict[str, Any]:
    return build(event_id, f"2026-01-05T{at}:00+00:00", kind, *identifiers)


WORLD = [
    ev("a-login", "09:00", "LOGIN", ACC_A, COOKIE_A),
    ev("a-identify", "09:01", "IDENTIFY", ACC_A, EMAIL_A),
    ev("a-view-1", "09:02", "PAGE_VIEW", COOKIE_A),
    ev("a-view-2", "09:03", "PAGE_VIEW", COOKIE_A),
    ev("a-buy", "09:04", "PURCHASE", COOKIE_A),
    # a store kiosk both log in on, and nobody logs out of
    ev("a-kiosk", "11:00", "LOGIN", ACC_A, KIOSK),
    ev("b-login", "12:00", "LOGIN", ACC_B, COOKIE_B),
    ev("b-kiosk", "13:00", "LOGIN", ACC_B, KIOSK),
]

PERSON = """
query($i: IdentifierInput!) {
  resolve(identifier: $i) {
    person { id mergedIds identifiers { type value confidence shared firstSeen lastSeen } }
    confidence shared candidates { confidence person { id } }
  }
}
"""
EVENTS = """
query($id: ID!, $first: Int, $after: String) {
  person(id: $id) {
    events(first: $first, after: $after) {
      edges { cursor node { id at type } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""


async def resolve(api: Api, identifier: dict[str, str]) -> dict[str, Any]:
    result: dict[str, Any] = (await api.data(PERSON, {"i": identifier}, role="agent"))["resolve"]
    return result


async def test_resolve_and_person(api: Api, clean_db: None) -> None:
    await api.ingest(WORLD)
    found = await resolve(api, {"type": "EMAIL", "value": " A@Example.COM "})
    person = found["person"]
    assert found["shared"] is False
    assert 0 < found["confidence"] <= 1
    kinds = {(i["type"], i["value"]) for i in person["identifiers"]}
    assert {("ACCOUNT", "acc-a"), ("EMAIL", "a@example.com"), ("COOKIE", "ck-a")} <= kinds
    for item in person["identifiers"]:
        assert 0 <= item["confidence"] <= 1
        assert item["firstSeen"] <= item["lastSeen"]
        assert item["firstSeen"].endswith("+00:00")
    by_id = await api.data(
        "query($id: ID!) { person(id: $id) { id mergedIds } }", {"id": person["id"]}, role="agent"
    )
    assert by_id["person"] == {"id": person["id"], "mergedIds": []}


async def test_resolve_unknown(api: Api, clean_db: None) -> None:
    assert await resolve(api, {"type": "COOKIE", "value": "never-seen"}) == {
        "person": None,
        "confidence": 0.0,
        "shared": False,
        "candidates": [],
    }


async def test_timeline_pages_newest_first(api: Api, clean_db: None) -> None:
    await api.ingest(WORLD)
    person_id = (await resolve(api, ACC_A))["person"]["id"]
    seen: list[dict[str, Any]] = []
    after = None
    for _ in range(20):
        page = (await api.data(EVENTS, {"id": person_id, "first": 2, "after": after}))["person"]
        edges = page["events"]["edges"]
        assert len(edges) <= 2
        seen.extend(e["node"] for e in edges)
        if not page["events"]["pageInfo"]["hasNextPage"]:
            break
        after = page["events"]["pageInfo"]["endCursor"]
        assert after == edges[-1]["cursor"]
    ids = [n["id"] for n in seen]
    assert len(ids) == len(set(ids)), "each event once"
    assert {"a-buy", "a-view-2", "a-view-1"} <= set(ids)
    assert not {i for i in ids if i.startswith("b-")}
    times = [n["at"] for n in seen]
    assert times == sorted(times, reverse=True)


async def test_shared_identifiers(api: Api, clean_db: None) -> None:
    await api.ingest(WORLD)
    query = """
    query($types: [IdentifierType!], $since: DateTime, $first: Int, $after: String) {
      sharedIdentifiers(types: $types, since: $since, first: $first, after: $after) {
        edges { cursor node { type value personCount lastSeen persons { id } } }
        pageInfo { hasNextPage endCursor }
      }
    }
    """
    found = (await api.data(query, {}, role="fraud"))["sharedIdentifiers"]
    nodes = [e["node"] for e in found["edges"]]
    kiosk = next(n for n in nodes if n["value"] == "kiosk-1")
    assert kiosk["type"] == "DEVICE"
    assert kiosk["personCount"] == 2 == len(kiosk["persons"])
    a = (await resolve(api, ACC_A))["person"]["id"]
    b = (await resolve(api, ACC_B))["person"]["id"]
    assert {p["id"] for p in kiosk["persons"]} == {a, b}

    only_emails = await api.data(query, {"types": ["EMAIL"]}, role="fraud")
    assert only_emails["sharedIdentifiers"]["edges"] == []
    later = await api.data(query, {"since": "2026-02-01T00:00:00+00:00"}, role="fraud")
    assert later["sharedIdentifiers"]["edges"] == []
    page = (await api.data(query, {"first": 1}, role="fraud"))["sharedIdentifiers"]
    assert len(page["edges"]) == 1
    if page["pageInfo"]["hasNextPage"]:
        rest = await api.data(query, {"after": page["pageInfo"]["endCursor"]}, role="fraud")
        assert page["edges"][0] not in rest["sharedIdentifiers"]["edges"]


NEIGHBORHOOD = """
query($i: IdentifierInput!, $hops: Int) {
  neighborhood(identifier: $i, hops: $hops) {
    nodes { type value personIds shared firstSeen lastSeen persons { id } }
    edges { source { type value } target { type value } kind strength count
            firstSeen lastSeen cutAt cut merged }
  }
}
"""


async def test_neighborhood(api: Api, clean_db: None) -> None:
    await api.ingest(WORLD)
    a = (await resolve(api, ACC_A))["person"]["id"]
    graph = (await api.data(NEIGHBORHOOD, {"i": ACC_A, "hops": 1}, role="fraud"))["neighborhood"]
    values = {n["value"] for n in graph["nodes"]}
    assert {"acc-a", "ck-a", "a@example.com", "kiosk-1"} <= values
    assert "acc-b" not in values, "two hops away"
    account = next(n for n in graph["nodes"] if n["value"] == "acc-a")
    assert account["personIds"] == [a]
    assert [p["id"] for p in account["persons"]] == [a]
    login = next(
        e
        for e in graph["edges"]
        if {e["source"]["value"], e["target"]["value"]} == {"acc-a", "ck-a"}
    )
    assert login["kind"] == "LOGIN"
    assert login["merged"] is True
    assert login["cut"] is False and login["cutAt"] is None
    assert 0 < login["strength"] <= 1 and login["count"] >= 1
    wider = (await api.data(NEIGHBORHOOD, {"i": ACC_A, "hops": 2}, role="fraud"))["neighborhood"]
    assert "acc-b" in {n["value"] for n in wider["nodes"]}
    kiosk = next(n for n in wider["nodes"] if n["value"] == "kiosk-1")
    assert kiosk["shared"] is True
    assert len(kiosk["personIds"]) == 2


EXPLAIN = """
query($a: IdentifierInput!, $b: IdentifierInput!) {
  explain(a: $a, b: $b) {
    joined reason personA { id } personB { id }
    steps { evidenceEventIds edge { source { value } target { value } kind } }
  }
}
"""


async def test_explain(api: Api, clean_db: None) -> None:
    await api.ingest(WORLD)
    joined = (await api.data(EXPLAIN, {"a": COOKIE_A, "b": EMAIL_A}, role="fraud"))["explain"]
    assert joined["joined"] is True
    assert joined["personA"] == joined["personB"]
    assert joined["reason"]
    evidence = {i for step in joined["steps"] for i in step["evidenceEventIds"]}
    assert {"a-login", "a-identify"} <= evidence
    assert joined["steps"][0]["edge"]["kind"] in {"LOGIN", "VERIFIED_LOGIN"}

    apart = (await api.data(EXPLAIN, {"a": ACC_A, "b": ACC_B}, role="fraud"))["explain"]
    assert apart["joined"] is False
    assert apart["personA"]["id"] != apart["personB"]["id"]
    assert apart["reason"]
