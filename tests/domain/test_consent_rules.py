"""Guards the consent and assurance rules: decisions are checked naming the field, the standing
decision per purpose is the latest by (time, event id) whatever the order of arrival, defaults
per purpose apply when nothing was decided and ``always`` purposes ignore decisions, and each
assurance level follows its documented threshold."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from graph_identity.domain.consent import (
    DEFAULTS,
    Assurance,
    AssurancePolicy,
    ConsentDecision,
    ConsentPolicy,
    Default,
    InvalidConsent,
    Purpose,
    latest_decisions,
    parse_decision,
)

T0 = datetime(2026, 1, 5, 10, tzinfo=UTC)


def decision(purpose: Purpose, granted: bool, minutes: int, event_id: str) -> ConsentDecision:
    return ConsentDecision(purpose, granted, T0 + timedelta(minutes=minutes), event_id)


@pytest.mark.parametrize(
    ("description", "attributes", "field"),
    [
        ("not an object", ["MARKETING"], "attributes:"),
        ("missing", None, "attributes:"),
        ("unknown purpose", {"purpose": "GOSSIP", "granted": True}, "attributes.purpose:"),
        ("no purpose", {"granted": True}, "attributes.purpose:"),
        ("lower case", {"purpose": "marketing", "granted": True}, "attributes.purpose:"),
        ("granted as text", {"purpose": "MARKETING", "granted": "true"}, "attributes.granted:"),
        ("granted as number", {"purpose": "MARKETING", "granted": 1}, "attributes.granted:"),
    ],
)
def test_bad_decisions_name_the_field(description: str, attributes: Any, field: str) -> None:
    with pytest.raises(InvalidConsent, match=f"^{field}"):
        parse_decision(attributes)


def test_good_decision() -> None:
    assert parse_decision({"purpose": "ANALYTICS", "granted": False}) == (Purpose.ANALYTICS, False)


def test_latest_decision_wins_in_any_order() -> None:
    history = [
        decision(Purpose.MARKETING, True, 0, "a"),
        decision(Purpose.MARKETING, False, 60, "b"),
        decision(Purpose.MARKETING, True, 30, "c"),  # late, but older than the revocation
        decision(Purpose.ANALYTICS, False, 5, "d"),
        decision(Purpose.ANALYTICS, True, 5, "e"),  # same moment: the larger event id
    ]
    expected = [history[1], history[4]]  # enum order: MARKETING before ANALYTICS
    for order in itertools.permutations(history):
        assert latest_decisions(order) == expected


@pytest.mark.parametrize(
    ("purpose", "decided", "expected"),
    [
        (Purpose.MARKETING, None, False),  # default deny
        (Purpose.MARKETING, True, True),
        (Purpose.PERSONALIZATION, None, True),  # default grant
        (Purpose.PERSONALIZATION, False, False),
        (Purpose.ANALYTICS, False, False),
        (Purpose.SERVICE, False, True),  # always
        (Purpose.FRAUD_PREVENTION, False, True),
    ],
)
def test_default_policy(purpose: Purpose, decided: bool | None, expected: bool) -> None:
    standing = [] if decided is None else [decision(purpose, decided, 0, "x")]
    assert ConsentPolicy().allows(purpose, standing) is expected


def test_policy_from_configuration() -> None:
    policy = ConsentPolicy.parse("marketing:grant, SERVICE:deny", "VAR")
    assert policy.defaults == {**DEFAULTS, Purpose.MARKETING: Default.GRANT,
                               Purpose.SERVICE: Default.DENY}  # fmt: skip
    assert policy.allows(Purpose.MARKETING, [])
    assert not policy.allows(Purpose.SERVICE, [])
    assert policy.asks_consent(Purpose.SERVICE)
    for bad in ("MARKETING", "GOSSIP:grant", "MARKETING:maybe"):
        with pytest.raises(ValueError, match=r"^VAR: "):
            ConsentPolicy.parse(bad, "VAR")


@pytest.mark.parametrize(
    ("description", "facts", "expected"),
    [
        ("never seen", {"has_person": False, "confidence": 0.0, "candidates": 0}, "UNKNOWN"),
        ("shared", {"has_person": False, "confidence": 0.0, "candidates": 2}, "AMBIGUOUS"),
        ("verified", {"has_person": True, "confidence": 0.4, "verified": True}, "VERIFIED"),
        ("at threshold", {"has_person": True, "confidence": 0.9}, "HIGH"),
        ("below", {"has_person": True, "confidence": 0.89}, "LOW"),
    ],
)
def test_assurance_levels(description: str, facts: dict[str, Any], expected: str) -> None:
    facts = {"candidates": 1, "verified": False, **facts}
    assert AssurancePolicy().level(**facts) is Assurance(expected)


def test_assurance_threshold_is_configurable() -> None:
    policy = AssurancePolicy(high=0.5)
    assert policy.level(has_person=True, confidence=0.5, candidates=1, verified=False) is (
        Assurance.HIGH
    )
