"""Guards what the contact-centre agent reads over HTTP: first/last seen equal the stored,
non-erased evidence (also after another person is erased), an unknown identifier says so, a
phone with letters is refused, a shared kiosk does not hand over other customers' identifiers
or timelines, and a person explains how it was built, strongest links first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.events import event as build

if TYPE_CHECKING:
    from tests.api.conftest import Api

ACCT_A = {"type": "ACCOUNT", "value": "acct-ann"}
EMAIL_A = {"type": "EMAIL", "value": "ann.agent@example.com"}
COOKIE_A = {"type": "COOKIE", "value": "ck-ann"}
ACCT_B = {"type": "ACCOUNT", "value": "acct-bob"}
COOKIE_B = {"type": "COOKIE", "value": "ck-bob"}


def ev(event_id: str, day: str, kind: str, *identifiers: dict[str, str]) -> dict[str, Any]:
    return build(event_id, f"2026-{day}T10:00:00+00:00", kind, *identifiers)


PERSON = """
query($i: IdentifierInput!) {
  resolve(identifier: $i) {
    known confidence shared
    person {
      id identifiers { type value firstSeen lastSeen }
      events { edges { node { id at identifiers { type value } } } }
    }
    candidates { person { id identifiers { type value } events { edges { node { id } } }
                          explanation { identifiers { identifier { value } } } } }
  }
}
"""
NODES = """
query($i: IdentifierInput!) {
  neighborhood(identifier: $i, hops: 1) { nodes { type value firstSeen lastSeen } }
}
"""
EXPLANATION = """
query($i: IdentifierInput!) {
  resolve(identifier: $i) {
    person { explanation { personId identifiers { identifier { type value } confidence shared
      links { edge { target { type value } kind strength } evidenceEventIds } } } }
  }
}
"""


async def resolved(api: Api, identifier: dict[str, str], role: str = "agent") -> dict[str, Any]:
    data: dict[str, Any] = (await api.data(PERSON, {"i": identifier}, role=role))["resolve"]
    return data


def seen(person: dict[str, Any], identifier: dict[str, str]) -> tuple[str, str]:
    row = next(
        i for i in person["identifiers"] if (i["type"], i["value"]) == tuple(identifier.values())
    )
    return row["firstSeen"], row["lastSeen"]


async def node_seen(api: Api, identifier: dict[str, str]) -> tuple[str, str]:
    nodes = (await api.data(NODES, {"i": identifier}, role="fraud"))["neighborhood"]["nodes"]
    row = next(n for n in nodes if n["value"] == identifier["value"])
    return row["firstSeen"], row["lastSeen"]


async def test_last_seen_follows_every_event_that_used_the_identifier(
    api: Api, clean_db: None
) -> None:
    await api.ingest([
        ev("ann-identify", "01-22", "IDENTIFY", ACCT_A, EMAIL_A),
        ev("ann-message", "02-01", "MESSAGE", EMAIL_A),
    ])  # fmt: skip
    person = (await resolved(api, ACCT_A))["person"]
    used = [
        e["node"]["at"]
        for e in person["events"]["edges"]
        if EMAIL_A in [{"type": "EMAIL", "value": i["value"]} for i in e["node"]["identifiers"]]
    ]
    assert max(used) == "2026-02-01T10:00:00+00:00"
    assert seen(person, EMAIL_A) == ("2026-01-22T10:00:00+00:00", "2026-02-01T10:00:00+00:00")
    assert await node_seen(api, EMAIL_A) == seen(person, EMAIL_A)


async def test_first_and_last_seen_forget_an_erased_person(api: Api, clean_db: None) -> None:
    await api.ingest([
        ev("bob-login", "01-05", "LOGIN", ACCT_B, COOKIE_B),
        ev("ann-login", "01-10", "LOGIN", ACCT_A, COOKIE_A),
        ev("both-accounts", "02-01", "IDENTIFY", ACCT_A, ACCT_B),
    ])  # fmt: skip
    bob = (await resolved(api, ACCT_B))["person"]
    assert seen(bob, ACCT_B)[1] == "2026-02-01T10:00:00+00:00", "the shared event observed it"
    ann = (await resolved(api, ACCT_A))["person"]["id"]
    forget = 'mutation($id: ID!) { forgetPerson(personId: $id, reason: "erasure") { personId } }'
    await api.data(forget, {"id": ann})
    bob = (await resolved(api, ACCT_B))["person"]
    expected = ("2026-01-05T10:00:00+00:00", "2026-01-05T10:00:00+00:00")
    assert seen(bob, ACCT_B) == expected, "the erased event no longer counts"
    assert await node_seen(api, ACCT_B) == expected


async def test_an_unknown_identifier_says_it_was_never_seen(api: Api, clean_db: None) -> None:
    await api.ingest([ev("ann-login", "01-10", "LOGIN", ACCT_A, COOKIE_A)])
    unknown = await resolved(api, {"type": "EMAIL", "value": "nobody@example.com"})
    assert unknown == {"known": False, "confidence": 0.0, "shared": False, "person": None,
                       "candidates": []}  # fmt: skip
    assert (await resolved(api, ACCT_A))["known"] is True


async def test_a_phone_with_letters_is_refused(api: Api, clean_db: None) -> None:
    phone = {"type": "PHONE", "value": "7024107334x"}
    body = await api.gql(PERSON, {"i": phone}, role="agent")
    assert api.codes(body) == ["BAD_USER_INPUT"]
    assert "identifier" in body["errors"][0]["message"]
    result = await api.ingest([ev("typo", "01-10", "IDENTIFY", ACCT_A, phone)])
    assert result["rejected"] and "invalid phone number" in result["rejected"][0]["reason"]


async def test_an_agent_sees_no_other_customer_through_a_kiosk(api: Api, clean_db: None) -> None:
    kiosk = {"type": "DEVICE", "value": "kiosk-store-3"}
    events = []
    for n in range(3):
        account = {"type": "ACCOUNT", "value": f"kiosk-customer-{n}"}
        email = {"type": "EMAIL", "value": f"kiosk-customer-{n}@example.com"}
        events += [
            ev(f"kc-login-{n}", f"01-1{n}", "LOGIN", account, kiosk),
            ev(f"kc-identify-{n}", f"01-1{n}", "IDENTIFY", account, email),
            ev(f"kc-logout-{n}", f"01-1{n}", "LOGOUT", account, kiosk),
        ]
    events = [{**e, "at": e["at"].replace("10:00", f"1{i % 3}:00")} for i, e in enumerate(events)]
    await api.ingest(events)
    as_agent = await resolved(api, kiosk)
    assert as_agent["shared"] is True and len(as_agent["candidates"]) == 3
    for candidate in as_agent["candidates"]:
        person = candidate["person"]
        assert person["identifiers"] == [kiosk], "only the identifier the agent asked about"
        assert person["events"]["edges"] == []
        assert person["explanation"]["identifiers"] == []
    as_fraud = await resolved(api, kiosk, role="fraud")
    emails = {i["value"] for c in as_fraud["candidates"] for i in c["person"]["identifiers"]}
    assert {f"kiosk-customer-{n}@example.com" for n in range(3)} <= emails
    assert all(c["person"]["events"]["edges"] for c in as_fraud["candidates"])


async def test_an_agent_reads_how_a_person_was_built(api: Api, clean_db: None) -> None:
    await api.ingest([
        ev("ann-login", "01-10", "LOGIN", ACCT_A, COOKIE_A),
        ev("ann-identify", "01-11", "IDENTIFY", ACCT_A, EMAIL_A),
        ev("ann-view", "01-12", "PAGE_VIEW", COOKIE_A, EMAIL_A),
    ])  # fmt: skip
    data = await api.data(EXPLANATION, {"i": ACCT_A}, role="agent")
    explanation = data["resolve"]["person"]["explanation"]
    by_value = {i["identifier"]["value"]: i for i in explanation["identifiers"]}
    assert set(by_value) == {"acct-ann", "ck-ann", "ann.agent@example.com"}
    account_links = by_value["acct-ann"]["links"]
    assert [link["edge"]["target"]["value"] for link in account_links] == [
        "ck-ann",
        "ann.agent@example.com",
    ], "a login is stronger than an identify"
    assert [link["edge"]["kind"] for link in account_links] == ["LOGIN", "IDENTIFY"]
    strengths = [link["edge"]["strength"] for link in account_links]
    assert strengths == sorted(strengths, reverse=True)
    assert account_links[0]["evidenceEventIds"] == ["ann-login"]
    email_links = by_value["ann.agent@example.com"]["links"]
    assert {tuple(link["evidenceEventIds"]) for link in email_links} == {
        ("ann-identify",),
        ("ann-view",),
    }
