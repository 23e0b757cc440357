"""The identifier-level view of a resolution: links between identifiers, paths, neighbourhoods.

Resolution works on elements (an identifier, or a carrier's segment); people looking at the
graph think in identifiers. This folds element links into identifier links (keeping the
strongest evidence, counts, period, whether a logout cut it, whether it merged, and why not)
and answers the fraud team's two questions: what surrounds an identifier, and what chain of
links joins two of them.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import datetime

from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.links import LinkKind
from graph_identity.domain.resolution import Partition
from graph_identity.domain.scoring import clamp, link_score
from graph_identity.domain.segments import Segment


@dataclass(slots=True)
class IdentifierLink:
    a: str  # identifier keys, a < b
    b: str
    kind: LinkKind
    strength: float
    count: int
    first: datetime
    last: datetime
    cut_at: datetime | None
    merged: bool
    refusal: str | None
    evidence: list[str] = field(default_factory=list)

    def other(self, key: str) -> str:
        return self.b if key == self.a else self.a


def identifier_links(partition: Partition, config: ResolutionConfig) -> list[IdentifierLink]:
    """Every link of the partition, folded to identifier pairs."""
    segment_of: dict[str, Segment] = {
        s.element: s for segs in partition.segments.values() for s in segs
    }
    trace = partition.trace
    pairs: dict[tuple[str, str], IdentifierLink] = {}
    for (a, b), link in trace.links.items():
        ka = segment_of[a].carrier if a in segment_of else a
        kb = segment_of[b].carrier if b in segment_of else b
        if ka == kb:
            continue
        cuts = [s.end for e in (a, b) if (s := segment_of.get(e)) and s.cut and s.end is not None]
        # an edge into a shared identifier joins nobody, whatever its session did: the
        # identifier-level answer must say what `explain` says
        shared_end = ka in partition.shared or kb in partition.shared
        merged = (a, b) in trace.merged and not shared_end
        refusal = None
        if shared_end and (a, b) in trace.merged:
            refusal = "shared identifier"
        elif not merged:
            refusal = trace.rejected.get((a, b)) or (
                "shared identifier"
                if a in trace.excluded or b in trace.excluded
                else "different persons"
            )
        strength = clamp(link_score(link, link.last, config.scoring))
        key = (min(ka, kb), max(ka, kb))
        row = pairs.get(key)
        if row is None:
            pairs[key] = IdentifierLink(
                key[0], key[1], link.kind, strength, link.count, link.first, link.last,
                max(cuts) if cuts else None, merged, refusal, list(link.evidence),
            )  # fmt: skip
            continue
        row.kind = max(row.kind, link.kind)
        row.strength = max(row.strength, strength)
        row.count += link.count
        row.first = min(row.first, link.first)
        row.last = max(row.last, link.last)
        if cuts:
            row.cut_at = max([*cuts, *([row.cut_at] if row.cut_at else [])])
        row.merged = row.merged or merged
        row.refusal = None if row.merged else (row.refusal or refusal)
        row.evidence = sorted(set(row.evidence) | set(link.evidence))[:10]
    return sorted(pairs.values(), key=lambda link: (link.a, link.b))


@dataclass(frozen=True, slots=True)
class Reach:
    """What :func:`within_hops` found, and whether ``limit`` stopped it."""

    keys: set[str]
    capped: bool


def within_hops(links: list[IdentifierLink], start: str, hops: int, limit: int) -> Reach:
    """Identifier keys at most ``hops`` links from ``start`` (at most ``limit`` of them)."""
    adjacent: dict[str, list[str]] = defaultdict(list)
    for link in links:
        adjacent[link.a].append(link.b)
        adjacent[link.b].append(link.a)
    seen = {start}
    frontier = [start]
    capped = False
    for _ in range(hops):
        nxt = []
        for key in frontier:
            for other in sorted(adjacent[key]):
                if other in seen:
                    continue
                if len(seen) >= limit:
                    capped = True
                    continue
                seen.add(other)
                nxt.append(other)
        frontier = nxt
    return Reach(seen, capped)


def chain(links: list[IdentifierLink], a: str, b: str) -> list[IdentifierLink]:
    """The shortest chain of links from ``a`` to ``b``, through merged links when one exists."""
    for usable in (lambda link: link.merged, lambda link: True):
        adjacent: dict[str, list[IdentifierLink]] = defaultdict(list)
        for link in links:
            if usable(link):
                adjacent[link.a].append(link)
                adjacent[link.b].append(link)
        previous: dict[str, IdentifierLink | None] = {a: None}
        queue = deque([a])
        while queue:
            key = queue.popleft()
            if key == b:
                path: list[IdentifierLink] = []
                while (step := previous[key]) is not None:
                    path.append(step)
                    key = step.other(key)
                return path[::-1]
            for link in adjacent[key]:
                other = link.other(key)
                if other not in previous:
                    previous[other] = link
                    queue.append(other)
    return []
