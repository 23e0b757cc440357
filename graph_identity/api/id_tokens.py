"""The rules that make a LOGIN's ``idToken`` count (README "Verified logins"), apart from the
signature check itself (:class:`graph_identity.api.auth.OidcVerifier`), and the one helper that
finds the verified LOGINs of a batch for the API and the bulk loader alike."""

from __future__ import annotations

import asyncio
import hashlib
import threading
import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, Protocol

from graph_identity.domain.events import EventType, RawEvent
from graph_identity.domain.identifiers import IdentifierType


def id_token_problem(
    claims: dict[str, Any],
    *,
    account: str,
    at: datetime,
    client_ids: frozenset[str],
    window: timedelta,
    leeway: float,
) -> str | None:
    """Why verified ID-token ``claims`` do not verify a LOGIN of ``account`` at ``at``, else
    None. The rules (README "Verified logins"):

    - an ID token, not an access token: no ``typ: at+jwt`` header, no ``token_use: access``,
      no ``scope``/``scp`` claim;
    - issued to one of our clients: ``aud`` holds one of ``client_ids``; ``azp``, when
      present (and always with several audiences), is one of them too: a token whose single
      audience is ours but whose authorized party is another client was obtained by that
      client, not by ours;
    - for this account: ``sub`` equals the event's ACCOUNT;
    - at this time: ``iat`` (and ``auth_time`` when present) within ``window`` of the event,
      and the event before ``exp``.
    """
    header = claims.get("__header__") or {}
    if str(header.get("typ", "")).lower() in {"at+jwt", "application/at+jwt"}:
        return "an access token, not an ID token"
    if claims.get("token_use") == "access" or "scope" in claims or "scp" in claims:
        return "an access token, not an ID token"
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else list(audience or [])
    if not client_ids & set(audiences):
        return "issued to another client"
    if len(audiences) > 1 and claims.get("azp") not in client_ids:
        return "several audiences and no azp of ours"
    if "azp" in claims and claims["azp"] not in client_ids & set(audiences):
        return "authorized party (azp) is another client"
    if str(claims.get("sub")) != account:
        return "for another account"
    moment = at.timestamp()
    for name in ("iat", "auth_time"):
        value = claims.get(name)
        if name == "iat" and not isinstance(value, int | float):
            return "no iat"
        if isinstance(value, int | float) and abs(moment - value) > window.total_seconds():
            return f"{name} too far from the event time"
    expiry = claims.get("exp")
    if not isinstance(expiry, int | float) or moment > expiry + leeway:
        return "expired at the event time"
    return None


class UsedTokens:
    """ID tokens seen lately and the devices they verified (in this process only): a token
    replayed on another device within its window does not verify that one."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[frozenset[str], float]] = {}
        self._lock = threading.Lock()

    def claim(self, token: str, carriers: frozenset[str], ttl: float) -> bool:
        digest = hashlib.sha256(token.encode()).hexdigest()
        now = time.monotonic()
        with self._lock:
            if len(self._seen) > 100_000:
                self._seen = {k: v for k, v in self._seen.items() if v[1] > now}
            previous = self._seen.get(digest)
            if previous is not None and previous[1] > now and previous[0] != carriers:
                return False
            self._seen[digest] = (carriers, now + ttl)
            return True


class IdTokenVerifier(Protocol):
    async def verify_id_token(
        self, token: str, account_value: str, at: datetime, carriers: frozenset[str]
    ) -> bool: ...


async def verified_logins(verifier: IdTokenVerifier, events: Iterable[RawEvent]) -> set[str]:
    """Ids of LOGIN events with one ACCOUNT whose idToken verifies them."""
    checks: list[tuple[str, Any]] = []
    for event in events:
        accounts = [i.value for i in event.identifiers if i.type is IdentifierType.ACCOUNT]
        if event.type is EventType.LOGIN and event.id_token and len(accounts) == 1:
            carriers = frozenset(
                f"{i.type.value}:{i.value}"
                for i in event.identifiers
                if i.type in (IdentifierType.COOKIE, IdentifierType.DEVICE)
            )
            check = verifier.verify_id_token(event.id_token, accounts[0], event.at, carriers)
            checks.append((event.id, check))
    results = await asyncio.gather(*(check for _, check in checks))
    return {event_id for (event_id, _), ok in zip(checks, results, strict=True) if ok}
