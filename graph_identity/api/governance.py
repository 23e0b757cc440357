"""Purpose, consent, rate limits and the access log for one request (docs/access.md).

Root resolvers ask :class:`Governance` three things: which purpose a read is for
(:meth:`~Governance.purpose`), whether a person's consent withholds it
(:meth:`~Governance.withholds`), and to :meth:`~Governance.admit` the persons a field is about
to return (the key's rate limit, then a note for the access log). The endpoint writes the
notes with one statement when the request is done (:meth:`~Governance.flush`).
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from graphql import GraphQLError
from strawberry.dataloader import DataLoader

from graph_identity.api.auth import Principal
from graph_identity.domain.access import AccessRead
from graph_identity.domain.consent import (
    AssurancePolicy,
    ConsentDecision,
    ConsentPolicy,
    Purpose,
    latest_decisions,
)
from graph_identity.domain.errors import BadInput
from graph_identity.store.access_log import AccessLog
from graph_identity.store.consent import ConsentReads

RATE_WINDOW_SECONDS = 60.0


class RateLimiter:
    """Persons read (or messages sent) per caller over the last minute, counted in this process
    only. Callers idle for a minute are forgotten every ``SWEEP_EVERY`` charges, so that one
    entry per client address of a public endpoint does not stay for ever."""

    SWEEP_EVERY = 1000

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._reads: dict[str, deque[tuple[float, int]]] = defaultdict(deque)
        self._charges = 0

    def __len__(self) -> int:
        return len(self._reads)

    def charge(self, caller: str, limit: int, persons: int) -> float | None:
        """Count ``persons`` against ``caller``; the seconds to wait instead when over ``limit``."""
        now = self._clock()
        self._charges += 1
        if self._charges % self.SWEEP_EVERY == 0:
            idle = now - RATE_WINDOW_SECONDS
            for name in [n for n, r in self._reads.items() if not r or r[-1][0] <= idle]:
                del self._reads[name]
        reads = self._reads[caller]
        while reads and reads[0][0] <= now - RATE_WINDOW_SECONDS:
            reads.popleft()
        used = sum(n for _, n in reads)
        if used + persons > limit:
            return (
                max(1.0, reads[0][0] + RATE_WINDOW_SECONDS - now) if reads else RATE_WINDOW_SECONDS
            )
        reads.append((now, persons))
        return None


@dataclass(frozen=True)
class Rules:
    """What every request shares: the policies, the default purpose, the limiter."""

    consent: ConsentPolicy
    assurance: AssurancePolicy
    default_purpose: Purpose
    limiter: RateLimiter = field(default_factory=RateLimiter)


def refusal(message: str, code: str, **extensions: object) -> GraphQLError:
    """A GraphQL error the client is meant to see, with its ``extensions.code``."""
    return GraphQLError(message, extensions={"code": code, **extensions})


@dataclass
class Governance:
    """One request's governance. Build it per request: its loader and notes are the request's."""

    rules: Rules
    principal: Principal
    consent_reads: ConsentReads
    access_log: AccessLog
    purpose_header: str | None = None
    _reads: dict[tuple[str, Purpose], list[str]] = field(default_factory=dict, init=False)
    _charged: set[str] = field(default_factory=set, init=False)
    _purposes: dict[str, Purpose] = field(default_factory=dict, init=False)
    decisions: DataLoader[str, list[ConsentDecision]] = field(init=False)

    def __post_init__(self) -> None:
        self.decisions = DataLoader(load_fn=self.consent_reads.decisions)

    def purpose(self, argument: Purpose | None = None) -> Purpose:
        """The purpose of a read: the argument, else ``X-Purpose``, else the caller's default
        (its first bound purpose) or the configured one. Both given and different is bad input;
        a purpose the caller is not bound to is FORBIDDEN."""
        header: Purpose | None = None
        if self.purpose_header is not None and self.purpose_header.strip():
            try:
                header = Purpose(self.purpose_header.strip().upper())
            except ValueError as exc:
                names = ", ".join(p.value for p in Purpose)
                raise BadInput("X-Purpose", f"must be one of {names}") from exc
        if argument is not None and header is not None and argument is not header:
            raise BadInput("purpose", f"{argument.value} conflicts with X-Purpose {header.value}")
        bound = self.principal.purposes
        chosen = argument or header or (bound[0] if bound else self.rules.default_purpose)
        if bound is not None and chosen not in bound:
            allowed = ", ".join(p.value for p in bound) or "none"
            raise refusal(
                f"forbidden: this caller may read for {allowed}, not {chosen.value}", "FORBIDDEN"
            )
        return chosen

    def purpose_for(self, person_id: str) -> Purpose:
        """The purpose a person was read for in this request (for its nested fields)."""
        return self._purposes.get(person_id) or self.purpose()

    def prime(self, decisions: dict[str, list[ConsentDecision]]) -> None:
        """Decisions a read brought along already: the loader will not read them again."""
        for person_id, found in decisions.items():
            self.decisions.prime(person_id, found)

    async def standing(self, person_id: str) -> list[ConsentDecision]:
        """The person's standing decision per purpose."""
        return latest_decisions(await self.decisions.load(person_id))

    async def withholds(self, person_id: str, purpose: Purpose) -> bool:
        """Whether the person's consent withholds a read for ``purpose``."""
        if not self.rules.consent.asks_consent(purpose):
            return False  # no need to read the person's decisions
        return not self.rules.consent.allows(purpose, await self.standing(person_id))

    def admit(self, operation: str, purpose: Purpose, person_ids: Iterable[str]) -> None:
        """Charge the persons a field returns to the caller's rate limit, then note the read.
        Raises RATE_LIMITED (and notes nothing) when the caller is over its limit."""
        ids = list(dict.fromkeys(person_ids))
        new = [p for p in ids if p not in self._charged]
        limit = self.principal.rate_limit
        if limit is not None and new:
            wait = self.rules.limiter.charge(self.principal.subject, limit, len(new))
            if wait is not None:
                raise refusal(
                    f"rate limited: this key may read {limit} persons a minute; "
                    f"retry in {wait:.0f} s",
                    "RATE_LIMITED",
                    retryAfterSeconds=round(wait),
                )
        self._charged.update(new)
        for person_id in ids:
            self._purposes.setdefault(person_id, purpose)
        if ids:
            self._reads.setdefault((operation, purpose), []).extend(ids)

    async def flush(self) -> None:
        """Write the request's reads to the access log (one statement; none if nothing read)."""
        reads = [
            AccessRead(operation, purpose, tuple(dict.fromkeys(ids)))
            for (operation, purpose), ids in self._reads.items()
        ]
        self._reads = {}
        role = ",".join(sorted(r.value for r in self.principal.roles))
        await self.access_log.record(self.principal.subject, role, reads)
