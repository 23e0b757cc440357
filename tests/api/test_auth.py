"""Guards authentication: API keys map to their role, OIDC access tokens are verified against
the issuer's JWKS (signature, issuer, audience, expiry) with roles from the configured claim,
and a LOGIN's ID token counts only when it is valid and names the event's ACCOUNT."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from graph_identity.api.auth import Authenticator, AuthError, Principal, Role
from graph_identity.settings import Settings

if TYPE_CHECKING:
    from tests.api.conftest import Oidc

AUDIENCE = "graph-identity-api"
DEVICE = frozenset({"DEVICE:d-1"})


def now() -> datetime:
    return datetime.now(UTC)


def _settings(oidc: Oidc | None = None, role_claim: str = "roles") -> Settings:
    extra = (
        {
            "GRAPH_IDENTITY_OIDC_ISSUER": oidc.issuer,
            "GRAPH_IDENTITY_OIDC_AUDIENCE": AUDIENCE,
            "GRAPH_IDENTITY_OIDC_ROLE_CLAIM": role_claim,
            "GRAPH_IDENTITY_OIDC_CLIENT_IDS": "web-client",
        }
        if oidc
        else {}
    )
    return Settings(GRAPH_IDENTITY_API_KEYS="admin:KEY1,agent:KEY2", **extra)


async def test_api_key_maps_to_its_role() -> None:
    principal = await Authenticator(_settings()).authenticate("Bearer KEY2")
    assert principal.roles == {Role.AGENT}
    assert principal.subject.startswith("api-key:agent:")
    assert "KEY2" not in principal.subject


@pytest.mark.parametrize(
    ("description", "header"),
    [
        ("no header", None),
        ("empty", ""),
        ("no token", "Bearer "),
        ("other scheme", "Basic KEY1"),
        ("unknown key", "Bearer KEY3"),
        ("a key's prefix", "Bearer KEY"),
    ],
)
async def test_refuses(description: str, header: str | None) -> None:
    with pytest.raises(AuthError):
        await Authenticator(_settings()).authenticate(header)


def test_bad_key_configuration_fails_early() -> None:
    with pytest.raises(ValueError, match="GRAPH_IDENTITY_API_KEYS"):
        Authenticator(Settings(GRAPH_IDENTITY_API_KEYS="root:KEY1"))


@pytest.mark.parametrize(
    ("description", "role_claim", "claims", "expected"),
    [
        ("list claim", "roles", {"roles": ["fraud"]}, {Role.FRAUD}),
        (
            "several roles",
            "roles",
            {"roles": ["agent", "FRAUD", "other"]},
            {Role.AGENT, Role.FRAUD},
        ),
        ("space-separated", "scope", {"scope": "openid admin"}, {Role.ADMIN}),
        (
            "nested claim",
            "realm_access.roles",
            {"realm_access": {"roles": ["agent"]}},
            {Role.AGENT},
        ),
        ("no known role", "roles", {"roles": ["viewer"]}, set()),
        ("claim missing", "roles", {}, set()),
    ],
)
async def test_access_token_roles(
    oidc: Oidc, description: str, role_claim: str, claims: dict[str, object], expected: set[Role]
) -> None:
    token = oidc.token(sub="alice", aud=AUDIENCE, **claims)
    principal = await Authenticator(_settings(oidc, role_claim)).authenticate(f"Bearer {token}")
    assert principal == Principal(subject="oidc:alice", roles=frozenset(expected))


@pytest.mark.parametrize(
    ("description", "claims"),
    [
        ("wrong audience", {"aud": "someone-else"}),
        ("no audience", {}),
        ("wrong issuer", {"aud": AUDIENCE, "iss": "https://evil.example"}),
        ("expired", {"aud": AUDIENCE, "exp": int(time.time()) - 3600}),
    ],
)
async def test_access_token_refused(
    oidc: Oidc, description: str, claims: dict[str, object]
) -> None:
    token = oidc.token(sub="alice", roles=["admin"], **claims)
    with pytest.raises(AuthError):
        await Authenticator(_settings(oidc)).authenticate(f"Bearer {token}")


async def test_access_token_signed_by_another_key_is_refused(oidc: Oidc) -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = oidc.token(key=other, sub="alice", aud=AUDIENCE, roles=["admin"])
    with pytest.raises(AuthError):
        await Authenticator(_settings(oidc)).authenticate(f"Bearer {token}")


async def test_jwt_is_refused_without_oidc(oidc: Oidc) -> None:
    token = oidc.token(sub="alice", aud=AUDIENCE, roles=["admin"])
    with pytest.raises(AuthError):
        await Authenticator(_settings()).authenticate(f"Bearer {token}")


async def test_id_token_verifies_when_subject_is_the_account(oidc: Oidc) -> None:
    auth = Authenticator(_settings(oidc))
    token = oidc.token(sub="acc-42", aud="web-client")
    assert await auth.verify_id_token(token, "acc-42", now(), DEVICE)
    assert await auth.verify_id_token(token, "  acc-42 ", now(), DEVICE)


@pytest.mark.parametrize(
    ("description", "claims", "account"),
    [
        ("other subject", {"sub": "acc-41", "aud": "web-client"}, "acc-42"),
        ("other client", {"sub": "acc-42", "aud": "another-client"}, "acc-42"),
        (
            "expired",
            {"sub": "acc-42", "aud": "web-client", "exp": int(time.time()) - 3600},
            "acc-42",
        ),
        (
            "wrong issuer",
            {"sub": "acc-42", "aud": "web-client", "iss": "https://evil.example"},
            "acc-42",
        ),
    ],
)
async def test_id_token_not_verified(
    oidc: Oidc, description: str, claims: dict[str, object], account: str
) -> None:
    auth = Authenticator(_settings(oidc))
    assert not await auth.verify_id_token(oidc.token(**claims), account, now(), DEVICE)


async def test_id_token_garbage_or_no_oidc(oidc: Oidc) -> None:
    auth = Authenticator(_settings(oidc))
    assert not await auth.verify_id_token("not-a-jwt", "acc-42", now(), DEVICE)
    token = oidc.token(sub="acc-42", aud="web-client")
    assert not await Authenticator(_settings()).verify_id_token(token, "acc-42", now(), DEVICE)
