"""Guards OIDC over HTTP against a loopback identity provider: access tokens map to roles and
are refused when expired or meant for someone else, the audit log names the token's subject,
and a LOGIN whose idToken names its ACCOUNT becomes a verified link."""

from __future__ import annotations

import time
from datetime import UTC, datetime
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


def login(
    event_id: str, account: str, cookie: str, id_token: str, at: float | None = None
) -> dict[str, Any]:
    moment = datetime.fromtimestamp(time.time() if at is None else at, UTC)
    return {
        "id": event_id,
        "at": moment.isoformat(),
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
    kinds = {account: await login_kind(api, account) for account in ("acc-v", "acc-u", "acc-g")}
    assert kinds == {"acc-v": "VERIFIED_LOGIN", "acc-u": "LOGIN", "acc-g": "LOGIN"}


async def login_kind(api: Api, account: str) -> str:
    graph = await api.data(NEIGHBORHOOD, {"i": {"type": "ACCOUNT", "value": account}}, role="fraud")
    (edge,) = graph["neighborhood"]["edges"]
    return str(edge["kind"])


def id_token_cases(oidc: Oidc, now: int) -> list[tuple[str, str, float, bool]]:
    """(description, token for the account named by the description, event time, verified)."""
    hour_ago = now - 3600
    return [
        ("good", oidc.token(sub="good", aud="web-app"), now, True),
        ("second client", oidc.token(sub="second client", aud="mobile-app"), now, True),
        ("another client", oidc.token(sub="another client", aud="other-app"), now, False),
        ("access token for this api",
         oidc.token(sub="access token for this api", aud=AUDIENCE, roles=["admin"]), now, False),
        ("at+jwt", oidc.token(headers={"typ": "at+jwt"}, sub="at+jwt", aud="web-app"), now, False),
        ("scope claim", oidc.token(sub="scope claim", aud="web-app", scope="openid"), now, False),
        ("token_use access",
         oidc.token(sub="token_use access", aud="web-app", token_use="access"), now, False),
        ("two audiences no azp",
         oidc.token(sub="two audiences no azp", aud=["web-app", "x"]), now, False),
        ("two audiences azp ours",
         oidc.token(sub="two audiences azp ours", aud=["web-app", "x"], azp="web-app"), now, True),
        ("one audience azp another client",
         oidc.token(sub="one audience azp another client", aud="web-app", azp="other-app"), now,
         False),
        ("one audience azp ours",
         oidc.token(sub="one audience azp ours", aud="web-app", azp="web-app"), now, True),
        ("event dated 2019", oidc.token(sub="event dated 2019", aud="web-app"), 1_560_000_000,
         False),
        ("old auth_time",
         oidc.token(sub="old auth_time", aud="web-app", auth_time=now - 86400), now, False),
        ("expired before the event",
         oidc.token(sub="expired before the event", aud="web-app", iat=now - 400, exp=now - 60),
         now, False),
        ("delivered an hour late",
         oidc.token(sub="delivered an hour late", aud="web-app", iat=hour_ago,
                    exp=hour_ago + 300), hour_ago + 10, True),
    ]  # fmt: skip


async def test_id_token_rules(api: Api, clean_db: None, oidc: Oidc) -> None:
    cases = id_token_cases(oidc, int(time.time()))
    events = [
        login(f"rule-{n}", name, f"ck-rule-{n}", token, at)
        for n, (name, token, at, _) in enumerate(cases)
    ]
    assert (await api.ingest(events))["accepted"] == len(cases)
    kinds = {name: await login_kind(api, name) for name, _, _, _ in cases}
    expected = {name: "VERIFIED_LOGIN" if ok else "LOGIN" for name, _, _, ok in cases}
    assert kinds == expected


async def test_an_id_token_replayed_on_another_device_does_not_verify(
    api: Api, clean_db: None, oidc: Oidc
) -> None:
    token = oidc.token(sub="replayed", aud="web-app")
    await api.ingest([login("rp-1", "replayed", "ck-rp-1", token)])
    await api.ingest([login("rp-1b", "replayed", "ck-rp-1", token)])  # same device: fine
    await api.ingest([login("rp-2", "replayed", "ck-rp-2", token)])
    graph = await api.data(
        NEIGHBORHOOD, {"i": {"type": "ACCOUNT", "value": "replayed"}}, role="fraud"
    )
    kinds = {
        e["target"]["value"] + e["source"]["value"]: e["kind"]
        for e in graph["neighborhood"]["edges"]
    }
    assert sorted(kinds.values()) == ["LOGIN", "VERIFIED_LOGIN"], kinds
