"""Union-find whose unions respect per-type limits and cannot-link constraints."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.identifiers import IdentifierType

CANNOT_LINK = "cannot-link constraint"


class GroupRules:
    """Groups of elements; each element stands for one identifier of one type.

    ``try_union`` joins two groups unless the result would hold more identifiers of a type
    than its limit, or both sides of a cannot-link; it returns the reason when it refuses.
    """

    def __init__(
        self,
        elements: Iterable[str],
        identity: Mapping[str, tuple[IdentifierType, str]],
        config: ResolutionConfig,
        cannot_link: Iterable[tuple[frozenset[str], frozenset[str]]] = (),
    ) -> None:
        self._parent: dict[str, str] = {}
        self._members: dict[str, dict[IdentifierType, set[str]]] = {}
        self._tags: dict[str, set[tuple[int, int]]] = {}
        self._config = config
        sides: dict[str, set[tuple[int, int]]] = {}
        for index, (left, right) in enumerate(cannot_link):
            for side, keys in enumerate((left, right)):
                for key in keys:
                    sides.setdefault(key, set()).add((index, side))
        for el in elements:
            kind, key = identity[el]
            self._parent[el] = el
            self._members[el] = {kind: {key}}
            self._tags[el] = set(sides.get(key, ()))

    def find(self, el: str) -> str:
        root = el
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[el] != root:
            self._parent[el], el = root, self._parent[el]
        return root

    def refusal(self, ra: str, rb: str) -> str | None:
        for kind, keys in self._members[ra].items():
            other = self._members[rb].get(kind)
            if not other:
                continue
            limit = self._config.limit(kind)
            if len(keys) + len(other) > limit and len(keys | other) > limit:
                return f"{kind.value} limit {limit}"
        tags_b = self._tags[rb]
        for index, side in self._tags[ra]:
            if (index, 1 - side) in tags_b:
                return CANNOT_LINK
        return None

    def try_union(self, a: str, b: str) -> str | None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        reason = self.refusal(ra, rb)
        if reason is None:
            self._join(ra, rb)
        return reason

    def union(self, a: str, b: str, *, force: bool = False) -> str | None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        reason = None if force else self.refusal(ra, rb)
        if reason is None:
            self._join(ra, rb)
        return reason

    def _join(self, ra: str, rb: str) -> None:
        # the smaller name stays root, so group ids do not depend on union order
        if rb < ra:
            ra, rb = rb, ra
        self._parent[rb] = ra
        small, large = self._members.pop(rb), self._members[ra]
        for kind, keys in small.items():
            large.setdefault(kind, set()).update(keys)
        self._tags[ra] |= self._tags.pop(rb)
