"""The confidence model (README "Scoring"): pure arithmetic over link evidence.

* A link's score starts from the strength of its strongest evidence kind
  (verified login > login > identify > touchpoint), grows with repetition as independent
  observations would (``1 - (1 - s) ** n``, n capped), and fades with age towards a floor
  (half-life decay, measured from the newest evidence of the person it belongs to).
* An identifier's confidence in a person is the noisy-OR of its links into that person; an
  account (the anchor of a person) and a person's only identifier have confidence 1.
* A shared identifier's confidence on each of its persons is multiplied by ``shared_factor``
  and divided by the square root of its number of persons.
* A *weak claim* (a TOUCHPOINT or IDENTIFY link seen at most ``weak_claim_count`` times, never
  verified) does not outweigh an email or phone *held* by an account (their link scores at
  least ``held_strength`` on strength and repetition alone): see :mod:`claims`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime

from graph_identity.domain.config import ScoringConfig
from graph_identity.domain.links import Link, LinkKind

_STRENGTH_FIELD = {
    LinkKind.TOUCHPOINT: "strength_touchpoint",
    LinkKind.IDENTIFY: "strength_identify",
    LinkKind.LOGIN: "strength_login",
    LinkKind.VERIFIED_LOGIN: "strength_verified_login",
    LinkKind.MANUAL: "strength_manual",
}


def kind_strength(kind: LinkKind, config: ScoringConfig) -> float:
    strength: float = getattr(config, _STRENGTH_FIELD[kind])
    return strength


def recency(last: datetime, reference: datetime, config: ScoringConfig) -> float:
    age_days = max((reference - last).total_seconds(), 0.0) / 86_400
    decay: float = 0.5 ** (age_days / config.recency_half_life_days)
    return config.recency_floor + (1 - config.recency_floor) * decay


def repeated_strength(link: Link, config: ScoringConfig) -> float:
    """A link's score before recency: its kind's strength, grown by repetition."""
    base = kind_strength(link.kind, config)
    return 1 - (1 - base) ** min(link.count, config.max_repetitions)


def link_score(link: Link, reference: datetime, config: ScoringConfig) -> float:
    return repeated_strength(link, config) * recency(link.last, reference, config)


def is_weak_claim(link: Link, config: ScoringConfig) -> bool:
    """A single (or at most ``weak_claim_count``-fold) unverified claim: a touchpoint or
    IDENTIFY, not a login; its time plays no part, so the answer is the same in any order."""
    return link.kind <= LinkKind.IDENTIFY and link.count <= config.weak_claim_count


def holds(link: Link, config: ScoringConfig) -> bool:
    """Whether a link between an account and an email or phone is strong, repeated evidence
    that the account's person holds it (time plays no part)."""
    return repeated_strength(link, config) >= config.held_strength


def combine(scores: Iterable[float]) -> float:
    """Noisy-OR: the chance that at least one independent piece of evidence is right."""
    miss = 1.0
    for score in scores:
        miss *= 1 - score
    return 1 - miss


def shared_confidence(score: float, person_count: int, config: ScoringConfig) -> float:
    return score * config.shared_factor / math.sqrt(max(person_count, 1))


def clamp(value: float) -> float:
    return round(min(max(value, 0.0), 1.0), 4)
