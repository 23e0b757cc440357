"""Phase 1 of resolution: what the events say, as resolution elements.

An element is a non-carrier identifier key or a carrier's segment (``key#n``): sessions cut
carriers into segments (:mod:`segments`) and every event links the elements it touches
(:mod:`links`). :func:`gather` works all of that out once for the later phases of
:func:`resolution.resolve`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.events import Event, EventType
from graph_identity.domain.identifiers import Identifier, IdentifierType
from graph_identity.domain.links import Link, derive_links, event_elements
from graph_identity.domain.segments import Segment, segment_carrier


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
    session_events = _carrier_events(ordered)
    segments = {
        key: segment_carrier(key, session_events.get(key, ()), config.prelogin_window)
        for key, ident in identifiers.items()
        if ident.is_carrier
    }
    segment_of = {s.element: s for segs in segments.values() for s in segs}
    elements_of = {e.id: event_elements(e, segments) for e in ordered}
    links = derive_links(ordered, segments, elements_of)
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
