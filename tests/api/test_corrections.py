"""Guards the admin corrections over HTTP: split keeps the id on the unnamed side and holds
against later events, merge keeps the older id and aliases the other, forget erases for good,
and every one is in the audit log (who, when, why); splits and merges can be undone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.api.conftest import Api

ACC_A = {"type": "ACCOUNT", "value": "acc-a"}
EMAIL_A = {"type": "EMAIL", "value": "a@example.com"}
PHONE_A = {"type": "PHONE", "value": "+14155550101"}
COOKIE_A = {"type": "COOKIE", "value": "ck-a"}
EMAIL_B = {"type": "EMAIL", "value": "b@example.com"}
PHONE_B = {"type": "PHONE", "value": "+14155550102"}

PERSON_A = [
    {
        "id": "a-login",
        "at": "2026-01-05T09:00:00+00:00",
        "type": "LOGIN",
        "identifiers": [ACC_A, COOKIE_A],
    },
    {
        "id": "a-identify",
        "at": "2026-01-05T09:01:00+00:00",
        "type": "IDENTIFY",
        "identifiers": [ACC_A, EMAIL_A, PHONE_A],
    },
    {
        "id": "a-view",
        "at": "2026-01-05T09:02:00+00:00",
        "type": "PAGE_VIEW",
        "identifiers": [COOKIE_A],
    },
]
PERSON_B = [
    {
        "id": "b-form",
        "at": "2026-01-06T12:00:00+00:00",
        "type": "FORM_SUBMIT",
        "identifiers": [EMAIL_B, PHONE_B],
    },
]

RESOLVE = "query($i: IdentifierInput!) { resolve(identifier: $i) { person { id mergedIds } } }"
AUDIT = """
query($first: Int, $after: String) {
  auditLog(first: $first, after: $after) {
    edges { cursor node { id at action actor reason personIds details undoneBy } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
SPLIT = """
mutation($id: ID!, $ids: [IdentifierInput!]!, $reason: String!) {
  splitPerson(personId: $id, identifiers: $ids, reason: $reason) {
    kept { id identifiers { type value } }
    split { id identifiers { type value } }
  }
}
"""
MERGE = """
mutation($ids: [ID!]!) {
  mergePersons(personIds: $ids, reason: "same customer, two CRM records") {
    id mergedIds identifiers { type value }
  }
}
"""
UNDO = 'mutation($a: ID!) { undo(auditId: $a, reason: "reverted") { id action personIds } }'
FORGET = """
mutation($id: ID!) {
  forgetPerson(personId: $id, reason: "erasure request #12") {
    personId identifiersRemoved eventsRemoved auditId
  }
}
"""


async def owner(api: Api, identifier: dict[str, str]) -> str | None:
    person = (await api.data(RESOLVE, {"i": identifier}))["resolve"]["person"]
    return None if person is None else str(person["id"])


async def audit(api: Api, first: int = 50, after: str | None = None) -> dict[str, Any]:
    data = await api.data(AUDIT, {"first": first, "after": after})
    result: dict[str, Any] = data["auditLog"]
    return result


async def load(api: Api) -> tuple[str, str]:
    await api.ingest(PERSON_A)
    await api.ingest(PERSON_B)
    a, b = await owner(api, ACC_A), await owner(api, EMAIL_B)
    assert a is not None and b is not None and a != b
    return a, b


async def test_split_keeps_the_id_on_the_unnamed_side(api: Api, clean_db: None) -> None:
    a, _ = await load(api)
    variables = {"id": a, "ids": [EMAIL_A, PHONE_A], "reason": "CRM mixed two people"}
    result = (await api.data(SPLIT, variables))["splitPerson"]
    assert result["kept"]["id"] == a
    assert sorted(i["type"] for i in result["split"]["identifiers"]) == ["EMAIL", "PHONE"]
    assert EMAIL_A not in result["kept"]["identifiers"]
    assert await owner(api, EMAIL_A) == await owner(api, PHONE_A) == result["split"]["id"]

    replay = {**PERSON_A[1], "id": "a-identify-again", "at": "2026-01-07T09:00:00+00:00"}
    await api.ingest([replay])
    assert await owner(api, EMAIL_A) == result["split"]["id"], "the split holds"
    assert await owner(api, ACC_A) == a


async def test_split_of_a_single_identifier(api: Api, clean_db: None) -> None:
    a, _ = await load(api)
    variables = {"id": a, "ids": [PHONE_A], "reason": "old number"}
    result = (await api.data(SPLIT, variables))["splitPerson"]
    assert result["kept"]["id"] == a
    assert result["split"]["identifiers"] == [PHONE_A]


async def test_split_is_audited_and_undone(api: Api, clean_db: None) -> None:
    a, _ = await load(api)
    variables = {"id": a, "ids": [EMAIL_A, PHONE_A], "reason": "CRM mixed two people"}
    split = (await api.data(SPLIT, variables))["splitPerson"]["split"]["id"]
    entry = (await audit(api))["edges"][0]["node"]
    assert entry["action"] == "SPLIT"
    assert entry["reason"] == "CRM mixed two people"
    assert entry["actor"].startswith("api-key:admin:")
    assert set(entry["personIds"]) == {a, split}
    undo = (await api.data(UNDO, {"a": entry["id"]}))["undo"]
    assert undo["action"] == "UNDO"
    assert await owner(api, EMAIL_A) == a
    entries = [e["node"] for e in (await audit(api))["edges"]]
    assert [e["action"] for e in entries] == ["UNDO", "SPLIT"]
    assert entries[1]["undoneBy"] == undo["id"]


async def test_merge_keeps_the_older_id(api: Api, clean_db: None) -> None:
    a, b = await load(api)
    merged = (await api.data(MERGE, {"ids": [b, a]}))["mergePersons"]
    assert merged["id"] == a
    assert b in merged["mergedIds"]
    assert {"type": "EMAIL", "value": "b@example.com"} in merged["identifiers"]
    assert await owner(api, EMAIL_B) == a
    via_alias = await api.data("query($id: ID!) { person(id: $id) { id } }", {"id": b})
    assert via_alias["person"]["id"] == a, "a merged-away id answers with the survivor"

    entry = (await audit(api))["edges"][0]["node"]
    assert entry["action"] == "MERGE"
    await api.data(UNDO, {"a": entry["id"]})
    assert await owner(api, ACC_A) == a
    assert await owner(api, EMAIL_B) == b


async def test_forget_erases_for_good(api: Api, clean_db: None) -> None:
    a, b = await load(api)
    result = (await api.data(FORGET, {"id": a}))["forgetPerson"]
    assert result["personId"] == a
    assert result["identifiersRemoved"] >= 4
    assert result["eventsRemoved"] >= 3
    for identifier in (ACC_A, EMAIL_A, PHONE_A, COOKIE_A):
        assert await owner(api, identifier) is None
    assert (await api.data("query($id: ID!) { person(id: $id) { id } }", {"id": a})) == {
        "person": None
    }
    assert await owner(api, EMAIL_B) == b, "others are untouched"

    late = {**PERSON_A[1], "id": "a-identify-late", "at": "2026-01-08T09:00:00+00:00"}
    await api.ingest([late])
    for identifier in (ACC_A, EMAIL_A, PHONE_A):
        assert await owner(api, identifier) is None, "erased identifiers do not come back"

    entry = (await audit(api))["edges"][0]["node"]
    assert entry["action"] == "FORGET"
    assert entry["id"] == result["auditId"]
    assert "a@example.com" not in str(entry), "the audit log keeps no erased value"
    refused = await api.gql(UNDO, {"a": entry["id"]})
    assert api.codes(refused) == ["BAD_USER_INPUT"]


async def test_audit_log_pages(api: Api, clean_db: None) -> None:
    a, b = await load(api)
    await api.data(MERGE, {"ids": [a, b]})
    await api.data(UNDO, {"a": (await audit(api))["edges"][0]["node"]["id"]})
    first = await audit(api, first=1)
    assert len(first["edges"]) == 1
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["endCursor"] == first["edges"][0]["cursor"]
    rest = await audit(api, first=10, after=first["pageInfo"]["endCursor"])
    assert rest["pageInfo"]["hasNextPage"] is False
    ids = [e["node"]["id"] for e in first["edges"] + rest["edges"]]
    assert len(ids) == len(set(ids)) == len((await audit(api))["edges"])
