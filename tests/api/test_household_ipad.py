"""Guards the household iPad story end to end over HTTP.

The husband browses anonymously on the family iPad; his wife logs in on it, chats and logs
out; in the evening he browses again and logs in himself. Each is resolved to their own person,
each timeline (newest first) holds only their own touchpoints, the iPad is shared on both and
follows whichever session was open; a wrong merge can be split off and the split undone.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from tests.events import event as build

if TYPE_CHECKING:
    from tests.api.conftest import Api

DAY = "2026-01-05"
COOKIE = {"type": "COOKIE", "value": "ck-ipad"}
DEVICE = {"type": "DEVICE", "value": "dev-ipad"}
IPAD = [COOKIE, DEVICE]
WIFE = {"type": "ACCOUNT", "value": "acc-wife"}
HUSBAND = {"type": "ACCOUNT", "value": "acc-husband"}
WIFE_PHONE = {"type": "PHONE", "value": "+1 (415) 555-0123"}
TOUCHPOINTS = {"PAGE_VIEW", "CHAT", "CALL", "MESSAGE", "FORM_SUBMIT", "PURCHASE"}


def ev(
    event_id: str, time: str, kind: str, identifiers: list[dict[str, str]], **extra: Any
) -> dict[str, Any]:
    return build(event_id, f"{DAY}T{time}:00+00:00", kind, *identifiers, **extra)


STORY = [
    ev("h-browse-morning", "08:00", "PAGE_VIEW", IPAD, channel="web", attributes={"url": "/tv"}),
    ev("w-login", "10:00", "LOGIN", [WIFE, *IPAD], channel="web"),
    ev(
        "w-identify",
        "10:01",
        "IDENTIFY",
        [WIFE, {"type": "EMAIL", "value": "Wife@Example.com"}, WIFE_PHONE],
    ),
    ev("w-chat", "10:05", "CHAT", IPAD, channel="chat", attributes={"transcript": "t-1"}),
    ev("w-logout", "10:20", "LOGOUT", [WIFE, *IPAD], channel="web"),
    ev("h-browse-evening", "18:50", "PAGE_VIEW", IPAD, channel="web", attributes={"url": "/tv"}),
    ev("h-login", "19:00", "LOGIN", [HUSBAND, *IPAD], channel="web"),
    ev("h-identify", "19:01", "IDENTIFY", [HUSBAND, {"type": "EMAIL", "value": "h@example.com"}]),
    ev("h-purchase", "19:10", "PURCHASE", IPAD, channel="web", attributes={"sku": "tv-55"}),
]

PERSON = """
  id mergedIds
  identifiers { type value confidence shared firstSeen lastSeen }
  events(first: 50) {
    edges { cursor node { id at type channel attributes identifiers { type value } } }
    pageInfo { hasNextPage endCursor }
  }
"""
RESOLVE = f"""
query($i: IdentifierInput!, $at: DateTime) {{
  resolve(identifier: $i, at: $at) {{
    person {{ {PERSON} }} confidence shared candidates {{ confidence person {{ id }} }}
  }}
}}
"""


async def resolve(api: Api, identifier: dict[str, str], at: str | None = None) -> dict[str, Any]:
    data = await api.data(RESOLVE, {"i": identifier, "at": at}, role="agent")
    result: dict[str, Any] = data["resolve"]
    return result


def touchpoints(person: dict[str, Any]) -> list[str]:
    nodes = [edge["node"] for edge in person["events"]["edges"]]
    return [n["id"] for n in nodes if n["type"] in TOUCHPOINTS]


def identifier(person: dict[str, Any], kind: str, value: str) -> dict[str, Any]:
    found = [i for i in person["identifiers"] if i["type"] == kind and i["value"] == value]
    assert len(found) == 1, person["identifiers"]
    return found[0]


async def load_story(api: Api) -> None:
    shuffled = STORY[:]
    random.Random(5).shuffle(shuffled)  # late and out-of-order delivery, in two batches
    first = await api.ingest(shuffled[:4])
    second = await api.ingest(shuffled[4:])
    assert first["accepted"] + second["accepted"] == len(STORY)
    assert first["rejected"] == second["rejected"] == []


async def test_each_spouse_is_their_own_person(api: Api, clean_db: None) -> None:
    await load_story(api)
    wife = await resolve(api, WIFE)
    husband = await resolve(api, HUSBAND)
    assert wife["person"] and husband["person"]
    assert wife["person"]["id"] != husband["person"]["id"]
    assert not wife["shared"] and not husband["shared"]
    assert 0 < wife["confidence"] <= 1 and 0 < husband["confidence"] <= 1
    email = await resolve(api, {"type": "EMAIL", "value": "wife@example.com"})
    assert email["person"]["id"] == wife["person"]["id"]


async def test_timelines_hold_only_their_own_touchpoints(api: Api, clean_db: None) -> None:
    await load_story(api)
    wife = (await resolve(api, WIFE))["person"]
    husband = (await resolve(api, HUSBAND))["person"]
    assert touchpoints(wife) == ["w-chat"]
    assert touchpoints(husband) == ["h-purchase", "h-browse-evening"]
    for person, other in ((wife, "h-"), (husband, "w-")):
        nodes = [edge["node"] for edge in person["events"]["edges"]]
        assert not [n["id"] for n in nodes if n["id"].startswith(other)]
        times = [n["at"] for n in nodes]
        assert times == sorted(times, reverse=True), "newest first"
    chat = next(e["node"] for e in wife["events"]["edges"] if e["node"]["id"] == "w-chat")
    assert chat["channel"] == "chat"
    assert chat["attributes"] == {"transcript": "t-1"}
    assert sorted(i["type"] for i in chat["identifiers"]) == ["COOKIE", "DEVICE"]


async def test_the_ipad_is_shared_and_follows_the_open_session(api: Api, clean_db: None) -> None:
    await load_story(api)
    wife = (await resolve(api, WIFE))["person"]
    husband = (await resolve(api, HUSBAND))["person"]
    for person in (wife, husband):
        for item in IPAD:
            linked = identifier(person, item["type"], item["value"])
            assert linked["shared"] is True
            assert 0 < linked["confidence"] <= 1
    ipad = await resolve(api, DEVICE)
    assert ipad["shared"] is True
    assert {c["person"]["id"] for c in ipad["candidates"]} == {wife["id"], husband["id"]}
    during_chat = await resolve(api, DEVICE, at=f"{DAY}T10:05:00+00:00")
    assert during_chat["person"]["id"] == wife["id"]
    during_purchase = await resolve(api, DEVICE, at=f"{DAY}T19:05:00+02:00")  # 17:05 UTC
    assert during_purchase["person"] is None, "17:05 UTC: after her logout, before his login"
    at_purchase = await resolve(api, DEVICE, at=f"{DAY}T19:10:00Z")
    assert at_purchase["person"]["id"] == husband["id"]
    shared = await api.data(
        "{ sharedIdentifiers(types: [DEVICE]) { edges { node { type value personCount "
        "persons { id } } } } }",
        role="fraud",
    )
    nodes = [e["node"] for e in shared["sharedIdentifiers"]["edges"]]
    assert nodes == [
        {
            "type": "DEVICE",
            "value": "dev-ipad",
            "personCount": 2,
            "persons": nodes[0]["persons"],
        }
    ]
    assert {p["id"] for p in nodes[0]["persons"]} == {wife["id"], husband["id"]}


SPLIT = """
mutation($id: ID!, $ids: [IdentifierInput!]!) {
  splitPerson(personId: $id, identifiers: $ids, reason: "phone belongs to her sister") {
    kept { id identifiers { type value } }
    split { id identifiers { type value } }
  }
}
"""
AUDIT = "{ auditLog(first: 5) { edges { node { id action actor reason personIds undoneBy } } } }"


async def test_split_then_undo(api: Api, clean_db: None) -> None:
    await load_story(api)
    wife = (await resolve(api, WIFE))["person"]
    phone = {"type": "PHONE", "value": "+14155550123"}
    split = (await api.data(SPLIT, {"id": wife["id"], "ids": [WIFE_PHONE]}))["splitPerson"]
    assert split["kept"]["id"] == wife["id"], "the id stays with the side not named"
    assert split["split"]["id"] != wife["id"]
    assert phone in split["split"]["identifiers"]
    assert phone not in split["kept"]["identifiers"]
    assert (await resolve(api, phone))["person"]["id"] == split["split"]["id"]

    # A later event linking them again does not undo an admin's split.
    again = ev("w-identify-2", "21:00", "IDENTIFY", [WIFE, WIFE_PHONE])
    assert (await api.ingest([again]))["accepted"] == 1
    assert (await resolve(api, phone))["person"]["id"] == split["split"]["id"]
    assert (await resolve(api, WIFE))["person"]["id"] == wife["id"]

    entry = (await api.data(AUDIT))["auditLog"]["edges"][0]["node"]
    assert entry["action"] == "SPLIT"
    assert entry["reason"] == "phone belongs to her sister"
    assert entry["actor"].startswith("api-key:admin:")
    assert entry["undoneBy"] is None
    undo = await api.data(
        'mutation($a: ID!) { undo(auditId: $a, reason: "my mistake") { id action } }',
        {"a": entry["id"]},
    )
    assert undo["undo"]["action"] == "UNDO"
    assert (await resolve(api, phone))["person"]["id"] == wife["id"]
    entries = [e["node"] for e in (await api.data(AUDIT))["auditLog"]["edges"]]
    undone = next(e for e in entries if e["id"] == entry["id"])
    assert undone["undoneBy"] == undo["undo"]["id"]
    twice = await api.gql(
        'mutation($a: ID!) { undo(auditId: $a, reason: "again") { id } }', {"a": entry["id"]}
    )
    assert api.codes(twice) == ["BAD_USER_INPUT"]
