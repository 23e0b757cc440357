"""Links: what the events say about which identifiers belong together.

Each event links the resolution-graph elements it touches: an identifier stands for itself,
except a carrier (cookie, device), which stands for its segment at the event's moment (see
:mod:`segments`). A LOGIN links its account to everything else in it; other events link all
their elements pairwise. Repeated observations of one pair aggregate into one :class:`Link`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from graph_identity.domain.events import Event, EventType
from graph_identity.domain.segments import Segment, locate

MAX_EVIDENCE = 10


class LinkKind(enum.IntEnum):
    """Evidence kinds, weakest first; a link is as strong as its strongest evidence."""

    TOUCHPOINT = 1
    IDENTIFY = 2
    LOGIN = 3
    VERIFIED_LOGIN = 4
    MANUAL = 5


@dataclass(slots=True)
class Link:
    a: str  # element names, a < b
    b: str
    kind: LinkKind
    count: int
    first: datetime
    last: datetime
    evidence: list[str] = field(default_factory=list)  # earliest event ids, at most MAX_EVIDENCE

    def order_key(self) -> tuple[int, datetime, str, str]:
        """Strongest first, then earliest, then by name: the one total order merges follow."""
        return (-int(self.kind), self.first, self.a, self.b)


def event_kind(event: Event) -> LinkKind:
    if event.type is EventType.LOGIN:
        return LinkKind.VERIFIED_LOGIN if event.verified else LinkKind.LOGIN
    if event.type is EventType.LOGOUT:
        return LinkKind.LOGIN
    if event.type is EventType.IDENTIFY:
        return LinkKind.IDENTIFY
    return LinkKind.TOUCHPOINT


def event_elements(event: Event, segments: Mapping[str, list[Segment]]) -> dict[str, str]:
    """identifier key -> element name for one event."""
    elements: dict[str, str] = {}
    for ident in event.identifiers:
        key = ident.key
        if ident.is_carrier:
            elements[key] = locate(segments[key], event).element
        else:
            elements[key] = key
    return elements


def derive_links(
    events: Iterable[Event],
    segments: Mapping[str, list[Segment]],
    elements_of: Mapping[str, dict[str, str]] | None = None,
) -> dict[tuple[str, str], Link]:
    """Aggregate the links of all events; events must be unique by id. ``elements_of`` may
    hold :func:`event_elements` already worked out, by event id."""
    links: dict[tuple[str, str], Link] = {}
    for event in sorted(events, key=lambda e: (e.at, e.id)):
        if elements_of is not None and event.id in elements_of:
            elements = elements_of[event.id]
        else:
            elements = event_elements(event, segments)
        kind = event_kind(event)
        names = sorted(set(elements.values()))
        if event.type in (EventType.LOGIN, EventType.LOGOUT):
            hub = elements[event.accounts[0].key]
            pairs = [(min(hub, n), max(hub, n)) for n in names if n != hub]
        else:
            pairs = [(x, y) for i, x in enumerate(names) for y in names[i + 1 :]]
        for pair in pairs:
            link = links.get(pair)
            if link is None:
                links[pair] = Link(pair[0], pair[1], kind, 1, event.at, event.at, [event.id])
                continue
            link.kind = max(link.kind, kind)
            link.count += 1
            link.last = max(link.last, event.at)
            link.first = min(link.first, event.at)
            if len(link.evidence) < MAX_EVIDENCE:
                link.evidence.append(event.id)
    return links
