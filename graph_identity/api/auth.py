"""Who is calling: bearer tokens to principals, and OIDC ID tokens on LOGIN events.

A bearer token is either an API key from ``GRAPH_IDENTITY_API_KEYS`` or an OIDC access token
from the configured issuer, verified against the issuer's JWKS (signature, issuer, audience,
expiry). Its roles come from the claim named by ``GRAPH_IDENTITY_OIDC_ROLE_CLAIM`` (a dotted
path such as ``realm_access.roles`` works too). Key fetches are blocking, so they run in a
worker thread.

A LOGIN's ``idToken`` is checked by :meth:`OidcVerifier.id_token_claims` and the rules in
:mod:`graph_identity.api.id_tokens`; README "Verified logins" says what a verified login proves.
"""

from __future__ import annotations

import asyncio
import enum
import hashlib
import hmac
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
import jwt

from graph_identity.api.id_tokens import UsedTokens, id_token_problem
from graph_identity.domain.consent import Purpose
from graph_identity.keys import ApiKey, parse_api_keys
from graph_identity.settings import Settings

#: Asymmetric algorithms only: a shared-secret (HS*) token can never pass as the issuer's.
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"]
LEEWAY_SECONDS = 30  # default of GRAPH_IDENTITY_OIDC_LEEWAY_SECONDS
FETCH_TIMEOUT_SECONDS = 5.0


class Role(enum.StrEnum):
    INGEST = "ingest"
    AGENT = "agent"
    FRAUD = "fraud"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller. ``subject`` is what the audit log records as the actor."""

    subject: str
    roles: frozenset[Role]
    #: the purposes this caller may read for (None: any) and its default purpose
    purposes: tuple[Purpose, ...] | None = None
    #: persons this caller may read a minute in this process (None: no limit)
    rate_limit: int | None = None


class AuthError(Exception):
    """The request carries no usable credentials; the message is safe to show the caller."""


class OidcVerifier:
    """Verifies tokens from one issuer; the JWKS address is discovered on first use if unset."""

    def __init__(
        self,
        issuer: str,
        audience: str | None,
        jwks_url: str | None,
        role_claim: str,
        purpose_claim: str = "purposes",
        leeway: float = LEEWAY_SECONDS,
    ) -> None:
        self.issuer = issuer
        self.audience = audience
        self.role_claim = role_claim
        self.purpose_claim = purpose_claim
        self.leeway = leeway
        self._jwks_url = jwks_url
        self._client: jwt.PyJWKClient | None = None
        self._lock = threading.Lock()

    def _keys(self) -> jwt.PyJWKClient:
        with self._lock:
            if self._client is None:
                url = self._jwks_url or self._discover_jwks_url()
                self._client = jwt.PyJWKClient(url, lifespan=300, timeout=FETCH_TIMEOUT_SECONDS)
            return self._client

    def _discover_jwks_url(self) -> str:
        config_url = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
        try:
            response = httpx.get(config_url, timeout=FETCH_TIMEOUT_SECONDS)
            response.raise_for_status()
            return str(response.json()["jwks_uri"])
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            raise AuthError("the identity provider's configuration is unavailable") from exc

    def _decode(
        self, token: str, *, audience: str | None, verify_exp: bool = True
    ) -> dict[str, Any]:
        try:
            key = self._keys().get_signing_key_from_jwt(token)
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=ALGORITHMS,
                issuer=self.issuer,
                audience=audience,
                leeway=self.leeway,
                options={
                    "require": ["exp", "iss", "sub"],
                    "verify_aud": audience is not None,
                    "verify_exp": verify_exp,
                },
            )
        except jwt.PyJWTError as exc:
            raise AuthError(f"invalid token: {exc}") from exc
        return claims

    def access_token(self, token: str) -> Principal:
        """The principal an access token stands for; raises AuthError when it does not verify."""
        if self.audience is None:
            raise AuthError("OIDC access tokens need GRAPH_IDENTITY_OIDC_AUDIENCE configured")
        claims = self._decode(token, audience=self.audience)
        return Principal(
            subject=f"oidc:{claims['sub']}",
            roles=self._roles(claims),
            purposes=self._purposes(claims),
        )

    def id_token_claims(self, token: str) -> dict[str, Any] | None:
        """The claims and header of a token signed by the issuer, else None. Expiry is not
        checked against the clock here but against the event's time (:func:`id_token_problem`),
        so a LOGIN delivered late still verifies."""
        try:
            claims = self._decode(token, audience=None, verify_exp=False)
            header = jwt.get_unverified_header(token)
        except (AuthError, jwt.PyJWTError):
            return None
        return {**claims, "__header__": header}

    def _roles(self, claims: dict[str, Any]) -> frozenset[Role]:
        names = _claim_names(claims, self.role_claim) or []
        known = {role.value: role for role in Role}
        return frozenset(known[n.lower()] for n in names if n.lower() in known)

    def _purposes(self, claims: dict[str, Any]) -> tuple[Purpose, ...] | None:
        """The purposes a client is bound to; no claim means any purpose."""
        names = _claim_names(claims, self.purpose_claim)
        if names is None:
            return None
        known = {p.value: p for p in Purpose}
        return tuple(known[n.upper()] for n in names if n.upper() in known)


def _claim_names(claims: dict[str, Any], path: str) -> list[str] | None:
    """The names in a claim (a dotted path; a list or a space/comma separated string)."""
    value: Any = claims
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if isinstance(value, str):
        return value.replace(",", " ").split()
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return None


class Authenticator:
    """Turns an ``Authorization`` header into a :class:`Principal`."""

    def __init__(self, settings: Settings) -> None:
        self._keys = [
            (key.key.encode(), key)
            for key in parse_api_keys(settings.api_keys, settings.api_keys_file)
        ]
        self._oidc = (
            OidcVerifier(
                settings.oidc_issuer,
                settings.oidc_audience,
                settings.oidc_jwks_url,
                settings.oidc_role_claim,
                settings.oidc_purpose_claim,
                settings.oidc_leeway_seconds,
            )
            if settings.oidc_issuer
            else None
        )
        self._client_ids = frozenset(
            c.strip() for c in settings.oidc_client_ids.split(",") if c.strip()
        )
        self._window = timedelta(minutes=settings.id_token_window_minutes)
        self._used = UsedTokens()

    async def authenticate(self, authorization: str | None) -> Principal:
        """The caller behind ``Bearer <token>``; raises AuthError for anything else."""
        scheme, _, token = (authorization or "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise AuthError("missing bearer token: send 'Authorization: Bearer <token>'")
        key = self._api_key(token.encode())
        if key is not None and key.is_write_key:
            raise AuthError("a write key only sends events to /v1 (docs/collect.md)")
        if key is not None:
            return _key_principal(key)
        if self._oidc is not None and token.count(".") == 2:
            return await asyncio.to_thread(self._oidc.access_token, token)
        raise AuthError("unknown token")

    def write_key(self, token: str) -> ApiKey | None:
        """The write key (role ``source``) ``token`` is, else None: other keys do not send
        to the collection endpoints."""
        key = self._api_key(token.encode())
        return key if key is not None and key.is_write_key else None

    def _api_key(self, token: bytes) -> ApiKey | None:
        found: ApiKey | None = None
        for secret, key in self._keys:  # compare with every key: no early exit to time
            if hmac.compare_digest(token, secret):
                found = key
        return found

    async def verify_id_token(
        self, token: str, account_value: str, at: datetime, carriers: frozenset[str]
    ) -> bool:
        """Whether a LOGIN's ``idToken`` verifies it (:func:`id_token_problem`) and was not
        used lately for other ``carriers`` (the event's COOKIE/DEVICE values)."""
        if self._oidc is None or not self._client_ids or not account_value.strip():
            return False
        claims = await asyncio.to_thread(self._oidc.id_token_claims, token)
        if claims is None:
            return False
        problem = id_token_problem(
            claims,
            account=account_value.strip(),
            at=at,
            client_ids=self._client_ids,
            window=self._window,
            leeway=self._oidc.leeway,
        )
        return problem is None and self._used.claim(
            token, carriers, 2 * self._window.total_seconds()
        )


def _key_principal(key: ApiKey) -> Principal:
    """A labelled key is named by its label; an unlabelled one by role and a fingerprint."""
    role = Role(key.role)
    if key.label:
        subject = f"api-key:{key.label}"
    else:
        subject = f"api-key:{role.value}:{hashlib.sha256(key.key.encode()).hexdigest()[:8]}"
    return Principal(
        subject=subject, roles=frozenset({role}), purposes=key.purposes, rate_limit=key.rate_limit
    )
