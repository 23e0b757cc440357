"""What erasure leaves behind, and what it must not.

- The deny-list: ``(:Forgotten {key})`` nodes holding HMAC-SHA256 of each erased identifier key
  and event id under a secret key, so a replayed event cannot bring them back, yet nobody
  holding a candidate email and a database dump can confirm it was erased without the key.
  The key is ``GRAPH_IDENTITY_ERASURE_KEY``; without it, one is generated on first use and
  kept in the database (``(:ErasureKey)``), which still defeats a guess against the hashes
  alone but not against a full dump. A configured key leaves only a fingerprint there, and a
  different key later is refused at start-up: it would silently void the deny-list.
- The audit log: entries that mention an erased identifier (a merge's ``members``, a split's
  ``named``, a reason quoting an email) are rewritten without it; who, when, the action,
  the opaque person and audit ids stay.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from typing import Any

from neo4j import AsyncManagedTransaction

from graph_identity.store.tx import run

KEY_RECORD = "graph-identity"
ERASED = "[erased]"


class ErasureKeyError(RuntimeError):
    """The configured erasure key does not fit the deny-list already in the database."""


def fingerprint(key: bytes) -> str:
    return hmac.new(key, b"graph-identity erasure key fingerprint", hashlib.sha256).hexdigest()


def deny_hash(key: bytes, kind: str, value: str) -> str:
    """The deny-list entry of an erased identifier key or event id (``kind``)."""
    return hmac.new(key, f"{kind}\x00{value}".encode(), hashlib.sha256).hexdigest()


async def resolve_key(tx: AsyncManagedTransaction, configured: bytes | None) -> bytes:
    """The deny-list key: the configured one (checked against the stored fingerprint), else
    the generated one stored in the database (made now if there is none)."""
    rows = await run(
        tx,
        "erasure/key",
        record=KEY_RECORD,
        secret=None if configured else secrets.token_hex(32),
        fingerprint=fingerprint(configured) if configured else None,
    )
    secret, stored = rows[0]["secret"], rows[0]["fingerprint"]
    if configured is not None:
        if secret is not None or stored != fingerprint(configured):
            raise ErasureKeyError(
                "GRAPH_IDENTITY_ERASURE_KEY does not match the key the erasure deny-list was "
                "written with; restore the previous key (see README, Erasure)"
            )
        return configured
    if secret is None:
        raise ErasureKeyError(
            "GRAPH_IDENTITY_ERASURE_KEY is not set, but the erasure deny-list was written with "
            "a configured key; set it again (see README, Erasure)"
        )
    return bytes.fromhex(secret)


def _mentions(keys: list[str]) -> list[str]:
    values = [k.partition(":")[2] for k in keys]
    texts = {t for k in keys + values for t in (k, json.dumps(k)[1:-1])}
    return sorted(t for t in texts if t)


def _scrub(value: Any, keys: set[str]) -> Any:
    if isinstance(value, dict):
        return {k: _scrub(v, keys) for k, v in value.items() if k not in keys}
    if isinstance(value, list):
        return [_scrub(v, keys) for v in value if v not in keys]
    if isinstance(value, str) and value in keys:
        return ERASED
    return value


def _scrub_text(text: str, values: list[str]) -> str:
    for value in sorted(values, key=len, reverse=True):
        text = re.sub(rf"(?<![\w.@+-]){re.escape(value)}(?![\w.@+-])", ERASED, text)
    return text


async def scrub_audit(tx: AsyncManagedTransaction, keys: list[str]) -> int:
    """Remove the erased identifier ``keys`` (and their values) from every audit entry and
    from the reasons copied onto admin constraints; returns how many audit entries were
    rewritten."""
    if not keys:
        return 0
    erased = set(keys)
    quoted = sorted(erased | {k.partition(":")[2] for k in keys})
    rows = []
    for entry in await run(tx, "erasure/audit_mentioning", texts=_mentions(keys)):
        details = json.dumps(_scrub(json.loads(entry["details"]), erased))
        reason = _scrub_text(entry["reason"], quoted)
        if details != entry["details"] or reason != entry["reason"]:
            rows.append({"id": entry["id"], "details": details, "reason": reason})
    if rows:
        await run(tx, "erasure/rewrite_audit", rows=rows)
    reasons = []
    for found in await run(tx, "erasure/constraints_mentioning", texts=_mentions(keys)):
        reason = _scrub_text(found["reason"], quoted)
        if reason != found["reason"]:
            reasons.append({"id": found["id"], "reason": reason})
    if reasons:
        await run(tx, "erasure/rewrite_constraints", rows=reasons)
    return len(rows)
