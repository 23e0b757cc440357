"""Fraud clusters as a pure function: components of persons through shared identifiers,
filtered by size and ranked largest, then busiest, then most shared."""

from __future__ import annotations

import pytest

from graph_identity.domain.clusters import find_clusters, rank


@pytest.mark.parametrize(
    ("description", "shared", "minimum", "expected"),
    [
        ("one device, two persons", {"D:a": ["p1", "p2"]}, 2, [["p1", "p2"]]),
        ("a chain of devices joins three", {"D:a": ["p1", "p2"], "D:b": ["p2", "p3"]}, 2,
         [["p1", "p2", "p3"]]),
        ("separate devices stay separate", {"D:a": ["p1", "p2"], "D:b": ["p3", "p4"]}, 2,
         [["p1", "p2"], ["p3", "p4"]]),
        ("too small is left out", {"D:a": ["p1", "p2"], "D:b": ["p3", "p4", "p5"]}, 3,
         [["p3", "p4", "p5"]]),
        ("nothing shared", {}, 2, []),
    ],
)  # fmt: skip
def test_find_clusters(
    description: str, shared: dict[str, list[str]], minimum: int, expected: list[list[str]]
) -> None:
    found = sorted(c.persons for c in find_clusters(shared, minimum))
    assert found == expected, description


def test_rank_is_largest_then_busiest() -> None:
    shapes = find_clusters(
        {"D:quiet": ["p1", "p2"], "D:busy": ["p3", "p4"], "D:big": ["p5", "p6", "p7"]}, 2
    )
    ranked = rank(shapes, {"D:busy": 40, "D:quiet": 1, "D:big": 0})
    assert [c.shared for c in ranked] == [["D:big"], ["D:busy"], ["D:quiet"]]
    assert len({c.id for c in ranked}) == 3
    again = find_clusters({"D:busy": ["p4", "p3"]}, 2)
    assert again[0].id == next(c.id for c in ranked if c.shared == ["D:busy"]), "stable ids"
