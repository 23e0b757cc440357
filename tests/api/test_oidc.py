"""Guards OIDC over HTTP against a loopback identity provider: access tokens map to roles and
are refused when expired or meant for someone else, the audit log names the token's subject,
and a LOGIN whose idToken names its ACCOUNT becomes a verified link."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.api.conftest import Api, Oidc

AUDIENCE = "graph-identity-api"
SHARED = "{ sharedIdentifiers { edges { cursor } } }"
NEIGHBORHOOD = """
query($i: IdentifierInput!) {
  neighborhood(identifier: $i, hops: 1) {
    edges { source { type value } target { type value } kind }
  }
}
"""


def login(event_id: str, account: str, cookie: str, id_token: str) -> dict[str, Any]:
    return {
        "id": event_id,
        "at": "2026-01-05T10:00:00Z",
        "type": "LOGIN",
        "identifiers": [{"type": "ACCOUNT", "value": account}, {"type": "COOKIE", "value": cookie}],
        "idToken": id_token,
    }


async def test_access_token_roles(api: Api, clean_db: None, oidc: Oidc) -> None:
    fraud = oidc.token(sub="fran", aud=AUDIENCE, roles=["fraud"])
    body = await api.gql(SHARED, token=fraud)
    assert "errors" not in body
    body = await api.gql(
        'mutation { forgetPerson(personId: "p", reason: "x") { personId } }', token=fraud
    )
    assert api.codes(body) == ["FORBIDDEN"]
    nobody = oidc.token(sub="nobody", aud=AUDIENCE, roles=["viewer"])
    assert api.codes(await api.gql('{ person(id: "p") { id } }', token=nobody)) == ["FORBIDDEN"]


async def test_bad_access_tokens_are_401(api: Api, oidc: Oidc) -> None:
    expired = oidc.token(sub="fran", aud=AUDIENCE, roles=["fraud"], exp=int(time.time()) - 600)
    elsewhere = oidc.token(sub="fran", aud="another-api", roles=["fraud"])
    for token in (expired, elsewhere):
        response = await api.post({"query": SHARED}, token=token)
        assert response.status_code == 401
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_audit_names_the_token_subject(api: Api, clean_db: None, oidc: Oidc) -> None:
    admin = oidc.token(sub="alice", aud=AUDIENCE, roles=["admin"])
    await api.ingest(
        [
            {"id": "x-1", "at": "2026-01-05T10:00:00Z", "type": "FORM_SUBMIT",
             "identifiers": [{"type": "EMAIL", "value": "x@example.com"}]},
            {"id": "y-1", "at": "2026-01-05T11:00:00Z", "type": "FORM_SUBMIT",
             "identifiers": [{"type": "EMAIL", "value": "y@example.com"}]},
        ]
    )  # fmt: skip
    ids = []
    for value in ("x@example.com", "y@example.com"):
        data = await api.data(
            "query($i: IdentifierInput!) { resolve(identifier: $i) { person { id } } }",
            {"i": {"type": "EMAIL", "value": value}},
        )
        ids.append(data["resolve"]["person"]["id"])
    body = await api.gql(
        'mutation($ids: [ID!]!) { mergePersons(personIds: $ids, reason: "same") { id } }',
        {"ids": ids},
        token=admin,
    )
    assert "errors" not in body, body
    log = await api.data("{ auditLog(first: 1) { edges { node { actor action } } } }")
    assert log["auditLog"]["edges"][0]["node"] == {"actor": "oidc:alice", "action": "MERGE"}


async def test_login_with_a_valid_id_token_is_verified(
    api: Api, clean_db: None, oidc: Oidc
) -> None:
    good = oidc.token(sub="acc-v", aud="web-app")
    someone_else = oidc.token(sub="acc-other", aud="web-app")
    result = await api.ingest(
        [
            login("v-1", "acc-v", "ck-v", good),
            login("u-1", "acc-u", "ck-u", someone_else),
            login("g-1", "acc-g", "ck-g", "garbage"),
        ]
    )
    assert result == {"accepted": 3, "duplicates": 0, "rejected": []}
    kinds = {}
    for account in ("acc-v", "acc-u", "acc-g"):
        graph = await api.data(
            NEIGHBORHOOD, {"i": {"type": "ACCOUNT", "value": account}}, role="fraud"
        )
        (edge,) = graph["neighborhood"]["edges"]
        kinds[account] = edge["kind"]
    assert kinds == {"acc-v": "VERIFIED_LOGIN", "acc-u": "LOGIN", "acc-g": "LOGIN"}
