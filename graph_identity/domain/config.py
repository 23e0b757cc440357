"""Tunable rules of resolution and scoring. Pure data: the settings layer fills it in."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, Field

from graph_identity.domain.identifiers import IdentifierType

DEFAULT_BLOCKED = frozenset(
    {
        "null", "none", "nil", "undefined", "unknown", "n/a", "na", "0", "-", "test",
        "anonymous", "guest", "default", "00000000-0000-0000-0000-000000000000",
        "test@test.com", "noemail@example.com", "no@email.com", "none@none.com",
        "email@example.com", "test@example.com", "noreply@example.com", "na@na.com",
        "+10000000000", "+11111111111", "+15555555555", "0000000000", "1234567890",
    }
)  # fmt: skip

DEFAULT_LIMITS = {
    IdentifierType.ACCOUNT: 1,
    IdentifierType.EMAIL: 5,
    IdentifierType.PHONE: 5,
    IdentifierType.DEVICE: 25,
    IdentifierType.COOKIE: 200,
}


class ScoringConfig(BaseModel):
    """The confidence model; see README "Scoring". Strengths are per evidence kind."""

    strength_verified_login: float = Field(0.99, ge=0, le=1)
    strength_login: float = Field(0.95, ge=0, le=1)
    strength_identify: float = Field(0.8, ge=0, le=1)
    strength_touchpoint: float = Field(0.5, ge=0, le=1)
    strength_manual: float = Field(1.0, ge=0, le=1)
    #: each repetition of a link counts as one more independent observation, up to this many
    max_repetitions: int = Field(5, ge=1)
    #: a link's weight halves towards ``recency_floor`` every half-life of age
    recency_half_life_days: float = Field(180.0, gt=0)
    recency_floor: float = Field(0.6, ge=0, le=1)
    #: factor applied to a shared identifier's confidence, before dividing among its persons
    shared_factor: float = Field(0.6, ge=0, le=1)
    #: a TOUCHPOINT or IDENTIFY link seen at most this many times is a weak claim (0: none is)
    weak_claim_count: int = Field(1, ge=0)
    #: an email or phone whose evidence with an account scores at least this (strength and
    #: repetition, no recency) is held by it: a weak claim does not take it away
    held_strength: float = Field(0.95, ge=0, le=1)


class ResolutionConfig(BaseModel):
    """Merge protection, time rules and the placeholder list."""

    limits: dict[IdentifierType, int] = Field(default_factory=lambda: dict(DEFAULT_LIMITS))
    #: anonymous activity this long before a login on the same device joins that login
    prelogin_window: timedelta = timedelta(minutes=30)
    #: a shared email or phone counts as handed over (a recycled number) when its next user
    #: appears at least this long after the previous one was last seen with it
    handover_gap: timedelta = timedelta(days=30)
    #: an identifier shared by at least this many persons is a hub: incremental resolution
    #: does not recompute through it (see store/region.py)
    hub_persons: int = Field(8, ge=2)
    #: values (lower-cased) that are never linked to anything
    blocked_values: frozenset[str] = DEFAULT_BLOCKED
    default_region: str = "US"
    scoring: ScoringConfig = Field(default_factory=ScoringConfig)

    def limit(self, kind: IdentifierType) -> int:
        return self.limits.get(kind, DEFAULT_LIMITS[kind])
