"""Fraud clusters: persons connected through shared identifiers, ranked.

Two persons are in one cluster when a chain of shared identifiers (a device, a cookie, a
phone each listed on both ends of a step) joins them. A cluster is ranked by how many persons
it holds, then by its busiest carrier's logins in one hour, then by how many identifiers they
share: a household tablet makes a cluster of two with a few logins a day; a fraud rig makes
one of dozens with many logins an hour.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ClusterShape:
    id: str
    persons: list[str]  # person ids, sorted
    shared: list[str]  # identifier keys, sorted


def _find(parent: dict[str, str], x: str) -> str:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def find_clusters(shared: dict[str, list[str]], min_persons: int) -> list[ClusterShape]:
    """Connected components of persons through ``shared`` (identifier key -> person ids) with
    at least ``min_persons`` persons, in a stable order (by id)."""
    parent: dict[str, str] = {}
    for persons in shared.values():
        for p in persons:
            parent.setdefault(p, p)
        for p in persons[1:]:
            a, b = _find(parent, persons[0]), _find(parent, p)
            if a != b:
                parent[max(a, b)] = min(a, b)
    members: dict[str, list[str]] = {}
    for p in parent:
        members.setdefault(_find(parent, p), []).append(p)
    keys: dict[str, list[str]] = {}
    for key, persons in shared.items():
        if persons:
            keys.setdefault(_find(parent, persons[0]), []).append(key)
    found = []
    for root, persons in members.items():
        if len(persons) < min_persons:
            continue
        ordered = sorted(persons)
        digest = hashlib.sha256("\x00".join(ordered).encode()).hexdigest()[:16]
        found.append(ClusterShape("cl_" + digest, ordered, sorted(keys.get(root, []))))
    return sorted(found, key=lambda c: c.id)


def rank(clusters: list[ClusterShape], peak: dict[str, int]) -> list[ClusterShape]:
    """Largest first, then the busiest carrier (``peak``: key -> logins in its busiest hour),
    then most shared identifiers, then id."""
    return sorted(
        clusters,
        key=lambda c: (
            -len(c.persons),
            -max((peak.get(k, 0) for k in c.shared), default=0),
            -len(c.shared),
            c.id,
        ),
    )
