"""API keys from ``GRAPH_IDENTITY_API_KEYS`` and ``GRAPH_IDENTITY_API_KEYS_FILE``.

Two forms, checked when the app starts (the error names the variable):

- ``"role:key,role:key"``: one role per key, as before; no label, every purpose, no limit;
- a JSON list (in the variable, or in the file the second variable names) of
  ``{"key": ..., "role": ..., "label": ..., "purposes": [...], "rate_limit": N}``, where
  ``label`` names the caller in the access and audit logs, ``purposes`` binds the key to those
  purposes (its first is its default) and ``rate_limit`` caps the persons it may read a minute.

A ``source`` key is a write key (docs/collect.md): it only sends events to the ``/v1``
collection endpoints, never reads. In the key file it names its ``source`` (stored with each
event it sends) and its ``rate_limit`` counts messages a minute; ``source:KEY`` in the
variable is a source named ``default`` with no limit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph_identity.domain.consent import Purpose

ROLES = ("ingest", "agent", "fraud", "admin", "source")
FIELDS = frozenset({"key", "role", "label", "purposes", "rate_limit", "source"})
DEFAULT_SOURCE = "default"
MAX_SOURCE_LENGTH = 64


@dataclass(frozen=True, slots=True)
class ApiKey:
    key: str
    role: str
    label: str | None = None
    purposes: tuple[Purpose, ...] | None = None  # None: any purpose
    rate_limit: int | None = None  # persons (a source: messages) a minute, per process
    source: str | None = None  # a write key's source name; None for every other role

    @property
    def is_write_key(self) -> bool:
        return self.role == "source"


def parse_api_keys(text: str, file: Path | None) -> list[ApiKey]:
    """Every configured key; raises ValueError naming the variable at fault."""
    keys: list[ApiKey] = []
    if text.strip().startswith("["):
        keys += _from_json(text, "GRAPH_IDENTITY_API_KEYS")
    else:
        keys += _from_pairs(text)
    if file is not None:
        variable = "GRAPH_IDENTITY_API_KEYS_FILE"
        try:
            content = file.read_text(encoding="utf-8")
        except OSError as exc:
            raise ValueError(f"{variable}: cannot read {file}: {exc}") from exc
        keys += _from_json(content, variable)
    seen: set[str] = set()
    for key in keys:
        if key.key in seen:
            raise ValueError("GRAPH_IDENTITY_API_KEYS: the same key is configured twice")
        seen.add(key.key)
    return keys


def _from_pairs(text: str) -> list[ApiKey]:
    keys = []
    for item in filter(None, (p.strip() for p in text.split(","))):
        role, sep, key = item.partition(":")
        if not sep or not key or role not in ROLES:
            raise ValueError(
                "GRAPH_IDENTITY_API_KEYS: expected role:key pairs with roles "
                f"ingest, agent, fraud, admin or source; got {item!r}"
            )
        keys.append(ApiKey(key=key, role=role, source=DEFAULT_SOURCE if role == "source" else None))
    return keys


def _from_json(text: str, variable: str) -> list[ApiKey]:
    try:
        items = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"{variable}: not valid JSON: {exc}") from exc
    if not isinstance(items, list):
        raise ValueError(f"{variable}: expected a JSON list of keys")
    return [_one(item, f"{variable}[{n}]") for n, item in enumerate(items)]


def _one(item: Any, where: str) -> ApiKey:
    if not isinstance(item, dict):
        raise ValueError(f"{where}: expected an object with key and role")
    unknown = set(item) - FIELDS
    if unknown:
        raise ValueError(f"{where}: unknown fields {sorted(unknown)}")
    key, role, label = item.get("key"), item.get("role"), item.get("label")
    if not isinstance(key, str) or not key.strip():
        raise ValueError(f"{where}.key: a non-empty string is needed")
    if role not in ROLES:
        raise ValueError(f"{where}.role: one of {', '.join(ROLES)}")
    if label is not None and (not isinstance(label, str) or not label.strip()):
        raise ValueError(f"{where}.label: a non-empty string when given")
    purposes = item.get("purposes")
    bound: tuple[Purpose, ...] | None = None
    if purposes is not None:
        try:
            bound = tuple(Purpose(p) for p in purposes)
        except (TypeError, ValueError) as exc:
            names = ", ".join(p.value for p in Purpose)
            raise ValueError(f"{where}.purposes: a list of {names}") from exc
        if not bound:
            raise ValueError(f"{where}.purposes: name at least one purpose, or leave it out")
    limit = item.get("rate_limit")
    if limit is not None and (type(limit) is not int or limit < 1):
        raise ValueError(
            f"{where}.rate_limit: a whole number a minute (persons read; a source's messages), "
            "at least 1"
        )
    source = item.get("source")
    if role == "source":
        if not isinstance(source, str) or not source.strip() or len(source) > MAX_SOURCE_LENGTH:
            raise ValueError(f"{where}.source: a write key names its source (1 to 64 characters)")
        if purposes is not None:
            raise ValueError(f"{where}.purposes: a write key reads nothing; leave it out")
    elif source is not None:
        raise ValueError(f"{where}.source: only a key with the role source names a source")
    return ApiKey(key=key, role=role, label=label, purposes=bound, rate_limit=limit, source=source)
