"""Guards ``Resolution.assurance`` over HTTP, one case per level: VERIFIED needs an OIDC-verified
LOGIN of this person on this identifier within the window before the moment asked (24 h by
default), HIGH and LOW split on the confidence threshold (0.9), AMBIGUOUS is a shared identifier
answered with candidates, UNKNOWN an identifier never seen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tests.events import event as build

if TYPE_CHECKING:
    from tests.api.conftest import Api, Oidc

RESOLVE = """
query($i: IdentifierInput!, $at: DateTime) {
  resolve(identifier: $i, at: $at) { person { id } confidence assurance }
}
"""
FAMILY = {"type": "EMAIL", "value": "family@example.com"}


def event(event_id: str, at: datetime, kind: str, *ids: tuple[str, str], **extra: Any) -> Any:
    return build(event_id, at, kind, *ids, **extra)


async def assurance(api: Api, kind: str, value: str, at: datetime | None = None) -> str:
    variables = {"i": {"type": kind, "value": value}, "at": at.isoformat() if at else None}
    data = await api.data(RESOLVE, variables, role="agent")
    level: str = data["resolve"]["assurance"]
    return level


async def test_each_level(api: Api, clean_db: None, oidc: Oidc) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    old = now - timedelta(days=3)
    day = datetime(2026, 1, 5, 10, tzinfo=UTC)
    # ID tokens are issued when the login happens (iat/exp bound to the event's time)
    signed_in = int((now - timedelta(hours=1)).timestamp())
    token = oidc.token(sub="acc-v", aud="web-app", iat=signed_in, exp=signed_in + 300)
    stale = oidc.token(
        sub="acc-old", aud="web-app", iat=int(old.timestamp()), exp=int(old.timestamp()) + 300
    )
    result = await api.ingest(
        [
            event("v", now - timedelta(hours=1), "LOGIN", ("ACCOUNT", "acc-v"),
                  ("COOKIE", "ck-v"), idToken=token),
            event("o", old, "LOGIN", ("ACCOUNT", "acc-old"), ("COOKIE", "ck-old"),
                  idToken=stale),
            event("u", day, "LOGIN", ("ACCOUNT", "acc-u"), ("COOKIE", "ck-u")),
            event("p", day, "PAGE_VIEW", ("COOKIE", "ck-p"), ("EMAIL", "p@example.com")),
            event("x", day, "IDENTIFY", ("ACCOUNT", "acc-x"), ("EMAIL", FAMILY["value"])),
            event("y", day + timedelta(minutes=1), "IDENTIFY", ("ACCOUNT", "acc-y"),
                  ("EMAIL", FAMILY["value"])),
        ]
    )  # fmt: skip
    assert result["rejected"] == []
    assert await assurance(api, "ACCOUNT", "acc-v") == "VERIFIED"
    assert await assurance(api, "COOKIE", "ck-v") == "VERIFIED"  # the login's device too
    # a verified login counts only within the window before the moment asked
    assert await assurance(api, "ACCOUNT", "acc-old") == "HIGH"
    assert await assurance(api, "ACCOUNT", "acc-old", old + timedelta(hours=2)) == "VERIFIED"
    assert await assurance(api, "ACCOUNT", "acc-old", old - timedelta(hours=1)) == "HIGH"
    # an unverified login is strong evidence, not verification
    assert await assurance(api, "ACCOUNT", "acc-u") == "HIGH"
    assert await assurance(api, "EMAIL", "p@example.com") == "LOW"  # one touchpoint: 0.5
    assert await assurance(api, "EMAIL", FAMILY["value"]) == "AMBIGUOUS"
    assert await assurance(api, "EMAIL", "never@example.com") == "UNKNOWN"
