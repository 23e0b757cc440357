"""The access log's read model: who read which persons, for what purpose, when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from graph_identity.domain.consent import Purpose


@dataclass(frozen=True, slots=True)
class AccessRead:
    """One operation's reads within a request, before it is written."""

    operation: str
    purpose: Purpose | None
    person_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AccessEntryView:
    """A stored entry. ``person_ids`` lose erased persons; ``person_count`` keeps them counted."""

    id: str
    at: datetime
    caller: str
    role: str
    purpose: Purpose | None
    operation: str
    person_ids: list[str]
    person_count: int
