"""Confidence (docs/resolution.md#confidence): the scoring arithmetic, and that a resolved person's
confidence in an identifier stays in [0, 1], grows with link strength (verified login > login >
identify > touchpoint) and repetition, and falls with age and when the identifier is shared."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from graph_identity.domain.config import ResolutionConfig, ScoringConfig
from graph_identity.domain.events import Event, EventType
from graph_identity.domain.identifiers import Identifier
from graph_identity.domain.links import Link, LinkKind
from graph_identity.domain.resolution import resolve
from graph_identity.domain.scoring import (
    clamp,
    combine,
    kind_strength,
    link_score,
    recency,
    shared_confidence,
)

SCORING = ScoringConfig()
T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
A, B = "ACCOUNT:a", "ACCOUNT:b"
COOKIE, EMAIL = "COOKIE:c1", "EMAIL:ann@example.com"


def link(kind: LinkKind = LinkKind.IDENTIFY, count: int = 1, days_old: float = 0) -> Link:
    at = T0 - timedelta(days=days_old)
    return Link("x", "y", kind, count, at, at)


def ev(event_id: str, days: float, kind: EventType, *keys: str, verified: bool = False) -> Event:
    identifiers = tuple(sorted(Identifier.from_key(k) for k in keys))
    return Event(event_id, T0 + timedelta(days=days), kind, identifiers, verified=verified)


def confidence(events: list[Event], person: str, key: str, config: ResolutionConfig) -> float:
    partition = resolve(events, config)
    found = [m for m in partition.memberships if m.person == person and m.identifier == key]
    assert len(found) == 1, partition.persons()
    return found[0].confidence


def test_default_strengths_are_ordered() -> None:
    strengths = [kind_strength(kind, SCORING) for kind in LinkKind]
    assert strengths == sorted(strengths)
    assert len(set(strengths)) == len(strengths)
    assert all(0.0 <= s <= 1.0 for s in strengths)


@pytest.mark.parametrize(
    ("description", "age_days", "expected"),
    [
        ("fresh", 0, 1.0),
        ("one half-life", 180, 0.6 + 0.4 * 0.5),
        ("two half-lives", 360, 0.6 + 0.4 * 0.25),
        ("ancient: the floor", 100_000, 0.6),
        ("newer than the reference counts as fresh", -30, 1.0),
    ],
)
def test_recency_halves_towards_the_floor(
    description: str, age_days: float, expected: float
) -> None:
    last = T0 - timedelta(days=age_days)
    assert recency(last, T0, SCORING) == pytest.approx(expected), description


@pytest.mark.parametrize(
    ("description", "count", "expected"),
    [
        ("once", 1, 0.8),
        ("twice", 2, 1 - 0.2**2),
        ("five times", 5, 1 - 0.2**5),
        ("ten times counts as the cap of five", 10, 1 - 0.2**5),
    ],
)
def test_repetition_counts_as_independent_observations_up_to_a_cap(
    description: str, count: int, expected: float
) -> None:
    assert link_score(link(count=count), T0, SCORING) == pytest.approx(expected), description


def test_link_score_fades_with_age() -> None:
    assert link_score(link(days_old=180), T0, SCORING) == pytest.approx(0.8 * 0.8)


@pytest.mark.parametrize(
    ("description", "scores", "expected"),
    [
        ("no evidence", [], 0.0),
        ("one", [0.7], 0.7),
        ("two halves", [0.5, 0.5], 0.75),
        ("a certainty wins", [0.2, 1.0], 1.0),
    ],
)
def test_combine_is_a_noisy_or(description: str, scores: list[float], expected: float) -> None:
    assert combine(scores) == pytest.approx(expected), description


@pytest.mark.parametrize(
    ("description", "persons", "expected"),
    [
        ("one person", 1, 0.8 * 0.6),
        ("four persons", 4, 0.8 * 0.6 / 2),
        ("no persons counts as one", 0, 0.8 * 0.6),
    ],
)
def test_shared_confidence_is_discounted_and_divided(
    description: str, persons: int, expected: float
) -> None:
    assert shared_confidence(0.8, persons, SCORING) == pytest.approx(expected), description


@pytest.mark.parametrize(
    ("value", "expected"), [(-0.5, 0.0), (0.0, 0.0), (0.123456, 0.1235), (1.0, 1.0), (1.7, 1.0)]
)
def test_clamp_bounds_and_rounds(value: float, expected: float) -> None:
    assert clamp(value) == expected


@pytest.mark.parametrize(
    ("field", "value"),
    [("strength_login", 1.5), ("strength_identify", -0.1), ("max_repetitions", 0)],
)
def test_scoring_config_rejects_out_of_range_values(field: str, value: float) -> None:
    with pytest.raises(ValueError):
        ScoringConfig.model_validate({field: value})


# -- confidence of resolved persons -------------------------------------------------------


def test_stronger_evidence_gives_higher_confidence_in_otherwise_identical_worlds() -> None:
    config = ResolutionConfig()
    worlds = {
        "verified login": [ev("e", 0, EventType.LOGIN, A, COOKIE, verified=True)],
        "login": [ev("e", 0, EventType.LOGIN, A, COOKIE)],
        "identify": [ev("e", 0, EventType.IDENTIFY, A, COOKIE)],
        "touchpoint": [ev("e", 0, EventType.PAGE_VIEW, A, COOKIE)],
    }
    scores = [confidence(events, A, COOKIE, config) for events in worlds.values()]
    assert scores == sorted(scores, reverse=True)
    assert len(set(scores)) == 4, dict(zip(worlds, scores, strict=True))
    assert all(0.0 < s <= 1.0 for s in scores)


def test_the_account_anchors_its_person_with_full_confidence() -> None:
    events = [ev("e", 0, EventType.PAGE_VIEW, A, COOKIE)]
    assert confidence(events, A, A, ResolutionConfig()) == 1.0


def test_repetition_raises_confidence() -> None:
    config = ResolutionConfig()
    once = [ev("i1", 0, EventType.IDENTIFY, A, EMAIL)]
    thrice = once + [ev(f"i{n}", 0, EventType.IDENTIFY, A, EMAIL) for n in (2, 3)]
    assert confidence(thrice, A, EMAIL, config) > confidence(once, A, EMAIL, config)


def test_age_lowers_confidence() -> None:
    config = ResolutionConfig()
    other = "EMAIL:other@example.com"
    recent = [ev("i1", 0, EventType.IDENTIFY, A, EMAIL), ev("i2", 1, EventType.IDENTIFY, A, other)]
    aged = [ev("i1", 0, EventType.IDENTIFY, A, EMAIL), ev("i2", 400, EventType.IDENTIFY, A, other)]
    assert confidence(aged, A, EMAIL, config) < confidence(recent, A, EMAIL, config)
    # the fresh link is not penalised
    assert confidence(aged, A, other, config) == confidence(recent, A, other, config)


def test_sharing_lowers_confidence() -> None:
    config = ResolutionConfig()
    alone = [ev("i1", 0, EventType.IDENTIFY, A, EMAIL)]
    shared = [*alone, ev("i2", 0, EventType.IDENTIFY, B, EMAIL)]
    partition = resolve(shared, config)
    assert partition.shared[EMAIL] == [A, B]
    assert confidence(shared, A, EMAIL, config) < confidence(alone, A, EMAIL, config)
    assert confidence(shared, A, EMAIL, config) == pytest.approx(
        confidence(alone, A, EMAIL, config) * 0.6 / math.sqrt(2), abs=1e-3
    )


def test_strengths_are_configurable() -> None:
    events = [ev("i1", 0, EventType.IDENTIFY, A, EMAIL)]
    low = ResolutionConfig(scoring=ScoringConfig(strength_identify=0.3))
    assert confidence(events, A, EMAIL, low) == pytest.approx(0.3)
    assert confidence(events, A, EMAIL, ResolutionConfig()) == pytest.approx(0.8)


def test_a_kiosk_is_less_certain_than_a_personal_device() -> None:
    config = ResolutionConfig()
    kiosk, phone = "DEVICE:kiosk", "DEVICE:own-phone"
    events = [ev("own", 0, EventType.LOGIN, A, phone)]
    for n, acct in enumerate([A, B, "ACCOUNT:c"]):
        events += [
            ev(f"in{n}", 0.01 * n, EventType.LOGIN, acct, kiosk),
            ev(f"out{n}", 0.01 * n + 0.005, EventType.LOGOUT, acct, kiosk),
        ]
    assert confidence(events, A, kiosk, config) < confidence(events, A, phone, config)
