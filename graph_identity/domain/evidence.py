"""Phase 1 of resolution: what the events say, as resolution elements.

An element is a non-carrier identifier key or a carrier's segment (``key#n``): sessions cut
carriers into segments (:mod:`segments`) and every event links the elements it touches
(:mod:`links`). :func:`gather` works all of that out once for the later phases of
:func:`resolution.resolve`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.events import Event, EventType
from graph_identity.domain.identifiers import Identifier, IdentifierType
from graph_identity.domain.links import MAX_EVIDENCE, Link, derive_links, event_elements
from graph_identity.domain.segments import Segment, at_time, segment_carrier
from graph_identity.domain.summaries import End, LinkSummary, Seen


@dataclass(slots=True)
class Evidence:
    """Phase 1 (sessions, segments, links): what the events say, as resolution elements.

    An element is a non-carrier identifier key or a carrier's segment (``key#n``)."""

    events: list[Event]  # unique, in (at, id) order
    identifiers: dict[str, Identifier]
    seen: dict[str, tuple[datetime, datetime]]  # key -> first, last event time
    segments: dict[str, list[Segment]]  # carrier key -> its segments
    segment_of: dict[str, Segment]  # element -> segment
    elements_of: dict[str, dict[str, str]]  # event id -> key -> element
    links: dict[tuple[str, str], Link]
    elements: list[str]
    elements_of_key: dict[str, list[str]]
    kind_of: dict[str, IdentifierType]
    anchors: set[str]  # accounts and sessions: never shared

    def identifier_of(self, el: str) -> str:
        segment = self.segment_of.get(el)
        return segment.carrier if segment is not None else el


def _carrier_events(events: Iterable[Event]) -> dict[str, list[Event]]:
    by_carrier: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        if event.type in (EventType.LOGIN, EventType.LOGOUT):
            for carrier in event.carriers:
                by_carrier[carrier.key].append(event)
    return by_carrier


def _cut(
    identifiers: dict[str, Identifier], ordered: list[Event], config: ResolutionConfig
) -> dict[str, list[Segment]]:
    """Every carrier's segments, cut by the LOGIN and LOGOUT events among ``ordered``."""
    by_carrier = _carrier_events(ordered)
    return {
        key: segment_carrier(key, by_carrier.get(key, ()), config.prelogin_window)
        for key, ident in identifiers.items()
        if ident.is_carrier
    }


def gather(events: Iterable[Event], config: ResolutionConfig) -> Evidence:
    """Phase 1: deduplicate and order the events, cut carriers into segments, derive links."""
    unique = {e.id: e for e in events}
    ordered = sorted(unique.values(), key=lambda e: (e.at, e.id))
    identifiers: dict[str, Identifier] = {}
    seen: dict[str, tuple[datetime, datetime]] = {}
    for event in ordered:
        for ident in event.identifiers:
            identifiers[ident.key] = ident
            first, last = seen.get(ident.key, (event.at, event.at))
            seen[ident.key] = (min(first, event.at), max(last, event.at))
    segments = _cut(identifiers, ordered, config)
    elements_of = {e.id: event_elements(e, segments) for e in ordered}
    links = derive_links(ordered, segments, elements_of)
    return _assemble(ordered, identifiers, seen, segments, elements_of, links)


def _assemble(
    ordered: list[Event],
    identifiers: dict[str, Identifier],
    seen: dict[str, tuple[datetime, datetime]],
    segments: dict[str, list[Segment]],
    elements_of: dict[str, dict[str, str]],
    links: dict[tuple[str, str], Link],
) -> Evidence:
    segment_of = {s.element: s for segs in segments.values() for s in segs}
    elements: list[str] = [k for k, i in identifiers.items() if not i.is_carrier]
    elements += list(segment_of)
    elements_of_key: dict[str, list[str]] = defaultdict(list)
    kind_of: dict[str, IdentifierType] = {}
    for el in elements:
        segment = segment_of.get(el)
        key = segment.carrier if segment is not None else el
        elements_of_key[key].append(el)
        kind_of[el] = identifiers[key].type
    anchors = {
        el
        for el in elements
        if kind_of[el] is IdentifierType.ACCOUNT
        or (el in segment_of and segment_of[el].account is not None)
    }
    return Evidence(
        ordered, identifiers, seen, segments, segment_of, elements_of, links, elements,
        elements_of_key, kind_of, anchors,
    )  # fmt: skip


def gather_summarized(
    seen: Mapping[str, Seen],
    sessions: Iterable[Event],
    summaries: Iterable[LinkSummary],
    config: ResolutionConfig,
) -> Evidence:
    """Phase 1 from link summaries (:mod:`summaries`) instead of events: ``seen`` holds every
    identifier of the region, ``sessions`` the LOGIN and LOGOUT events on its carriers, and
    ``summaries`` every link of the other events between its identifiers. Equal to
    :func:`gather` of the events they summarise, except that ``events`` and ``elements_of``
    hold the session events only (what attribution needs comes from elsewhere)."""
    ordered = sorted({e.id: e for e in sessions}.values(), key=lambda e: (e.at, e.id))
    identifiers = {key: seen[key].identifier for key in sorted(seen)}
    segments = _cut(identifiers, ordered, config)
    elements_of = {e.id: event_elements(e, segments) for e in ordered}
    at_of = {e.id: e.at for e in ordered}
    folded: dict[tuple[str, str], LinkSummary] = {}
    for pair, link in derive_links(ordered, segments, elements_of).items():
        evidence = [(at_of[i], i) for i in link.evidence]
        folded[pair] = LinkSummary(
            (link.a, None), (link.b, None), link.kind, link.count, link.first, link.last, evidence
        )
    for summary in summaries:
        names = sorted((_element(summary.a, segments), _element(summary.b, segments)))
        _merge(folded, (names[0], names[1]), summary)
    links = {
        pair: Link(pair[0], pair[1], s.kind, s.count, s.first, s.last, [i for _, i in s.evidence])
        for pair, s in folded.items()
    }
    times = {key: (s.first, s.last) for key, s in seen.items()}
    return _assemble(ordered, identifiers, times, segments, elements_of, links)


def _element(end: End, segments: Mapping[str, list[Segment]]) -> str:
    """The element a summary's end lies in: a bucket lies wholly inside one segment."""
    key, start = end
    if key not in segments:
        return key
    segs = segments[key]
    return (segs[0] if start is None else at_time(segs, start)).element


def _merge(
    folded: dict[tuple[str, str], LinkSummary], pair: tuple[str, str], s: LinkSummary
) -> None:
    have = folded.get(pair)
    if have is None:
        folded[pair] = LinkSummary(
            (pair[0], None), (pair[1], None), s.kind, s.count, s.first, s.last, list(s.evidence)
        )
        return
    have.kind = max(have.kind, s.kind)
    have.count += s.count
    have.first, have.last = min(have.first, s.first), max(have.last, s.last)
    have.evidence = sorted(have.evidence + s.evidence)[:MAX_EVIDENCE]
