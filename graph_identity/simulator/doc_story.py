"""The customers the documentation talks about, added to the demo world so that every example
in README.md and docs/ answers something (tests/api/test_documented_examples.py).

Ann (account ``cust-42``) signs in on the family iPad ``ipad-7`` with cookie ``ck-9f2``, chats,
gives her email and phone, and signs out; ``acct-2`` and ``acct-1`` use the same iPad later, so
it is shared. Tom and his brother shared one account until an admin split Tom's email off
(``SPLIT``: the demo loader makes that correction, so the audit log and constraints list have
an entry).
"""

from __future__ import annotations

from typing import Any

PHONE = "+1 415 555 2671"
IPAD = {"type": "DEVICE", "value": "ipad-7"}
COOKIE = {"type": "COOKIE", "value": "ck-9f2"}
ANN = {"type": "ACCOUNT", "value": "cust-42"}
BROTHERS = {"type": "ACCOUNT", "value": "acct-brothers"}

#: the correction the demo loader makes: (identifier moved out, of the person holding, reason)
SPLIT = ({"type": "EMAIL", "value": "tom@example.com"}, BROTHERS, "ticket 311: two brothers")


def _event(
    event_id: str, at: str, kind: str, *identifiers: dict[str, str], **extra: Any
) -> dict[str, Any]:
    return {"id": event_id, "at": at, "type": kind, "identifiers": list(identifiers), **extra}


EVENTS: list[dict[str, Any]] = [
    _event("doc-ann-login", "2026-01-05T10:00:00+01:00", "LOGIN", ANN, COOKIE, IPAD,
           channel="web"),
    _event("doc-ann-chat", "2026-01-05T10:04:00+01:00", "CHAT", COOKIE, channel="chat",
           attributes={"transcript": "t-88"}),
    _event("doc-ann-identify", "2026-01-05T10:06:00+01:00", "IDENTIFY", ANN,
           {"type": "EMAIL", "value": "ann@example.com"}, {"type": "PHONE", "value": PHONE}),
    _event("doc-ann-logout", "2026-01-05T10:30:00+01:00", "LOGOUT", ANN, IPAD),
    _event("doc-acct-2-login", "2026-01-05T19:00:00+01:00", "LOGIN",
           {"type": "ACCOUNT", "value": "acct-2"}, IPAD, channel="app"),
    _event("doc-acct-2-logout", "2026-01-05T20:00:00+01:00", "LOGOUT",
           {"type": "ACCOUNT", "value": "acct-2"}, IPAD),
    _event("doc-acct-1-login", "2026-01-06T09:00:00+00:00", "LOGIN",
           {"type": "ACCOUNT", "value": "acct-1"}, {"type": "COOKIE", "value": "ck-9"}, IPAD),
    _event("doc-brothers-login", "2026-01-07T09:00:00+00:00", "LOGIN", BROTHERS,
           {"type": "COOKIE", "value": "ck-brothers"}),
    _event("doc-tom-identify", "2026-01-07T09:01:00+00:00", "IDENTIFY", BROTHERS,
           {"type": "EMAIL", "value": "tom@example.com"}),
    _event("doc-tim-identify", "2026-01-07T09:02:00+00:00", "IDENTIFY", BROTHERS,
           {"type": "EMAIL", "value": "tim@example.com"}),
]  # fmt: skip
