"""Guards the access log over HTTP: every read that returns a person's data (person, its
timeline, resolve, sharedIdentifiers, neighborhood, explain) is recorded with caller, role,
purpose and person ids and never an identifier value; withheld and refused reads are not;
admins read it by person and by caller; erasure leaves counts without ids; a rate-limited key
is refused with RATE_LIMITED and nothing else changes."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from tests.events import event as build

if TYPE_CHECKING:
    import neo4j

    from tests.api.conftest import Api, NodeCount
    from tests.conftest import Neo4jServer

ACC_A = {"type": "ACCOUNT", "value": "acc-alice"}
ACC_B = {"type": "ACCOUNT", "value": "acc-bob"}
EMAIL_A = {"type": "EMAIL", "value": "alice@example.com"}
TABLET = {"type": "COOKIE", "value": "ck-family-tablet"}
VALUES = ["acc-alice", "acc-bob", "alice@example.com", "ck-family-tablet"]
LOG = """
query($p: ID, $c: String) {
  accessLog(personId: $p, caller: $c, first: 50) {
    edges { node { at caller role purpose operation personIds personCount } }
  }
}
"""
RESOLVE = "query($i: IdentifierInput!) { resolve(identifier: $i) { person { id } } }"
READS = {
    "person": 'query($id: ID!) { person(id: $id) { id events(first: 5) { edges { cursor } } } }',
    "resolve": RESOLVE,
    "sharedIdentifiers": "{ sharedIdentifiers { edges { node { persons { id } } } } }",
    "neighborhood":
        "query($i: IdentifierInput!) { neighborhood(identifier: $i) { nodes { value } } }",
    "explain":
        "query($a: IdentifierInput!, $b: IdentifierInput!) { explain(a: $a, b: $b) { joined } }",
}  # fmt: skip


def ev(event_id: str, time: str, kind: str, *identifiers: dict[str, str]) -> dict[str, Any]:
    return build(event_id, f"2026-01-05T{time}:00Z", kind, *identifiers)


STORY = [
    ev("a-login", "10:00", "LOGIN", ACC_A, TABLET),
    ev("a-identify", "10:01", "IDENTIFY", ACC_A, EMAIL_A),
    ev("a-logout", "10:20", "LOGOUT", ACC_A, TABLET),
    ev("b-login", "19:00", "LOGIN", ACC_B, TABLET),
]


async def person_of(api: Api, identifier: dict[str, str]) -> str:
    found: str = (await api.data(RESOLVE, {"i": identifier}))["resolve"]["person"]["id"]
    return found


async def entries(api: Api, person: str | None = None, caller: str | None = None) -> list[Any]:
    data = await api.data(LOG, {"p": person, "c": caller})
    return [edge["node"] for edge in data["accessLog"]["edges"]]


async def stored_text(driver: neo4j.AsyncDriver, server: Neo4jServer) -> str:
    records, _, _ = await driver.execute_query(
        "MATCH (n) WHERE n:AccessEntry OR n:AccessedPerson RETURN properties(n) AS p",
        database_=server.database,
    )
    return json.dumps([r["p"] for r in records], default=str)


async def test_every_read_kind_is_logged_without_values(
    api: Api, clean_db: None, driver: neo4j.AsyncDriver, neo4j_server: Neo4jServer
) -> None:
    await api.ingest(STORY)
    alice, bob = await person_of(api, ACC_A), await person_of(api, ACC_B)
    assert await entries(api) != []  # the admin's own resolves are reads too
    caller = "api-key:fraud:"
    variables = {
        "person": {"id": alice},
        "resolve": {"i": EMAIL_A},
        "sharedIdentifiers": {},
        "neighborhood": {"i": ACC_A},
        "explain": {"a": ACC_A, "b": ACC_B},
    }
    for name, query in READS.items():
        body = await api.gql(
            query, variables[name], role="fraud", headers={"X-Purpose": "FRAUD_PREVENTION"}
        )
        assert "errors" not in body, body
    withheld = await api.gql(
        "query($id: ID!) { person(id: $id, purpose: MARKETING) { id } }",
        {"id": alice},
        role="fraud",
    )
    assert api.codes(withheld) == ["CONSENT_WITHHELD"]

    by_fraud = [e for e in await entries(api) if e["caller"].startswith(caller)]
    operations = {e["operation"]: e for e in by_fraud}
    assert set(operations) == {*READS, "person.events"}
    assert len(by_fraud) == len(operations)  # one entry each; the withheld read left none
    for entry in by_fraud:
        assert entry["role"] == "fraud"
        assert entry["purpose"] == "FRAUD_PREVENTION"
        assert alice in entry["personIds"]
        assert entry["personCount"] == len(entry["personIds"])
    assert set(operations["sharedIdentifiers"]["personIds"]) == {alice, bob}
    assert set(operations["explain"]["personIds"]) == {alice, bob}
    # per person and per caller
    about_bob = {
        e["operation"] for e in await entries(api, person=bob, caller=by_fraud[0]["caller"])
    }
    assert about_bob == {"sharedIdentifiers", "neighborhood", "explain"}
    assert await entries(api, caller="api-key:nobody") == []
    text = await stored_text(driver, neo4j_server)
    assert alice in text
    for value in VALUES:
        assert value not in text


async def test_erasure_keeps_counts_only(api: Api, clean_db: None) -> None:
    await api.ingest(STORY)
    alice = await person_of(api, ACC_A)
    await api.data(READS["person"], {"id": alice}, role="agent")
    before = await entries(api, person=alice)
    assert before
    await api.data(
        'mutation($id: ID!) { forgetPerson(personId: $id, reason: "erased") { personId } }',
        {"id": alice},
    )
    assert await entries(api, person=alice) == []
    after = await entries(api)
    assert all(alice not in e["personIds"] for e in after)
    kept = [e for e in after if e["operation"] == "person" and e["role"] == "agent"]
    assert [(e["personIds"], e["personCount"]) for e in kept] == [([], 1)]


async def test_reads_of_a_merged_away_id_follow_the_survivor(api: Api, clean_db: None) -> None:
    await api.ingest(STORY)
    alice, bob = await person_of(api, ACC_A), await person_of(api, ACC_B)
    await api.data(READS["person"], {"id": bob}, role="agent")
    merge = 'mutation($ids: [ID!]!) { mergePersons(personIds: $ids, reason: "same") { id } }'
    survivor = (await api.data(merge, {"ids": [alice, bob]}))["mergePersons"]["id"]
    gone = bob if survivor == alice else alice
    about = await entries(api, person=survivor)
    assert any(gone in e["personIds"] and e["role"] == "agent" for e in about)


async def test_rate_limited_key_is_refused(
    governed_api: Api, clean_db: None, node_count: NodeCount
) -> None:
    api = governed_api
    emails = [{"type": "EMAIL", "value": f"p{n}@example.com"} for n in range(4)]
    await api.ingest([ev(f"f{n}", "09:00", "FORM_SUBMIT", e) for n, e in enumerate(emails)])
    persons = [await person_of(api, e) for e in emails]
    query = "query($id: ID!) { person(id: $id) { id } }"
    for pid in persons[:3]:
        body = await api.gql(query, {"id": pid}, role="assistant")
        assert body["data"]["person"] == {"id": pid}, body
    nodes = await node_count()
    for pid in (persons[3], persons[0]):  # a fourth person, or the first again, in the minute
        refused = await api.gql(query, {"id": pid}, role="assistant")
        assert refused["data"]["person"] is None
        assert api.codes(refused) == ["RATE_LIMITED"]
        assert "3 persons a minute" in refused["errors"][0]["message"]
        assert refused["errors"][0]["extensions"]["retryAfterSeconds"] >= 1
    assert await node_count() == nodes  # no access log entry, nothing else written
    logged = await entries(api, caller="api-key:assistant")
    assert sorted(p for e in logged for p in e["personIds"]) == sorted(persons[:3])
    assert {(e["role"], e["purpose"]) for e in logged} == {("agent", "SERVICE")}
    other = await api.gql(query, {"id": persons[3]}, role="desk")  # other keys are unaffected
    assert other["data"]["person"] == {"id": persons[3]}
