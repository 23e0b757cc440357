"""The ingest fast path: fresh events that cannot change any person.

A touchpoint (not LOGIN, LOGOUT or IDENTIFY) that carries a single identifier already on a
person creates no link (links pair the elements of one event) and cuts no segment (only LOGIN
and LOGOUT do), so for :func:`graph_identity.domain.resolution.resolve` the partition, the
shared flags, every link-backed confidence and period and every other event's attribution stay
as they are. What it does change is:

* its own timeline entry, found by the same rules as ``_attribute``: the owner of the
  identifier; for a carrier, the person of the segment open at that moment when that segment
  is personal and not the gap between sessions; for a shared email or phone, whoever held it
  then (``holder_at``) when the holders took turns;
* the identifier's first and last sighting, and with it the period of a membership that no link
  backs (its figures are the identifier's own sightings), and the person's age.

Everything the rule cannot vouch for takes the exact path (a region recompute): identifiers
that are new or were never resolved, hubs, a shared identifier whose period is not backed by
links on every person (its periods decide other events' holders), memberships written before
the ``linked`` flag existed, and identifiers that another event of the batch takes to the exact
path. tests/store/test_incremental.py proves the rule against the pure function and rebuild.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from neo4j import AsyncManagedTransaction

from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.events import Event
from graph_identity.domain.identifiers import IdentifierType
from graph_identity.domain.resolution import holder_at
from graph_identity.domain.segments import at_time
from graph_identity.store.records import HeldSegment, epoch_us, from_epoch_us, segments_from_json
from graph_identity.store.tx import collected, run


def split(events: Iterable[Event]) -> tuple[list[Event], list[Event]]:
    """(candidates for the fast path, events for the exact path). A candidate is a lone-
    identifier touchpoint whose identifier no exact-path event of the batch touches."""
    candidates: list[Event] = []
    exact: list[Event] = []
    for event in events:
        if event.type.is_touchpoint and len(event.identifiers) == 1:
            candidates.append(event)
        else:
            exact.append(event)
    touched = {i.key for e in exact for i in e.identifiers}
    fast = [e for e in candidates if e.identifiers[0].key not in touched]
    return fast, exact + [e for e in candidates if e.identifiers[0].key in touched]


@dataclass(frozen=True, slots=True)
class _Held:
    person: str
    shared: bool
    linked: bool | None
    first: datetime
    last: datetime


@dataclass(frozen=True, slots=True)
class _State:
    shared: bool
    segments: list[HeldSegment]  # each with its person
    held: list[_Held]

    def owner(self) -> str | None:
        owned = [h.person for h in self.held if not h.shared]
        return owned[0] if not self.shared and len(self.held) == 1 and owned else None


def _state(row: Any) -> _State:
    segments = segments_from_json(row["key"], row["segments"]) if row["segments"] else []
    held = [
        _Held(
            m["person"],
            bool(m["shared"]),
            m["linked"],
            from_epoch_us(m["first_us"]),
            from_epoch_us(m["last_us"]),
        )
        for m in row["memberships"]
    ]
    return _State(bool(row["shared"]), segments, held)


def _attribution(event: Event, state: _State, config: ResolutionConfig) -> list[str] | None:
    """Whose timeline a lone-identifier touchpoint goes on (None: the rule cannot say)."""
    ident = event.identifiers[0]
    owner = state.owner()
    persons = {h.person for h in state.held}
    if ident.type is IdentifierType.ACCOUNT:
        return [owner] if owner else None
    if ident.is_carrier:
        if not state.segments:
            return None
        segment = at_time([h.segment for h in state.segments], event.at)
        person = state.segments[segment.index].person
        if person is None or (len(state.segments) > 1 and segment.account is None):
            return []
        return [person] if person in persons else None
    if owner is not None:
        return [owner]
    holder = holder_at(
        [(h.person, h.first, h.last) for h in state.held], event.at, config.handover_gap
    )
    return [] if holder is None else [holder]


async def apply(
    tx: AsyncManagedTransaction, events: list[Event], config: ResolutionConfig
) -> list[Event]:
    """Apply the fast path to ``events`` (already stored) inside ``tx``; returns those it
    cannot vouch for, which must take the exact path."""
    if not events:
        return []
    keys = sorted({e.identifiers[0].key for e in events})
    states = {
        r["key"]: _state(r) for r in await collected(tx, "ingest/fast_state", "rows", keys=keys)
    }
    exact: list[Event] = []
    attribution: list[dict[str, str]] = []
    widen: list[dict[str, Any]] = []
    for event in events:
        state = states.get(event.identifiers[0].key)
        if not _inert(state, config):
            exact.append(event)
            continue
        assert state is not None
        persons = _attribution(event, state, config)
        if persons is None:
            exact.append(event)
            continue
        attribution += [{"event": event.id, "person": p} for p in persons]
        widen += [
            {"person": h.person, "key": event.identifiers[0].key, "at_us": epoch_us(event.at)}
            for h in state.held
            if not h.linked
        ]
    if attribution:
        await run(tx, "writeback/attribution", rows=attribution)
    if widen:
        await run(tx, "ingest/fast_memberships", rows=widen)
    return exact


def _inert(state: _State | None, config: ResolutionConfig) -> bool:
    """Whether a lone touchpoint on an identifier in this state changes nothing but its own
    timeline entry and the periods the fast path widens."""
    if state is None or not state.held or any(h.linked is None for h in state.held):
        return False
    if state.owner() is not None:
        return True
    return (
        state.shared
        and all(h.shared and h.linked for h in state.held)
        and len(state.held) < config.hub_persons
    )
