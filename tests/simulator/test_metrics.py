"""Scoring against the ground truth: pairwise precision/recall from a contingency table, account
purity, shared flags, majority mapping and touchpoint attribution, on hand-made truths."""

from __future__ import annotations

import time
from typing import Any

import pytest

from graph_identity.simulator import (
    Truth,
    account_purity,
    attribution_scores,
    generate_world,
    impure_persons,
    majority_map,
    pairwise_scores,
    shared_scores,
)

# Ann owns four identifiers, Bob two, Cid one; the tablet is shared by Ann and Bob.
TRUTH = Truth(
    person_of={
        "ACCOUNT:ann": "ann",
        "EMAIL:ann@example.com": "ann",
        "COOKIE:ann-laptop": "ann",
        "DEVICE:ann-phone": "ann",
        "ACCOUNT:bob": "bob",
        "EMAIL:bob@example.com": "bob",
        "ACCOUNT:cid": "cid",
    },
    shared={"DEVICE:tablet": {"ann", "bob"}, "EMAIL:family@example.com": {"ann", "bob"}},
    actor_of={"e1": "ann", "e2": "bob", "e3": "ann", "e4": "cid", "login": "ann", "f": None},
    account_holder={"ACCOUNT:ann": "ann", "ACCOUNT:bob": "bob", "ACCOUNT:cid": "cid"},
    touchpoints={"e1", "e2", "e3", "e4"},
    unattributable={"e3"},
)
ANN = ["ACCOUNT:ann", "EMAIL:ann@example.com", "COOKIE:ann-laptop", "DEVICE:ann-phone"]
BOB = ["ACCOUNT:bob", "EMAIL:bob@example.com"]
CID = ["ACCOUNT:cid"]


def partition(*groups: list[str]) -> dict[str, str]:
    return {key: f"p{i}" for i, group in enumerate(groups) for key in group}


# true pairs: 6 (Ann) + 1 (Bob) + 0 (Cid) = 7
PAIRWISE_CASES: list[tuple[str, dict[str, str], dict[str, Any]]] = [
    ("perfect partition", partition(ANN, BOB, CID), {"precision": 1.0, "recall": 1.0, "f1": 1.0}),
    (
        "one wrong merge (Bob with Cid)",
        partition(ANN, [*BOB, *CID]),
        {"precision": 7 / 9, "recall": 1.0, "predicted_pairs": 9, "correct_pairs": 7},
    ),
    (
        "one split (Ann's phone alone)",
        partition(ANN[:3], ANN[3:], BOB, CID),
        {"precision": 1.0, "recall": 4 / 7, "correct_pairs": 4},
    ),
    (
        "everything in one person",
        partition([*ANN, *BOB, *CID]),
        {"precision": 7 / 21, "recall": 1.0},
    ),
    (
        "all singletons claim nothing, find nothing",
        {key: key for key in [*ANN, *BOB, *CID]},
        {"precision": 1.0, "recall": 0.0, "f1": 0.0},
    ),
    (
        "a missing identifier counts as alone",
        partition(ANN[:3], BOB, CID),
        {"precision": 1.0, "recall": 4 / 7, "missing": 1},
    ),
    (
        "shared and unknown keys are ignored",
        {**partition(ANN, BOB, CID), "DEVICE:tablet": "p0", "COOKIE:stranger": "p1"},
        {"precision": 1.0, "recall": 1.0, "identifiers": 7},
    ),
]


@pytest.mark.parametrize(
    ("description", "predicted", "expected"), PAIRWISE_CASES, ids=[c[0] for c in PAIRWISE_CASES]
)
def test_pairwise_scores(
    description: str, predicted: dict[str, str], expected: dict[str, Any]
) -> None:
    scores = pairwise_scores(predicted, TRUTH)
    for name, value in expected.items():
        assert getattr(scores, name) == pytest.approx(value), name
    assert scores.true_pairs == 7


@pytest.mark.parametrize(
    ("description", "predicted", "expected"),
    [
        ("perfect", partition(ANN, BOB, CID), 0),
        ("Bob's and Cid's accounts in one person", partition(ANN, [*BOB, *CID]), 1),
        ("all three in one", partition([*ANN, *BOB, *CID]), 1),
        ("three accounts in one", partition([*ANN, *BOB], CID) | {"ACCOUNT:cid": "p0"}, 1),
        (
            "only accounts count",
            {
                "ACCOUNT:ann": "x",
                "ACCOUNT:bob": "x",
                "ACCOUNT:cid": "y",
                "EMAIL:bob@example.com": "y",
            },
            1,
        ),
        ("unplaced accounts are pure", {}, 0),
    ],
)
def test_account_purity(description: str, predicted: dict[str, str], expected: int) -> None:
    assert account_purity(predicted, TRUTH) == expected


def test_impure_persons_names_the_holders() -> None:
    assert impure_persons(partition(ANN, [*BOB, *CID]), TRUTH) == {"p1": {"bob", "cid"}}


@pytest.mark.parametrize(
    ("description", "flagged", "precision", "recall"),
    [
        ("both found", {"DEVICE:tablet", "EMAIL:family@example.com"}, 1.0, 1.0),
        ("one found", {"DEVICE:tablet"}, 1.0, 0.5),
        ("one found, one owned flagged", {"DEVICE:tablet", "ACCOUNT:ann"}, 0.5, 0.5),
        ("junk flagged", {"EMAIL:null"}, 0.0, 0.0),
        ("nothing flagged", set(), 1.0, 0.0),
    ],
)
def test_shared_scores(
    description: str, flagged: set[str], precision: float, recall: float
) -> None:
    scores = shared_scores(flagged, TRUTH)
    assert scores.precision == pytest.approx(precision)
    assert scores.recall == pytest.approx(recall)
    assert scores.actual == 2


@pytest.mark.parametrize(
    ("description", "predicted", "expected"),
    [
        ("perfect", partition(ANN, BOB, CID), {"p0": "ann", "p1": "bob", "p2": "cid"}),
        ("majority wins", partition([*ANN, *BOB]), {"p0": "ann"}),
        ("tie goes to the smallest id", partition([*BOB, *ANN[:2]]), {"p0": "ann"}),
        ("shared keys do not vote", {"DEVICE:tablet": "p9", "ACCOUNT:bob": "p1"}, {"p1": "bob"}),
    ],
)
def test_majority_map(
    description: str, predicted: dict[str, str], expected: dict[str, str]
) -> None:
    assert majority_map(predicted, TRUTH) == expected


MAPPING = {"p0": "ann", "p1": "bob", "p2": "cid"}
ATTRIBUTION_CASES: list[tuple[str, dict[str, set[str]], dict[str, Any]]] = [
    (
        "every attributable touchpoint to its actor",
        {"e1": {"p0"}, "e2": {"p1"}, "e4": {"p2"}},
        {"precision": 1.0, "coverage": 1.0, "recall": 1.0, "misattributed": 0},
    ),
    (
        "one to the wrong person",
        {"e1": {"p0"}, "e2": {"p0"}, "e4": {"p2"}},
        {"precision": 2 / 3, "coverage": 1.0, "recall": 2 / 3, "misattributed": 1},
    ),
    (
        "an event on two timelines",
        {"e1": {"p0", "p1"}, "e2": {"p1"}},
        {"precision": 2 / 3, "coverage": 2 / 3, "recall": 2 / 3, "misattributed_events": 1},
    ),
    (
        "unmapped person is wrong",
        {"e1": {"p7"}},
        {"precision": 0.0, "coverage": 1 / 3, "recall": 0.0, "misattributed": 1},
    ),
    (
        "beyond the contract",
        {"e3": {"p0"}},
        {"precision": 1.0, "coverage": 0.0, "beyond_contract": 1},
    ),
    (
        "logins, fraud and unknown ids are not scored",
        {"login": {"p1"}, "f": {"p1"}, "zzz": {"p1"}, "e1": set()},
        {"precision": 1.0, "attributions": 0, "coverage": 0.0},
    ),
]


@pytest.mark.parametrize(
    ("description", "attributed", "expected"),
    ATTRIBUTION_CASES,
    ids=[c[0] for c in ATTRIBUTION_CASES],
)
def test_attribution_scores(
    description: str, attributed: dict[str, set[str]], expected: dict[str, Any]
) -> None:
    scores = attribution_scores(attributed, MAPPING, TRUTH)
    for name, value in expected.items():
        assert getattr(scores, name) == pytest.approx(value), name
    assert scores.attributable == 3


def test_a_perfect_engine_scores_perfectly_on_a_simulated_world() -> None:
    truth = generate_world().truth
    predicted = dict(truth.person_of)  # each owned identifier in its owner's person
    assert pairwise_scores(predicted, truth).f1 == 1.0
    assert account_purity(predicted, truth) == 0
    assert shared_scores(set(truth.shared), truth).f1 == 1.0
    mapping = majority_map(predicted, truth)
    attributed = {e: {truth.actor_of[e] or ""} for e in truth.attributable_events}
    scores = attribution_scores(attributed, mapping, truth)
    assert (scores.precision, scores.coverage, scores.recall) == (1.0, 1.0, 1.0)


def test_pairwise_scores_are_linear_time() -> None:
    n = 400_000
    truth = Truth(person_of={f"COOKIE:{i}": f"P{i // 8}" for i in range(n)})
    predicted = {f"COOKIE:{i}": f"Q{i // 16}" for i in range(n)}
    started = time.process_time()
    scores = pairwise_scores(predicted, truth)
    assert time.process_time() - started < 10
    assert scores.recall == 1.0
    assert scores.precision == pytest.approx(56 / 120)  # two true groups of 8 per 16
