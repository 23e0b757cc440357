"""Guards consent over HTTP: the standing decision per purpose is the latest by event time
(granted, revoked, re-granted, late deliveries honoured), a revoked purpose withholds the person
from ``person`` and ``resolve`` while another purpose still answers, the purpose comes from the
argument or X-Purpose (conflicts are bad input, unbound purposes forbidden), bad CONSENT events
are refused naming the field, and merges and undo recompute consent."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.api.conftest import Api, NodeCount

ANA = {"type": "EMAIL", "value": "ana@example.com"}
BEA = {"type": "EMAIL", "value": "bea@example.com"}
PERSON = """
query($id: ID!, $purpose: Purpose) {
  person(id: $id, purpose: $purpose) { id consent { purpose granted at eventId } }
}
"""
RESOLVE = """
query($i: IdentifierInput!, $purpose: Purpose) {
  resolve(identifier: $i, purpose: $purpose) {
    person { id } confidence withheld candidates { person { id } }
  }
}
"""
MERGE = 'mutation($ids: [ID!]!) { mergePersons(personIds: $ids, reason: "same") { id } }'


def form(event_id: str, time: str, who: dict[str, str]) -> dict[str, Any]:
    return {"id": event_id, "at": f"2026-01-05T{time}:00Z", "type": "FORM_SUBMIT",
            "identifiers": [who]}  # fmt: skip


def consent(
    event_id: str, time: str, who: dict[str, str], purpose: str, granted: Any
) -> dict[str, Any]:
    decision = {"purpose": purpose, "granted": granted}
    return {"id": event_id, "at": f"2026-01-05T{time}:00Z", "type": "CONSENT",
            "identifiers": [who], "attributes": decision}  # fmt: skip


async def person_id(api: Api, who: dict[str, str]) -> str:
    data = await api.data(RESOLVE, {"i": who}, role="agent")
    found: str = data["resolve"]["person"]["id"]
    return found


async def read(api: Api, pid: str, purpose: str | None, **kw: Any) -> dict[str, Any]:
    return await api.gql(PERSON, {"id": pid, "purpose": purpose}, role="agent", **kw)


async def assert_withheld(api: Api, pid: str, who: dict[str, str], purpose: str) -> None:
    body = await read(api, pid, purpose)
    assert body["data"]["person"] is None
    assert api.codes(body) == ["CONSENT_WITHHELD"]
    resolved = (await api.data(RESOLVE, {"i": who, "purpose": purpose}, role="agent"))["resolve"]
    assert resolved["person"] is None
    assert resolved["withheld"] == "CONSENT"
    assert resolved["candidates"] == []  # nothing else of the person either


async def assert_answers(api: Api, pid: str, who: dict[str, str], purpose: str) -> None:
    body = await read(api, pid, purpose)
    assert "errors" not in body, body
    assert body["data"]["person"]["id"] == pid
    resolved = (await api.data(RESOLVE, {"i": who, "purpose": purpose}, role="agent"))["resolve"]
    assert resolved["person"] == {"id": pid}
    assert resolved["withheld"] is None


async def marketing(api: Api, pid: str) -> dict[str, Any] | None:
    """The standing MARKETING decision, read for SERVICE (always allowed)."""
    data = (await read(api, pid, "SERVICE"))["data"]["person"]
    states = [s for s in data["consent"] if s["purpose"] == "MARKETING"]
    return states[0] if states else None


async def test_granted_revoked_regranted_and_late(api: Api, clean_db: None) -> None:
    await api.ingest([form("f-1", "09:00", ANA)])
    pid = await person_id(api, ANA)
    await assert_withheld(api, pid, ANA, "MARKETING")  # no decision: MARKETING defaults to deny
    await assert_answers(api, pid, ANA, "PERSONALIZATION")  # ... PERSONALIZATION to grant

    await api.ingest([consent("c-grant", "10:00", ANA, "MARKETING", True)])
    await assert_answers(api, pid, ANA, "MARKETING")
    assert await marketing(api, pid) == {
        "purpose": "MARKETING", "granted": True, "at": "2026-01-05T10:00:00+00:00",
        "eventId": "c-grant",
    }  # fmt: skip

    await api.ingest([consent("c-revoke", "12:00", ANA, "MARKETING", False)])
    await assert_withheld(api, pid, ANA, "MARKETING")
    await assert_answers(api, pid, ANA, "SERVICE")  # another purpose still answers
    await assert_answers(api, pid, ANA, "PERSONALIZATION")

    # a grant delivered late but given before the revocation does not undo it
    await api.ingest([consent("c-late", "11:00", ANA, "MARKETING", True)])
    await assert_withheld(api, pid, ANA, "MARKETING")
    assert (await marketing(api, pid) or {})["eventId"] == "c-revoke"

    await api.ingest([consent("c-again", "13:00", ANA, "MARKETING", True)])
    await assert_answers(api, pid, ANA, "MARKETING")
    assert (await marketing(api, pid) or {})["eventId"] == "c-again"


async def test_consent_on_a_shared_tablet_follows_the_session(api: Api, clean_db: None) -> None:
    tablet = {"type": "COOKIE", "value": "ck-family-tablet"}
    wife, husband = {"type": "ACCOUNT", "value": "acc-w"}, {"type": "ACCOUNT", "value": "acc-h"}
    await api.ingest(
        [
            {"id": "w-in", "at": "2026-01-05T10:00:00Z", "type": "LOGIN",
             "identifiers": [wife, tablet]},
            consent("w-yes", "10:05", tablet, "MARKETING", True),
            {"id": "w-out", "at": "2026-01-05T10:20:00Z", "type": "LOGOUT",
             "identifiers": [wife, tablet]},
            {"id": "h-in", "at": "2026-01-05T19:00:00Z", "type": "LOGIN",
             "identifiers": [husband, tablet]},
            consent("h-no", "19:05", tablet, "PERSONALIZATION", False),
        ]
    )  # fmt: skip
    w, h = await person_id(api, wife), await person_id(api, husband)
    assert w != h
    await assert_answers(api, w, wife, "MARKETING")
    await assert_answers(api, w, wife, "PERSONALIZATION")
    await assert_withheld(api, h, husband, "MARKETING")  # the wife's grant is not his
    await assert_withheld(api, h, husband, "PERSONALIZATION")


async def test_revoked_service_still_answers(api: Api, clean_db: None) -> None:
    await api.ingest([form("f-1", "09:00", ANA), consent("c-1", "10:00", ANA, "SERVICE", False)])
    pid = await person_id(api, ANA)
    await assert_answers(api, pid, ANA, "SERVICE")
    await assert_answers(api, pid, ANA, "FRAUD_PREVENTION")
    states = (await read(api, pid, "SERVICE"))["data"]["person"]["consent"]
    assert [(s["purpose"], s["granted"]) for s in states] == [("SERVICE", False)]


async def test_purpose_from_the_header(api: Api, clean_db: None) -> None:
    await api.ingest([form("f-1", "09:00", ANA), consent("c-1", "10:00", ANA, "ANALYTICS", False)])
    pid = await person_id(api, ANA)
    body = await read(api, pid, None, headers={"X-Purpose": "ANALYTICS"})
    assert api.codes(body) == ["CONSENT_WITHHELD"]
    body = await read(api, pid, None, headers={"X-Purpose": "service"})
    assert body["data"]["person"]["id"] == pid
    body = await read(api, pid, "ANALYTICS", headers={"X-Purpose": "ANALYTICS"})
    assert api.codes(body) == ["CONSENT_WITHHELD"]  # the same purpose twice is no conflict

    conflict = await read(api, pid, "SERVICE", headers={"X-Purpose": "ANALYTICS"})
    unknown = await read(api, pid, None, headers={"X-Purpose": "GOSSIP"})
    for body, field in ((conflict, "purpose"), (unknown, "X-Purpose")):
        assert body["data"]["person"] is None
        assert api.codes(body) == ["BAD_USER_INPUT"]
        assert body["errors"][0]["extensions"]["field"] == field


async def test_keys_bound_to_purposes(governed_api: Api, clean_db: None) -> None:
    api = governed_api
    await api.ingest([form("f-1", "09:00", ANA), consent("c-1", "10:00", ANA, "MARKETING", True)])
    pid = await person_id(api, ANA)
    refused = await api.gql(PERSON, {"id": pid, "purpose": "MARKETING"}, role="desk")
    assert api.codes(refused) == ["FORBIDDEN"]
    assert refused["data"]["person"] is None
    # no purpose given: the key's first purpose (SERVICE for the desk, MARKETING here)
    for role in ("desk", "campaigns"):
        body = await api.gql(PERSON, {"id": pid}, role=role)
        assert body["data"]["person"]["id"] == pid, body
    body = await api.gql(PERSON, {"id": pid}, role="campaigns", headers={"X-Purpose": "SERVICE"})
    assert api.codes(body) == ["FORBIDDEN"]


async def test_bad_consent_events_are_refused(
    api: Api, clean_db: None, node_count: NodeCount
) -> None:
    before = await node_count()
    result = await api.ingest(
        [
            consent("c-purpose", "10:00", ANA, "GOSSIP", True),
            consent("c-granted", "10:00", ANA, "MARKETING", "yes"),
            {**consent("c-none", "10:00", ANA, "MARKETING", True), "attributes": None},
        ]
    )
    assert result["accepted"] == 0
    reasons = {r["eventId"]: r["reason"] for r in result["rejected"]}
    assert reasons["c-purpose"].startswith("attributes.purpose:")
    assert reasons["c-granted"].startswith("attributes.granted:")
    assert reasons["c-none"].startswith("attributes:")
    assert await node_count() == before


async def test_merge_and_undo_recompute_consent(api: Api, clean_db: None) -> None:
    await api.ingest(
        [
            form("f-a", "09:00", ANA),
            form("f-b", "09:00", BEA),
            consent("c-a", "12:00", ANA, "MARKETING", False),
            consent("c-b", "11:00", BEA, "MARKETING", True),
        ]
    )
    a, b = await person_id(api, ANA), await person_id(api, BEA)
    await assert_withheld(api, a, ANA, "MARKETING")
    await assert_answers(api, b, BEA, "MARKETING")
    merged = (await api.data(MERGE, {"ids": [a, b]}))["mergePersons"]["id"]
    # the latest decision of the two wins: the revocation at 12:00
    await assert_withheld(api, merged, BEA, "MARKETING")
    assert (await marketing(api, merged) or {})["eventId"] == "c-a"
    log = await api.data("{ auditLog(first: 1) { edges { node { id } } } }")
    audit_id = log["auditLog"]["edges"][0]["node"]["id"]
    await api.data(
        'mutation($id: ID!) { undo(auditId: $id, reason: "wrong") { id } }', {"id": audit_id}
    )
    await assert_answers(api, await person_id(api, BEA), BEA, "MARKETING")
    await assert_withheld(api, await person_id(api, ANA), ANA, "MARKETING")
