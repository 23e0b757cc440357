"""Guards API key configuration: the old ``role:key`` form keeps working, the JSON form (in
the variable or a file) adds labels, purposes and rate limits, mistakes fail at start-up naming
the variable, labelled keys are named by their label, OIDC clients can be bound to purposes,
and the per-process rate limiter counts persons over a sliding minute."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from graph_identity.api.auth import Authenticator, Role
from graph_identity.api.governance import RateLimiter
from graph_identity.app.server import create_app
from graph_identity.domain.consent import Purpose
from graph_identity.keys import ApiKey, parse_api_keys
from graph_identity.settings import Settings

if TYPE_CHECKING:
    from tests.api.conftest import Oidc


def test_old_form() -> None:
    assert parse_api_keys("admin:K1, agent:K2", None) == [
        ApiKey(key="K1", role="admin"),
        ApiKey(key="K2", role="agent"),
    ]


def test_json_form_in_variable_and_file(tmp_path: Path) -> None:
    bot = {"key": "K1", "role": "agent", "label": "bot", "purposes": ["SERVICE"], "rate_limit": 5}
    file = tmp_path / "keys.json"
    file.write_text(json.dumps([{"key": "K2", "role": "fraud"}]))
    assert parse_api_keys(json.dumps([bot]), file) == [
        ApiKey("K1", "agent", "bot", (Purpose.SERVICE,), 5),
        ApiKey("K2", "fraud"),
    ]


@pytest.mark.parametrize(
    ("description", "text", "message"),
    [
        ("unknown role", "root:K1", "GRAPH_IDENTITY_API_KEYS: expected role:key"),
        ("not JSON", "[{", "GRAPH_IDENTITY_API_KEYS: not valid JSON"),
        ("not a list", "[1]", r"GRAPH_IDENTITY_API_KEYS\[0\]: expected an object"),
        ("no key", '[{"role": "agent"}]', r"GRAPH_IDENTITY_API_KEYS\[0\]\.key"),
        ("bad role", '[{"key": "K", "role": "x"}]', r"\[0\]\.role"),
        ("bad purpose", '[{"key": "K", "role": "agent", "purposes": ["GOSSIP"]}]', r"\.purposes"),
        ("no purposes", '[{"key": "K", "role": "agent", "purposes": []}]', r"\.purposes"),
        ("zero limit", '[{"key": "K", "role": "agent", "rate_limit": 0}]', r"\.rate_limit"),
        ("text limit", '[{"key": "K", "role": "agent", "rate_limit": "5"}]', r"\.rate_limit"),
        ("typo", '[{"key": "K", "role": "agent", "ratelimit": 5}]', "unknown fields"),
        ("twice", "agent:K,admin:K", "the same key is configured twice"),
        ("nameless source", '[{"key": "K", "role": "source"}]', r"\[0\]\.source"),
        ("source elsewhere", '[{"key": "K", "role": "agent", "source": "w"}]', r"\.source"),
        (
            "reading source",
            '[{"key": "K", "role": "source", "source": "w", "purposes": ["SERVICE"]}]',
            r"\.purposes",
        ),
    ],
)
def test_mistakes_fail_at_start_up(description: str, text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Authenticator(Settings(GRAPH_IDENTITY_API_KEYS=text))


def test_write_keys() -> None:
    entry = {"key": "K2", "role": "source", "source": "checkout", "rate_limit": 600}
    assert parse_api_keys("source:K1", None) == [ApiKey("K1", "source", source="default")]
    (key,) = parse_api_keys(json.dumps([entry]), None)
    assert key == ApiKey("K2", "source", rate_limit=600, source="checkout")
    assert key.is_write_key
    authenticator = Authenticator(Settings(GRAPH_IDENTITY_API_KEYS="source:K1,agent:K3"))
    assert authenticator.write_key("K1") == ApiKey("K1", "source", source="default")
    assert authenticator.write_key("K3") is None  # a reading key sends nothing


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"GRAPH_IDENTITY_SHOP_WRITE_KEY": "agent-key"}, "GRAPH_IDENTITY_SHOP_WRITE_KEY"),
        ({"GRAPH_IDENTITY_COLLECT_ORIGINS": "shop.example.com"}, "GRAPH_IDENTITY_COLLECT_ORIGINS"),
        ({"GRAPH_IDENTITY_COLLECT_ORIGINS": "https://a.example/x"}, "COLLECT_ORIGINS"),
        ({"GRAPH_IDENTITY_COLLECT_SIGNED_OUT": "Signed In"}, "GRAPH_IDENTITY_COLLECT_SIGNED_OUT"),
        ({"GRAPH_IDENTITY_COLLECT_SIGNED_IN": " , "}, "GRAPH_IDENTITY_COLLECT_SIGNED_IN"),
        ({"GRAPH_IDENTITY_COLLECT_ANONYMOUS_ID": "email"}, "GRAPH_IDENTITY_COLLECT_ANONYMOUS_ID"),
    ],
)
def test_collection_mistakes_fail_at_start_up(variables: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Settings(GRAPH_IDENTITY_API_KEYS="source:wk,agent:agent-key", **variables)


def test_unreadable_file_names_its_variable(tmp_path: Path) -> None:
    # settings are checked when they are made, at start-up (see tests/test_settings.py)
    with pytest.raises(ValueError, match=r"GRAPH_IDENTITY_API_KEYS_FILE: cannot read"):
        Authenticator(Settings(GRAPH_IDENTITY_API_KEYS_FILE=str(tmp_path / "missing.json")))


async def test_labelled_key_principal() -> None:
    text = json.dumps([{"key": "K1", "role": "agent", "label": "assistant",
                        "purposes": ["SERVICE", "ANALYTICS"], "rate_limit": 9}])  # fmt: skip
    principal = await Authenticator(Settings(GRAPH_IDENTITY_API_KEYS=text)).authenticate(
        "Bearer K1"
    )
    assert principal.subject == "api-key:assistant"
    assert principal.roles == {Role.AGENT}
    assert principal.purposes == (Purpose.SERVICE, Purpose.ANALYTICS)
    assert principal.rate_limit == 9


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({}, None),
        ({"purposes": ["SERVICE", "nonsense"]}, (Purpose.SERVICE,)),
        ({"purposes": "marketing analytics"}, (Purpose.MARKETING, Purpose.ANALYTICS)),
    ],
)
async def test_oidc_client_purposes(oidc: Oidc, claims: dict[str, Any], expected: Any) -> None:
    settings = Settings(
        GRAPH_IDENTITY_OIDC_ISSUER=oidc.issuer, GRAPH_IDENTITY_OIDC_AUDIENCE="graph-identity-api"
    )
    token = oidc.token(sub="svc", aud="graph-identity-api", roles=["agent"], **claims)
    principal = await Authenticator(settings).authenticate(f"Bearer {token}")
    assert principal.purposes == expected


def test_rate_limiter_counts_persons_over_a_sliding_minute() -> None:
    now = [0.0]
    limiter = RateLimiter(clock=lambda: now[0])
    assert limiter.charge("bot", 3, 2) is None
    now[0] = 30.0
    assert limiter.charge("bot", 3, 1) is None
    assert limiter.charge("bot", 3, 1) == pytest.approx(30.0)  # the first read ages out at 60
    assert limiter.charge("other", 3, 3) is None  # per caller
    now[0] = 60.0
    assert limiter.charge("bot", 3, 2) is None  # the two from t=0 no longer count
    assert limiter.charge("bot", 3, 1) is not None
    assert RateLimiter().charge("bot", 3, 4) == 60.0  # more than the limit at once


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"GRAPH_IDENTITY_CONSENT_DEFAULTS": "MARKETING:maybe"}, "GRAPH_IDENTITY_CONSENT_DEFAULTS"),
        ({"GRAPH_IDENTITY_API_KEYS": '[{"key": "K"}]'}, "GRAPH_IDENTITY_API_KEYS"),
    ],
)
def test_the_app_refuses_to_start_with_bad_governance_settings(
    variables: dict[str, str], named: str
) -> None:
    with pytest.raises(ValueError, match=f"Value error, {named}"):
        create_app(Settings(**variables))


def test_the_limiter_forgets_idle_callers() -> None:
    now = [0.0]
    limiter = RateLimiter(clock=lambda: now[0])
    for n in range(RateLimiter.SWEEP_EVERY - 1):
        assert limiter.charge(f"address-{n}", 10, 1) is None
    assert len(limiter) == RateLimiter.SWEEP_EVERY - 1
    now[0] = 61.0  # a minute later one more caller comes: everyone idle since is forgotten
    assert limiter.charge("latecomer", 10, 1) is None
    assert len(limiter) == 1
    assert limiter.charge("latecomer", 1, 1) is not None  # and what is remembered still counts
