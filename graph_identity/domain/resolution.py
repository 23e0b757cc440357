"""Persons as a pure function of the evidence (docs/resolution.md).

:func:`resolve` takes a set of events (plus admin constraints) and returns the partition of
their identifiers into persons. It is deterministic in the *set* of events: links are taken
Kruskal-style in one total order (strongest evidence first, then earliest, then by name) and
two groups are joined unless a per-type limit or a cannot-link forbids it. A forbidden link
makes its less personal end *shared* (accounts and device sessions are anchors and are never
shared); shared elements stop carrying merges and the pass is repeated until nothing new
becomes shared. Carriers take part through their segments, so a logout cuts them and a
household tablet ends up listed on each person whose sessions it carried.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import combinations

from graph_identity.domain.claims import WEAK_CLAIM, find_claims, outweighed
from graph_identity.domain.claims import settle as settle_claims
from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.events import Event, EventType
from graph_identity.domain.evidence import Evidence, gather
from graph_identity.domain.identifiers import PERSONAL_RANK, IdentifierType
from graph_identity.domain.links import Link
from graph_identity.domain.scoring import clamp, combine, link_score, shared_confidence
from graph_identity.domain.segments import Segment
from graph_identity.domain.unionfind import CANNOT_LINK, GroupRules


@dataclass(frozen=True, slots=True)
class Constraints:
    """Admin decisions, by identifier key."""

    cannot_link: tuple[tuple[frozenset[str], frozenset[str]], ...] = ()
    must_link: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True, slots=True)
class Membership:
    person: str  # group id
    identifier: str  # identifier key
    shared: bool
    confidence: float
    first: datetime
    last: datetime


@dataclass(slots=True)
class Trace:
    """How a partition came about, for the readers that explain it (``explain``,
    ``neighborhood``): every link, which ones merged, why the others were refused, each
    element's group and the elements that stopped carrying merges."""

    links: dict[tuple[str, str], Link] = field(default_factory=dict)
    merged: set[tuple[str, str]] = field(default_factory=set)
    rejected: dict[tuple[str, str], str] = field(default_factory=dict)
    group_of: dict[str, str] = field(default_factory=dict)  # element -> group
    excluded: set[str] = field(default_factory=set)  # elements that stopped carrying merges
    held: frozenset[str] = frozenset()  # emails and phones an account holds (see claims)


@dataclass(slots=True)
class Partition:
    """The answer of :func:`resolve`. Group ids are the smallest element name in the group."""

    owner: dict[str, str] = field(default_factory=dict)  # identifier key -> group
    shared: dict[str, list[str]] = field(default_factory=dict)  # identifier key -> groups
    memberships: list[Membership] = field(default_factory=list)
    segments: dict[str, list[Segment]] = field(default_factory=dict)
    segment_group: dict[str, str | None] = field(default_factory=dict)  # segment -> holder
    segment_confidence: dict[str, float] = field(default_factory=dict)
    #: time between sessions on a carrier -> its first IDENTIFY: from then on the carrier
    #: answers for whoever that segment belongs to (domain/carrier_moment.py)
    segment_claimed: dict[str, datetime] = field(default_factory=dict)
    attribution: dict[str, list[str]] = field(default_factory=dict)  # event id -> groups
    trace: Trace = field(default_factory=Trace)

    def persons(self) -> dict[str, list[str]]:
        """group -> identifier keys listed on it (owned first, then shared), sorted."""
        out: dict[str, list[str]] = defaultdict(list)
        for m in sorted(self.memberships, key=lambda m: (m.shared, m.identifier)):
            out[m.person].append(m.identifier)
        return dict(out)


def resolve(
    events: Iterable[Event],
    config: ResolutionConfig,
    constraints: Constraints = Constraints(),
    fixed_shared: frozenset[str] = frozenset(),
) -> Partition:
    """Partition the identifiers of ``events`` into persons.

    ``fixed_shared`` names identifiers already known to be shared beyond these events (the
    store passes those it did not expand); they are treated as shared from the start.
    """
    evidence = gather(events, config)
    partition, personal = settle(evidence, config, constraints, fixed_shared)
    _attribute(partition, evidence, personal, config.handover_gap)
    partition.segment_claimed = claimed_gaps(evidence)
    return partition


def claimed_gaps(evidence: Evidence) -> dict[str, datetime]:
    """The first IDENTIFY in each stretch of time between sessions on a carrier cut into
    several segments (a carrier of one segment has no such stretch)."""
    claimed: dict[str, datetime] = {}
    for event in evidence.events:  # in time order: the first one wins
        if event.type is not EventType.IDENTIFY:
            continue
        for ident in event.carriers:
            el = evidence.elements_of[event.id][ident.key]
            segment = evidence.segment_of[el]
            gap = segment.account is None and len(evidence.segments[ident.key]) > 1
            if gap and el not in claimed:
                claimed[el] = event.at
    return claimed


def settle(
    evidence: Evidence,
    config: ResolutionConfig,
    constraints: Constraints = Constraints(),
    fixed_shared: frozenset[str] = frozenset(),
) -> tuple[Partition, set[str]]:
    """Phases 2-4 of :func:`resolve` (union, ownership, scoring) on gathered evidence, from
    events (:func:`evidence.gather`) or from link summaries (:func:`evidence.gather_summarized`):
    the partition without attribution, and the groups that are persons."""
    rules, trace = unite(evidence, config, constraints, _fixed(evidence, fixed_shared))
    partition = Partition(segments=evidence.segments, trace=trace)
    personal = _own(partition, evidence, rules)
    _score(partition, evidence, config)
    excluded, group_of = trace.excluded, trace.group_of
    for el in evidence.segment_of:
        g = group_of[el]
        partition.segment_group[el] = g if el not in excluded and g in personal else None
    return partition, personal


def resolve_unconstrained(
    events: Iterable[Event], config: ResolutionConfig, component_of: Mapping[str, int]
) -> Partition:
    """:func:`resolve` for events whose connected components no limit, cannot-link, must-link
    or session cut can touch (``component_of``: identifier key -> component, from the
    vectorised pass in :mod:`components`).

    In such a component every carrier is one segment and every union succeeds, so the
    constrained union would join exactly the component: it is skipped, and each component is
    one person named, as :func:`resolve` names it, by its smallest element. Scoring is the
    same phase as :func:`resolve`, so the answer is equal to the last bit.
    """
    evidence = gather(events, config)
    smallest: dict[int, str] = {}
    for el in evidence.elements:
        c = component_of[evidence.identifier_of(el)]
        if c not in smallest or el < smallest[c]:
            smallest[c] = el
    group_of = {el: smallest[component_of[evidence.identifier_of(el)]] for el in evidence.elements}
    trace = Trace(evidence.links, set(evidence.links), {}, group_of, set())
    partition = Partition(segments=evidence.segments, trace=trace)
    for key in sorted(evidence.identifiers):
        partition.owner[key] = group_of[evidence.elements_of_key[key][0]]
    _score(partition, evidence, config)
    partition.segment_group = {el: group_of[el] for el in evidence.segment_of}
    for event in evidence.events:
        partition.attribution[event.id] = [
            group_of[next(iter(evidence.elements_of[event.id].values()))]
        ]
    return partition


def union_of(parts: Iterable[Partition]) -> Partition:
    """One partition of several over disjoint identifiers (resolve() of a disjoint union)."""
    whole = Partition()
    for part in parts:
        whole.owner |= part.owner
        whole.shared |= part.shared
        whole.memberships += part.memberships
        whole.segments |= part.segments
        whole.segment_group |= part.segment_group
        whole.segment_confidence |= part.segment_confidence
        whole.segment_claimed |= part.segment_claimed
        whole.attribution |= part.attribution
        trace = part.trace
        whole.trace.links |= trace.links
        whole.trace.merged |= trace.merged
        whole.trace.rejected |= trace.rejected
        whole.trace.group_of |= trace.group_of
        whole.trace.excluded |= trace.excluded
        whole.trace.held |= trace.held
    return whole


def _fixed(evidence: Evidence, fixed_shared: frozenset[str]) -> set[str]:
    """The elements of identifiers known to be shared from the start (an account never is)."""
    excluded: set[str] = set()
    for key in fixed_shared:
        if key in evidence.segments:
            excluded |= {s.element for s in evidence.segments[key] if s.account is None}
        elif (ident := evidence.identifiers.get(key)) and ident.type is not IdentifierType.ACCOUNT:
            excluded.add(key)
    return excluded


def unite(
    evidence: Evidence, config: ResolutionConfig, constraints: Constraints, excluded: set[str]
) -> tuple[GroupRules, Trace]:
    """Phase 2, the constrained union (Kruskal): links strongest first join groups unless a
    limit or a cannot-link forbids it; a refused link's less personal end stops carrying
    merges, and the pass repeats until nothing new is excluded. Weak claims on held emails
    and phones are settled after it (:mod:`claims`): they never make anything shared."""
    claims = find_claims(evidence, config)
    contested = claims.pairs()
    ordered = [
        link
        for link in sorted(evidence.links.values(), key=Link.order_key)
        if (link.a, link.b) not in contested
    ]
    identity = {el: (evidence.kind_of[el], evidence.identifier_of(el)) for el in evidence.elements}
    while True:
        rules = GroupRules(evidence.elements, identity, config, constraints.cannot_link)
        for keys in constraints.must_link:
            members = [el for key in sorted(keys) for el in evidence.elements_of_key.get(key, [])]
            for el in members[1:]:
                rules.union(members[0], el, force=True)
        merged: set[tuple[str, str]] = set()
        rejected: dict[tuple[str, str], str] = {}
        victims: set[str] = set()
        for link in ordered:
            if link.a in excluded or link.b in excluded:
                continue
            reason = rules.try_union(link.a, link.b)
            if reason is None:
                merged.add((link.a, link.b))
                continue
            rejected[(link.a, link.b)] = reason
            if reason != CANNOT_LINK:  # an admin's split shares nothing: the link just goes
                victims |= _victims(link.a, link.b, evidence.anchors, evidence.kind_of)
        if victims <= excluded:
            break
        excluded |= victims
    settle_claims(claims, rules, excluded, merged, rejected)
    group_of = {el: rules.find(el) for el in evidence.elements}
    return rules, Trace(evidence.links, merged, rejected, group_of, excluded, claims.held)


def _own(partition: Partition, evidence: Evidence, rules: GroupRules) -> set[str]:
    """Phase 3, ownership: each identifier is owned by its one person, or shared by the
    persons its elements reach; returns the groups that are persons."""
    trace = partition.trace
    group_of, excluded, segments = trace.group_of, trace.excluded, evidence.segments
    personal: set[str] = set()
    for el in evidence.elements:
        if el in excluded:
            continue
        segment = evidence.segment_of.get(el)
        if segment is None or (len(segments[segment.carrier]) == 1):
            personal.add(group_of[el])

    neighbours: dict[str, set[str]] = defaultdict(set)
    # elements kept out of a person by a refusal: excluded ones, and sessions (anchors, never
    # excluded) whose link to their account's person a limit refused
    apart = set(excluded)
    for a, b in trace.links:
        ga, gb = group_of[a], group_of[b]
        if a in excluded and b not in excluded and gb in personal:
            neighbours[a].add(gb)
        if b in excluded and a not in excluded and ga in personal:
            neighbours[b].add(ga)
        refusal = trace.rejected.get((a, b))
        apart_by_limit = refusal not in (None, CANNOT_LINK, WEAK_CLAIM)
        if apart_by_limit and a not in excluded and b not in excluded:
            # a link refused by a limit still shows that a carrier was used by the other
            # person; one refused by an admin's cannot-link, or a weak claim, shows nothing
            if a in evidence.segment_of and gb in personal:
                neighbours[a].add(gb)
                apart.add(a)
            if b in evidence.segment_of and ga in personal:
                neighbours[b].add(ga)
                apart.add(b)

    for key in sorted(evidence.identifiers):
        elements = evidence.elements_of_key[key]
        groups: set[str] = set()
        for el in elements:
            if el not in excluded and group_of[el] in personal:
                groups.add(group_of[el])
            groups |= neighbours.get(el, set())
        if not groups:
            # shared with nobody in reach: a person of its own
            own = group_of[elements[0]]
            personal.add(own)
            groups = {own}
        if len(groups) == 1 and _may_own(rules, next(iter(groups)), elements, apart):
            partition.owner[key] = next(iter(groups))
        else:
            partition.shared[key] = sorted(groups)
    return personal


def _may_own(rules: GroupRules, group: str, elements: list[str], apart: set[str]) -> bool:
    """Whether ``group`` may own an identifier it reaches only through elements kept ``apart``.

    Those elements were kept out of its person because a link of theirs was refused (excluded
    ones, and sessions refused by a limit); owning them would slip past the same limit or
    cannot-link (a third email asserted on an account with an email limit of two, a third
    cookie logged in on with a cookie limit of two), so they stay shared, listed on the one
    person they are linked to. Accepted ones are joined into the rules so later checks count
    them.
    """
    outside = [el for el in elements if el in apart and rules.find(el) != rules.find(group)]
    if any(rules.refusal(rules.find(el), rules.find(group)) for el in outside):
        return False
    for el in outside:
        rules.union(el, group, force=True)
    return True


def _victims(a: str, b: str, anchors: set[str], kind_of: dict[str, IdentifierType]) -> set[str]:
    """Which end of a refused link becomes shared: never an anchor; else the less personal
    end, or both when they are alike."""
    a_anchor, b_anchor = a in anchors, b in anchors
    if a_anchor and b_anchor:
        return set()
    if a_anchor:
        return {b}
    if b_anchor:
        return {a}
    rank_a, rank_b = PERSONAL_RANK[kind_of[a]], PERSONAL_RANK[kind_of[b]]
    if rank_a == rank_b:
        return {a, b}
    return {a} if rank_a < rank_b else {b}


def _score(partition: Partition, evidence: Evidence, config: ResolutionConfig) -> None:
    """Phase 4, scoring: each membership's confidence and period from the links into its
    person, and each segment's confidence in its holder."""
    group_of = partition.trace.group_of
    elements_of_key, seen = evidence.elements_of_key, evidence.seen
    by_element: dict[str, list[Link]] = defaultdict(list)
    reference: dict[str, datetime] = {}
    for (a, b), link in evidence.links.items():
        by_element[a].append(link)
        by_element[b].append(link)
        for el in (a, b):
            g = group_of[el]
            if g not in reference or reference[g] < link.last:
                reference[g] = link.last
    listed: dict[str, list[str]] = defaultdict(list)
    for key, g in partition.owner.items():
        listed[g].append(key)
    for key, groups in partition.shared.items():
        for g in groups:
            listed[g].append(key)

    def links_into(key: str, g: str) -> list[Link]:
        found = []
        for el in elements_of_key[key]:
            for link in by_element.get(el, []):
                other = link.b if link.a == el else link.a
                if group_of[other] == g and other not in elements_of_key[key]:
                    found.append(link)
        return found

    for key, ident in evidence.identifiers.items():
        groups = partition.shared.get(key) or [partition.owner[key]]
        is_shared = key in partition.shared
        for g in groups:
            found = links_into(key, g)
            ref = reference.get(g) or seen[key][1]
            if found:
                score = combine(link_score(link, ref, config.scoring) for link in found)
                first = min(link.first for link in found)
                last = max(link.last for link in found)
            else:
                score = 1.0 if len(listed[g]) == 1 else 0.5
            if not found or not is_shared:
                # an owned identifier was seen whenever any event observed it (a message that
                # used only the email counts); a shared one only when used with that person
                first, last = seen[key]
            if ident.type is IdentifierType.ACCOUNT:
                score = 1.0
            if is_shared:
                score = shared_confidence(score, len(groups), config.scoring)
            partition.memberships.append(Membership(g, key, is_shared, clamp(score), first, last))
    for segs in partition.segments.values():
        for segment in segs:
            g = group_of[segment.element]
            found = [
                link
                for link in by_element.get(segment.element, [])
                if group_of[link.a] == g and group_of[link.b] == g
            ]
            seg_ref = reference.get(g)
            partition.segment_confidence[segment.element] = (
                clamp(combine(link_score(link, seg_ref, config.scoring) for link in found))
                if found and seg_ref is not None
                else 1.0
            )


def _attribute(
    partition: Partition, evidence: Evidence, personal: set[str], gap: timedelta
) -> None:
    """Phase 5, attribution: which person(s) each event belongs on the timeline of (section
    4.4)."""
    group_of, excluded = partition.trace.group_of, partition.trace.excluded
    rejected, held = partition.trace.rejected, partition.trace.held
    weak = WEAK_CLAIM in rejected.values()
    gaps = {
        s.element
        for segs in partition.segments.values()
        if len(segs) > 1
        for s in segs
        if s.account is None
    }
    spans: dict[str, list[Membership]] = defaultdict(list)
    for m in partition.memberships:
        if m.shared:
            spans[m.identifier].append(m)
    for event in evidence.events:
        accounts = event.accounts
        if accounts:
            key = accounts[0].key
            partition.attribution[event.id] = [partition.owner.get(key) or group_of[key]]
            continue
        elements = evidence.elements_of[event.id]
        chosen: set[str] = set()
        # a held email or phone a conflicting weak claim named does not carry its event to
        # its holder (the mistyped newsletter, the bot's forms): see claims
        skip = outweighed(list(elements.values()), rejected, held) if weak else set()
        by_rank = sorted(
            (i for i in event.identifiers if not i.is_carrier and i.key not in skip),
            key=lambda i: -PERSONAL_RANK[i.type],
        )
        for ident in by_rank:
            owner = partition.owner.get(ident.key)
            if owner is not None:
                chosen.add(owner)
        if len(chosen) > 1:
            # owners an admin split apart share the event they were split out of (it must not
            # fall off every timeline); owners kept apart by anything else get none of it
            split = _split_apart(partition, elements.values())
            partition.attribution[event.id] = sorted(chosen) if split else []
            continue
        if not chosen:
            for ident in event.carriers:
                el = elements[ident.key]
                g = group_of[el]
                # time between sessions on a device belongs to nobody through the device, even
                # when someone typed an email in it: the next visitor may be someone else
                if el not in excluded and g in personal and el not in gaps:
                    chosen.add(g)
            if len(chosen) > 1:
                chosen = set()
        if not chosen:
            chosen = _by_period(event, partition, spans, gap)
        partition.attribution[event.id] = sorted(chosen)


def _split_apart(partition: Partition, elements: Iterable[str]) -> bool:
    """Whether an admin's cannot-link refused a link between two of these elements."""
    rejected = partition.trace.rejected
    return any(
        CANNOT_LINK in (rejected.get((a, b)), rejected.get((b, a)))
        for a, b in combinations(sorted(set(elements)), 2)
    )


def _by_period(
    event: Event, partition: Partition, spans: dict[str, list[Membership]], gap: timedelta
) -> set[str]:
    """A touchpoint seen only through a shared email or phone goes to whoever held it at that
    moment, when its holders took turns (a recycled number: each holder's use began after the
    previous one's ended); when their use overlaps (a family email) it goes to nobody."""
    chosen: set[str] = set()
    for ident in event.identifiers:
        if ident.is_carrier or ident.key not in partition.shared:
            continue
        periods = [(m.person, m.first, m.last) for m in spans.get(ident.key, [])]
        holder = holder_at(periods, event.at, gap)
        if holder is None:
            return set()
        chosen.add(holder)
    return chosen if len(chosen) == 1 else set()


def holder_at(
    periods: Iterable[tuple[str, datetime, datetime]], at: datetime, gap: timedelta
) -> str | None:
    """Who held a shared email or phone at ``at``, given each holder's (person, first, last)
    use: the latest to start before ``at``, provided everyone before had stopped at least
    ``gap`` earlier (a number handed over, not one used side by side)."""
    earlier = sorted((p for p in periods if p[1] <= at), key=lambda p: (p[1], p[0]))
    if not earlier:
        return None
    person, start, _ = earlier[-1]
    if any(last + gap > start for _, _, last in earlier[:-1]):
        return None
    return person
