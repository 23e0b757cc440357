"""Guards the admin's corrections over HTTP where they used to surprise: a split reports every
person it leaves (and no event falls off every timeline), a merge across a cannot-link needs
`overrideCannotLink` and narrows the constraint instead of re-joining what the admin kept
apart, constraints are listed with their reason and audit entry, and dry runs answer the same
persons while the stored graph stays byte for byte the same."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import neo4j

from graph_identity.store.cypher import query

if TYPE_CHECKING:
    from tests.api.conftest import Api
    from tests.conftest import Neo4jServer

ACCOUNT = {"type": "ACCOUNT", "value": "acct-bridge"}
EMAIL = {"type": "EMAIL", "value": "bridge@example.com"}
PHONE = {"type": "PHONE", "value": "+14155550177"}
COOKIE = {"type": "COOKIE", "value": "ck-bridge"}
EVENTS = [
    {"id": "br-identify-account", "at": "2026-01-10T09:00:00+00:00", "type": "IDENTIFY",
     "identifiers": [ACCOUNT, EMAIL]},
    {"id": "br-identify-form", "at": "2026-01-10T09:05:00+00:00", "type": "IDENTIFY",
     "identifiers": [EMAIL, PHONE, COOKIE]},
    {"id": "br-view", "at": "2026-01-10T09:06:00+00:00", "type": "PAGE_VIEW",
     "identifiers": [COOKIE]},
]  # fmt: skip

PERSON = "id identifiers { type value shared } events { edges { node { id } } }"
SPLIT = f"""
mutation($id: ID!, $dry: Boolean) {{
  splitPerson(personId: $id, identifiers: [{{type: EMAIL, value: "bridge@example.com"}}],
              reason: "shared family inbox", dryRun: $dry) {{
    kept {{ id }} split {{ id }} persons {{ {PERSON} }}
  }}
}}
"""
MERGE = f"""
mutation($ids: [ID!]!, $dry: Boolean, $override: Boolean) {{
  mergePersons(personIds: $ids, reason: "same customer after all", dryRun: $dry,
               overrideCannotLink: $override) {{ {PERSON} }}
}}
"""
RESOLVE = "query($i: IdentifierInput!) { resolve(identifier: $i) { person { id } } }"
CONSTRAINTS = """
query($first: Int, $after: String) {
  constraints(first: $first, after: $after) {
    edges { node { id kind active reason auditId createdAt sides { type value } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
AUDIT = "{ auditLog(first: 5) { edges { node { id action personIds details } } } }"


async def owner(api: Api, identifier: dict[str, str]) -> str:
    return str((await api.data(RESOLVE, {"i": identifier}))["resolve"]["person"]["id"])


def keys(person: dict[str, Any]) -> set[str]:
    return {f"{i['type']}:{i['value']}" for i in person["identifiers"] if not i["shared"]}


async def snapshot(driver: neo4j.AsyncDriver, server: Neo4jServer) -> tuple[list[str], list[str]]:
    records, _, _ = await driver.execute_query(query("testing/snapshot"), database_=server.database)
    row = records[0]
    return sorted(map(repr, row["nodes"])), sorted(map(repr, row["rels"]))


async def split_bridge(api: Api, *, dry: bool = False) -> dict[str, Any]:
    await api.ingest(EVENTS)
    person = await owner(api, ACCOUNT)
    assert await owner(api, COOKIE) == person
    result: dict[str, Any] = (await api.data(SPLIT, {"id": person, "dry": dry}))["splitPerson"]
    return result


async def test_a_split_reports_every_person_and_keeps_every_event(api: Api, clean_db: None) -> None:
    result = await split_bridge(api)
    persons = result["persons"]
    assert [p["id"] for p in persons[:2]] == [result["kept"]["id"], result["split"]["id"]]
    assert [keys(p) for p in persons] == [
        {"ACCOUNT:acct-bridge"},
        {"EMAIL:bridge@example.com"},
        {"PHONE:+14155550177", "COOKIE:ck-bridge"},
    ]
    on_timelines = {e["node"]["id"] for p in persons for e in p["events"]["edges"]}
    assert on_timelines >= {"br-identify-form", "br-view"}, "no event falls off every timeline"
    entry = (await api.data(AUDIT))["auditLog"]["edges"][0]["node"]
    assert entry["personIds"] == [p["id"] for p in persons]


async def test_a_merge_across_a_cannot_link_needs_the_override(api: Api, clean_db: None) -> None:
    result = await split_bridge(api)
    kept, email_side, third = (p["id"] for p in result["persons"])
    split_audit = (await api.data(AUDIT))["auditLog"]["edges"][0]["node"]["id"]
    listed = [e["node"] for e in (await api.data(CONSTRAINTS))["constraints"]["edges"]]
    cannot = next(c for c in listed if c["kind"] == "CANNOT_LINK")
    assert cannot["active"] and cannot["reason"] == "shared family inbox"
    assert cannot["auditId"] == split_audit
    assert cannot["sides"] == [
        [EMAIL],
        [ACCOUNT, COOKIE, {"type": "PHONE", "value": "+14155550177"}],
    ]

    refused = await api.gql(MERGE, {"ids": [email_side, third]})
    assert api.codes(refused) == ["BAD_USER_INPUT"]
    assert "overrideCannotLink" in refused["errors"][0]["message"]
    assert cannot["id"] in refused["errors"][0]["message"]
    assert await owner(api, EMAIL) == email_side, "a refused merge writes nothing"

    merged = await api.data(MERGE, {"ids": [email_side, third], "override": True})
    person = merged["mergePersons"]
    assert person["id"] in (email_side, third), "the survivor is one the admin named"
    assert keys(person) == {"EMAIL:bridge@example.com", "PHONE:+14155550177", "COOKIE:ck-bridge"}
    assert await owner(api, ACCOUNT) == kept, "the piece that kept the id stays apart"
    entry = (await api.data(AUDIT))["auditLog"]["edges"][0]["node"]
    assert entry["action"] == "MERGE"
    assert entry["details"]["overriddenCannotLinks"] == [cannot["id"]]
    now = {
        c["id"]: c
        for c in (e["node"] for e in (await api.data(CONSTRAINTS))["constraints"]["edges"])
    }
    assert now[cannot["id"]]["active"] is False
    narrowed = [c for c in now.values() if c["kind"] == "CANNOT_LINK" and c["active"]]
    assert [c["sides"] for c in narrowed] == [[[EMAIL], [ACCOUNT]]]
    assert narrowed[0]["auditId"] == entry["id"]

    undo = 'mutation($a: ID!) { undo(auditId: $a, reason: "merged too soon") { id } }'
    await api.data(undo, {"a": entry["id"]})
    after = {
        c["id"]: c["active"]
        for c in (e["node"] for e in (await api.data(CONSTRAINTS))["constraints"]["edges"])
    }
    assert after[cannot["id"]] is True and after[narrowed[0]["id"]] is False
    assert await owner(api, EMAIL) != await owner(api, PHONE), "the split holds again"


async def test_constraints_page(api: Api, clean_db: None) -> None:
    await split_bridge(api)
    first = (await api.data(CONSTRAINTS, {"first": 1}))["constraints"]
    assert len(first["edges"]) == 1 and first["pageInfo"]["hasNextPage"] is False
    assert api.codes(await api.gql(CONSTRAINTS, role="fraud")) == ["FORBIDDEN"]


async def test_dry_runs_write_nothing_and_answer_the_same(
    api: Api, clean_db: None, driver: neo4j.AsyncDriver, neo4j_server: Neo4jServer
) -> None:
    await api.ingest(EVENTS)
    person = await owner(api, ACCOUNT)
    before = await snapshot(driver, neo4j_server)
    preview = (await api.data(SPLIT, {"id": person, "dry": True}))["splitPerson"]
    assert await snapshot(driver, neo4j_server) == before, "a dry-run split writes nothing"
    done = (await api.data(SPLIT, {"id": person, "dry": False}))["splitPerson"]
    assert [keys(p) for p in preview["persons"]] == [keys(p) for p in done["persons"]]
    assert preview["kept"]["id"] == done["kept"]["id"] == person

    _, email_side, third = (p["id"] for p in done["persons"])
    before = await snapshot(driver, neo4j_server)
    variables = {"ids": [email_side, third], "dry": True, "override": True}
    merged = (await api.data(MERGE, variables))["mergePersons"]
    assert keys(merged) == {"EMAIL:bridge@example.com", "PHONE:+14155550177", "COOKIE:ck-bridge"}
    assert await snapshot(driver, neo4j_server) == before, "a dry-run merge writes nothing"
    refused = await api.gql(MERGE, {"ids": [email_side, third], "dry": True})
    assert api.codes(refused) == ["BAD_USER_INPUT"], "a dry run refuses what the real one would"
