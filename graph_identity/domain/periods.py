"""Attribution by periods: which person(s) an event belongs on the timeline of, from the periods
a partition holds rather than from a stored entry per event.

A timeline entry is a consequence of a few periods the engine already computes: who owns each
identifier (an owned identifier's membership), who held each carrier segment (bounds, account,
holder: the segments stored on a carrier), and who held a shared email or phone when (its
holders' turns). With those, and the pairs of elements an admin's cannot-link kept apart, any
event's attribution is a function of the event alone (:func:`attribute`), so a store can
derive a person's timeline at read time from the identifiers and segments it holds, and a
recompute that moves one period rewrites that period, not every event inside it. See
docs/data-model.md; tests/domain/test_periods.py proves it equals the per-event attribution
of :func:`resolution.resolve`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import combinations

from graph_identity.domain.claims import WEAK_CLAIM
from graph_identity.domain.events import Event
from graph_identity.domain.identifiers import IdentifierType
from graph_identity.domain.links import event_elements
from graph_identity.domain.resolution import Partition, holder_at
from graph_identity.domain.segments import Segment
from graph_identity.domain.unionfind import CANNOT_LINK

#: a shared identifier's turns: (group, first, last) per holder
Turns = list[tuple[str, datetime, datetime]]


@dataclass(frozen=True, slots=True)
class Periods:
    """What attribution needs of a partition, none of it per event."""

    owner: Mapping[str, str]  # identifier key -> owning group
    account_group: Mapping[str, str]  # account key -> its group (an account is never shared)
    segments: Mapping[str, list[Segment]]  # carrier key -> its segments
    holder: Mapping[str, str | None]  # segment element -> who it counts for (None: nobody)
    turns: Mapping[str, Turns]  # shared email/phone key -> its holders' turns
    apart: frozenset[frozenset[str]] = field(default_factory=frozenset)  # admin-split pairs
    gap: timedelta = timedelta(days=30)
    #: pairs a weak claim named against a held email or phone (domain/claims.py), and the held
    #: identifiers: an event does not reach a holder through a held identifier it claimed
    claimed: frozenset[frozenset[str]] = field(default_factory=frozenset)
    held: frozenset[str] = field(default_factory=frozenset)


def periods_of(partition: Partition, gap: timedelta) -> Periods:
    """The periods of a resolved partition."""
    group_of = partition.trace.group_of
    holder: dict[str, str | None] = {}
    for segs in partition.segments.values():
        for s in segs:
            # time between sessions on a device belongs to nobody through the device
            gap_time = len(segs) > 1 and s.account is None
            holder[s.element] = None if gap_time else partition.segment_group.get(s.element)
    turns: dict[str, Turns] = {}
    for m in partition.memberships:
        if m.shared:
            turns.setdefault(m.identifier, []).append((m.person, m.first, m.last))
    apart = frozenset(
        frozenset(pair)
        for pair, reason in partition.trace.rejected.items()
        if reason == CANNOT_LINK
    )
    claimed = frozenset(
        frozenset(pair) for pair, reason in partition.trace.rejected.items() if reason == WEAK_CLAIM
    )
    prefix = f"{IdentifierType.ACCOUNT.value}:"  # an account's element is its key
    accounts = {k: g for k, g in group_of.items() if k.startswith(prefix)}
    return Periods(
        partition.owner, accounts, partition.segments, holder, turns, apart, gap,
        claimed, partition.trace.held,
    )  # fmt: skip


def attribute(event: Event, periods: Periods) -> list[str]:
    """The groups whose timeline ``event`` belongs on (sorted; empty: nobody's)."""
    if event.accounts:
        key = event.accounts[0].key
        return [periods.owner.get(key) or periods.account_group[key]]
    elements = event_elements(event, periods.segments)
    skip = _outweighed(elements.values(), periods)
    chosen = {
        periods.owner[i.key]
        for i in event.identifiers
        if not i.is_carrier and i.key in periods.owner and i.key not in skip
    }
    if len(chosen) > 1:
        # owners an admin split apart share the event they were split out of; owners kept
        # apart by anything else get none of it
        names = sorted(set(elements.values()))
        split = any(frozenset(pair) in periods.apart for pair in combinations(names, 2))
        return sorted(chosen) if split else []
    if not chosen:
        held = {periods.holder[elements[i.key]] for i in event.carriers}
        chosen = {g for g in held if g is not None}
        if len(chosen) > 1:
            chosen = set()
    if not chosen:
        chosen = _by_turns(event, periods)
    return sorted(chosen)


def _outweighed(elements: Iterable[str], periods: Periods) -> set[str]:
    """The held identifiers among an event's elements that a weak claim of the event named."""
    if not periods.claimed:
        return set()
    found: set[str] = set()
    for a, b in combinations(sorted(set(elements)), 2):
        if frozenset((a, b)) in periods.claimed:
            found |= {a, b} & periods.held
    return found


def _by_turns(event: Event, periods: Periods) -> set[str]:
    """Whoever held the event's shared emails and phones at that moment, when they took turns."""
    chosen: set[str] = set()
    for ident in event.identifiers:
        if ident.is_carrier or ident.key not in periods.turns:
            continue
        holder = holder_at(periods.turns[ident.key], event.at, periods.gap)
        if holder is None:
            return set()
        chosen.add(holder)
    return chosen if len(chosen) == 1 else set()
