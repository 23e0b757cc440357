"""Guards weak claims over HTTP (README "Weak claims"): a customer who types another customer's
email into a newsletter form once, from a browser they are signed in on, leaves that email its
owner's (`resolve` answers the owner, not shared) and fuses nobody; the fraud role sees the
conflicting link in `explain` and `neighborhood`; a bot submitting many customers' emails from
one cookie puts none of its forms on their timelines; whatever the delivery order."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.api.conftest import Api

BOB = {"type": "ACCOUNT", "value": "acct-bob"}
BOB_MAIL = {"type": "EMAIL", "value": "bob@example.com"}
XAVI = {"type": "ACCOUNT", "value": "acct-xavi"}
XAVI_COOKIE = {"type": "COOKIE", "value": "ck-xavi"}
BOT = {"type": "COOKIE", "value": "ck-bot"}


def ev(event_id: str, at: str, kind: str, *identifiers: dict[str, str]) -> dict[str, Any]:
    return {"id": event_id, "at": f"2026-03-{at}:00Z", "type": kind, "identifiers": [*identifiers]}


def customer(n: int) -> list[dict[str, Any]]:
    """A customer whose CRM record pushed their email twice: the account holds it."""
    account = {"type": "ACCOUNT", "value": f"acct-{n}"}
    email = {"type": "EMAIL", "value": f"c{n}@example.com"}
    return [
        ev(f"c{n}-login", f"01T09:0{n}", "LOGIN", account, {"type": "COOKIE", "value": f"ck-{n}"}),
        ev(f"c{n}-crm-1", f"01T10:0{n}", "IDENTIFY", account, email),
        ev(f"c{n}-crm-2", f"02T10:0{n}", "IDENTIFY", account, email),
    ]


MISTYPE = [
    ev("bob-crm-1", "01T08:00", "IDENTIFY", BOB, BOB_MAIL),
    ev("bob-crm-2", "02T08:00", "IDENTIFY", BOB, BOB_MAIL),
    ev("xavi-login", "03T12:00", "LOGIN", XAVI, XAVI_COOKIE),
    ev("xavi-newsletter", "03T12:05", "FORM_SUBMIT", XAVI_COOKIE, BOB_MAIL),
]
BOT_FORMS = [
    ev(
        f"bot-{n}",
        f"05T03:0{n}",
        "FORM_SUBMIT",
        BOT,
        {"type": "EMAIL", "value": f"c{n}@example.com"},
    )
    for n in range(1, 5)
]
WORLD = MISTYPE + [e for n in range(1, 5) for e in customer(n)] + BOT_FORMS

RESOLVE = """
query R($id: IdentifierInput!) {
  resolve(identifier: $id) {
    known shared
    person { id identifiers { value shared } events(first: 50) { edges { node { id } } } } } }
"""
EXPLAIN = """
query E($a: IdentifierInput!, $b: IdentifierInput!) {
  explain(a: $a, b: $b) { joined reason steps { edge { keptApartBy } } } }
"""
NEIGHBOURS = """
query N($id: IdentifierInput!) {
  neighborhood(identifier: $id, hops: 1) {
    nodes { value shared } edges { source { value } target { value } merged keptApartBy } } }
"""


async def person(api: Api, identifier: dict[str, str]) -> dict[str, Any]:
    data = await api.data(RESOLVE, {"id": identifier}, role="fraud")
    answer: dict[str, Any] = data["resolve"]
    assert answer["known"] and not answer["shared"], (identifier, answer)
    return answer["person"]  # type: ignore[no-any-return]


def timeline(p: dict[str, Any]) -> set[str]:
    return {edge["node"]["id"] for edge in p["events"]["edges"]}


async def test_one_mistyped_newsletter_email_leaves_it_its_owners(api: Api, clean_db: None) -> None:
    events = WORLD[:]
    random.Random(21).shuffle(events)
    for start in range(0, len(events), 5):  # late, shuffled, in small batches
        assert (await api.ingest(events[start : start + 5]))["rejected"] == []
    bob = await person(api, BOB_MAIL)
    assert bob["id"] == (await person(api, BOB))["id"]
    assert {i["value"]: i["shared"] for i in bob["identifiers"]}["bob@example.com"] is False
    xavi = await person(api, XAVI_COOKIE)
    assert xavi["id"] != bob["id"]
    assert "xavi-newsletter" in timeline(xavi) and "xavi-newsletter" not in timeline(bob)

    explained = (await api.data(EXPLAIN, {"a": XAVI_COOKIE, "b": BOB_MAIL}, role="fraud"))[
        "explain"
    ]
    assert explained["joined"] is False
    assert "weak claim" in explained["reason"], explained
    assert any("weak claim" in (s["edge"]["keptApartBy"] or "") for s in explained["steps"])
    graph = (await api.data(NEIGHBOURS, {"id": BOB_MAIL}, role="fraud"))["neighborhood"]
    conflicting = [e for e in graph["edges"] if "weak claim" in (e["keptApartBy"] or "")]
    assert len(conflicting) == 1 and conflicting[0]["merged"] is False, graph["edges"]


async def test_a_bot_cookie_puts_no_form_on_its_victims_timelines(api: Api, clean_db: None) -> None:
    assert (await api.ingest(WORLD))["rejected"] == []
    victims = [await person(api, {"type": "ACCOUNT", "value": f"acct-{n}"}) for n in range(1, 5)]
    assert len({v["id"] for v in victims}) == 4
    for n, victim in enumerate(victims, start=1):
        assert timeline(victim) == {f"c{n}-login", f"c{n}-crm-1", f"c{n}-crm-2"}, victim
        mail = {"type": "EMAIL", "value": f"c{n}@example.com"}
        assert (await person(api, mail))["id"] == victim["id"]
    bot = await person(api, BOT)
    assert bot["id"] not in {v["id"] for v in victims}
    assert timeline(bot) == {e["id"] for e in BOT_FORMS}
