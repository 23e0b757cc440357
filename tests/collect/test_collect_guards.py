"""Guards what protects the source: rate limits per write key and per client address (429
with Retry-After), CORS for the configured origins only, and that browser-sent claims stay
claims (only a verified ID token makes a login VERIFIED; an admin's split is not undone)."""

from __future__ import annotations

import uuid

import httpx

from graph_identity.app.collect import KINDS
from tests.api.conftest import Oidc
from tests.collect.conftest import ALLOWED_ORIGIN, Collector, basic
from tests.conftest import Neo4jServer, neo4j_settings, serving


def ident() -> str:
    return uuid.uuid4().hex[:12]


def test_a_write_key_over_its_rate_limit_gets_429(collector: Collector) -> None:
    batch = [{"type": "page", "anonymousId": f"rl-{ident()}"} for _ in range(4)]
    assert collector.send("batch", {"batch": batch}, source="capped").status_code == 200
    over = collector.send("batch", {"batch": batch[:2]}, source="capped")
    assert over.status_code == 429
    assert int(over.headers["retry-after"]) >= 1
    assert "5 messages a minute for this write key" in over.json()["message"]
    assert collector.send("batch", {"batch": batch[:2]}, source="web").status_code == 200


def test_a_client_address_over_its_rate_limit_gets_429(neo4j_server: Neo4jServer) -> None:
    key = "wk-address-test"
    settings = neo4j_settings(
        neo4j_server,
        GRAPH_IDENTITY_API_KEYS=f"source:{key}",
        GRAPH_IDENTITY_COLLECT_ADDRESS_LIMIT=3,
    )
    with serving(settings) as url:
        send = lambda n: httpx.post(  # noqa: E731
            f"{url}/v1/batch",
            json={"batch": [{"type": "page", "anonymousId": f"ad-{ident()}"}] * n},
            headers=basic(key),
        )
        assert send(3).status_code == 200
        over = send(1)
    assert over.status_code == 429
    assert "3 messages a minute per address" in over.json()["message"]


def test_cors_allows_the_configured_origin_only(collector: Collector) -> None:
    preflight = {"Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization,content-type"}  # fmt: skip
    allowed = httpx.options(
        f"{collector.url}/v1/batch", headers={"Origin": ALLOWED_ORIGIN, **preflight}
    )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    stranger = httpx.options(
        f"{collector.url}/v1/batch", headers={"Origin": "https://evil.example", **preflight}
    )
    assert stranger.status_code == 400
    assert "access-control-allow-origin" not in stranger.headers
    message = {"type": "page", "anonymousId": f"o-{ident()}"}
    ok = collector.send("page", message, headers={"Origin": ALLOWED_ORIGIN})
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    # a simple (text/plain) request skips the preflight: the source refuses it itself
    refused = collector.send(
        "page", message, headers={"Origin": "https://evil.example", "Content-Type": "text/plain"}
    )
    assert refused.status_code == 403
    assert collector.person_of("COOKIE", message["anonymousId"]) is not None  # only the first


def test_every_endpoint_answers(collector: Collector) -> None:
    anon = f"all-{ident()}"
    for kind in KINDS:
        body = {"anonymousId": anon, "userId": f"u-{anon}", "event": "E", "previousId": anon}
        if kind == "batch":
            body = {"batch": [{"type": "page", "anonymousId": anon}]}
        response = collector.send(kind, body)
        assert response.status_code == 200, (kind, response.text)
        assert response.json()["success"] is True
    assert collector.send("nothing", {"anonymousId": anon}).status_code == 404


def sign_in(collector: Collector, user: str, cookie: str, token: str | None) -> None:
    context = {"idToken": token} if token else {}
    message = {"userId": user, "anonymousId": cookie, "event": "Signed In", "context": context}
    answer = collector.send("track", message)
    assert answer.status_code == 200 and answer.json()["accepted"] == 1, answer.text


def test_only_a_verified_id_token_makes_a_browser_login_verified(
    collector: Collector, oidc: Oidc
) -> None:
    plain, verified, cookie = f"acc-{ident()}", f"acc-{ident()}", f"ck-{ident()}"
    sign_in(collector, plain, f"{cookie}-a", None)
    sign_in(collector, verified, f"{cookie}-b", oidc.token(sub=verified, aud="web-app"))
    forged = f"acc-{ident()}"
    sign_in(collector, forged, f"{cookie}-c", oidc.token(sub="someone-else", aud="web-app"))
    assurance = {
        account: collector.data(
            "query($i: IdentifierInput!) { resolve(identifier: $i) { assurance } }",
            {"i": {"type": "COOKIE", "value": c}},
        )["resolve"]["assurance"]
        for account, c in ((plain, f"{cookie}-a"), (verified, f"{cookie}-b"),
                           (forged, f"{cookie}-c"))
    }  # fmt: skip
    assert assurance[verified] == "VERIFIED"
    assert assurance[plain] != "VERIFIED" and assurance[forged] != "VERIFIED"


def test_a_browser_claim_does_not_undo_an_admin_split(collector: Collector) -> None:
    email, phone = f"{ident()}@example.com", "+1 202 555 0199"
    first = {"anonymousId": f"ck-{ident()}", "traits": {"email": email, "phone": phone}}
    assert collector.send("identify", first).status_code == 200
    person = collector.person_of("EMAIL", email)
    assert person is not None
    split = collector.data(
        "mutation($p: ID!, $i: [IdentifierInput!]!) { splitPerson(personId: $p, identifiers: $i,"
        ' reason: "two people") { split { id } } }',
        {"p": person["id"], "i": [{"type": "PHONE", "value": phone}]},
    )
    apart = split["splitPerson"]["split"]["id"]
    again = {"anonymousId": f"ck-{ident()}", "traits": {"email": email, "phone": phone}}
    assert collector.send("identify", again).json()["accepted"] == 1
    by_email, by_phone = collector.person_of("EMAIL", email), collector.person_of("PHONE", phone)
    assert by_email is not None and by_phone is not None
    assert by_phone["id"] == apart and by_email["id"] != apart
