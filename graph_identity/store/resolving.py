"""``resolve`` in one round trip: who an identifier stands for, with what assurance and consent
need, from one statement (cypher/queries/persons/resolve.cypher).

A carrier with more than one segment answers by the rule attribution uses
(:func:`graph_identity.domain.carrier_moment.carrier_moment`): the holder of the session
covering the moment, and nobody, with the reason, between sessions, whether or not the carrier
is shared. Everything else answers as before: an owned identifier its owner, a shared email or
phone the holder of the moment when its holders took turns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from graph_identity.domain.carrier_moment import NoPersonReason, carrier_moment
from graph_identity.domain.consent import ConsentDecision
from graph_identity.domain.identifiers import Identifier
from graph_identity.domain.resolution import holder_at
from graph_identity.domain.views import CandidateRef, ResolutionRef
from graph_identity.store.consent import grouped_decisions
from graph_identity.store.core import StoreCore
from graph_identity.store.records import HeldSegment, epoch_us, from_epoch_us, segments_from_json


@dataclass(frozen=True, slots=True)
class ResolveRead:
    """One resolve's answer as ids, and what governing it needs without another read."""

    ref: ResolutionRef
    verified: frozenset[str] = frozenset()  # persons of a verified LOGIN in the window asked
    #: the listed persons' consent decisions (None: not asked for)
    decisions: dict[str, list[ConsentDecision]] | None = field(default=None)


class ResolveReads(StoreCore):
    async def resolve_ref(self, identifier: Identifier, at: datetime | None) -> ResolutionRef:
        """Who ``identifier`` stands for (at ``at``, or now), with persons as ids."""
        return (await self.resolve_read(identifier, at)).ref

    async def resolve_read(
        self,
        identifier: Identifier,
        at: datetime | None,
        *,
        verified_since: datetime | None = None,
        consent: bool = False,
    ) -> ResolveRead:
        """:meth:`resolve_ref` plus, from the same statement, the persons a verified LOGIN on
        the identifier in [``verified_since``, ``at`` or now] is attributed to (when a window
        is given) and the listed persons' consent decisions (when ``consent``)."""
        moment = at or datetime.now(UTC)
        rows = await self.read(
            "persons/resolve",
            key=identifier.key,
            verify=verified_since is not None,
            since_us=epoch_us(verified_since or moment),
            until_us=epoch_us(moment),
            consent=consent,
        )
        if not rows:
            return ResolveRead(ResolutionRef(None, 0.0, False, [], known=False))
        row = rows[0]
        ref = await self._answer(identifier, row, at)
        decisions = grouped_decisions(row["decisions"]) if consent else None
        if decisions is not None:
            for c in ref.candidates:
                decisions.setdefault(c.person_id, [])
        return ResolveRead(ref, frozenset(row["verified"]), decisions)

    async def _answer(self, identifier: Identifier, row: Any, at: datetime | None) -> ResolutionRef:
        listed = row["persons"]
        shared = bool(row["shared"])
        candidates = [CandidateRef(p["person"], float(p["confidence"])) for p in listed]
        held = segments_from_json(identifier.key, row["segments"]) if row["segments"] else []
        if identifier.is_carrier and len(held) > 1:
            return await self._on_carrier(held, candidates, shared, at)
        if not shared:
            if not candidates:
                return ResolutionRef(None, 0.0, False, [])
            best = candidates[0]
            return ResolutionRef(best.person_id, best.confidence, False, candidates)
        chosen = self._at_moment(held, listed, at)
        return await self._holding(chosen, candidates, shared)

    async def _on_carrier(
        self,
        held: list[HeldSegment],
        candidates: list[CandidateRef],
        shared: bool,
        at: datetime | None,
    ) -> ResolutionRef:
        """A carrier cut into sessions: the session's holder, or nobody between sessions (a
        shared carrier keeps its candidates; an owned one offers the person who signed out)."""
        holder, reason, last = carrier_holder(held, at or datetime.now(UTC))
        if holder is None:
            offered = candidates
            if not shared:
                offered = [c for c in candidates if last is not None and c.person_id == last.person]
            return ResolutionRef(None, 0.0, shared, offered, reason=reason)
        if holder.person is None:
            return ResolutionRef(None, 0.0, shared, candidates)
        if shared:
            return await self._holding((holder.person, holder.confidence), candidates, shared)
        # an owned carrier answers with its owner's confidence, as it does when never cut
        mine = [c for c in candidates if c.person_id == holder.person]
        confidence = mine[0].confidence if mine else holder.confidence
        return await self._holding((holder.person, confidence), candidates, shared)

    async def _holding(
        self, chosen: tuple[str, float] | None, candidates: list[CandidateRef], shared: bool
    ) -> ResolutionRef:
        if chosen is None:
            return ResolutionRef(None, 0.0, shared, candidates)
        person_id, confidence = chosen
        if all(c.person_id != person_id for c in candidates):
            # a session's person that no longer lists the carrier: answer with its survivor
            views = await self.read("persons/read", ids=[person_id])
            if not views or views[0]["id"] is None:
                return ResolutionRef(None, 0.0, shared, candidates)
            person_id = views[0]["id"]
        return ResolutionRef(person_id, confidence, shared, candidates)

    def _at_moment(
        self, held: list[HeldSegment], listed: list[dict[str, Any]], at: datetime | None
    ) -> tuple[str, float] | None:
        """Who a shared identifier stands for at ``at`` (or now): the session on a carrier of
        one segment, or for an email or phone the holder at that moment when its holders took
        turns."""
        if held:
            only = held[0]
            if only.person is None or (at is None and only.segment.account is None):
                return None
            return only.person, only.confidence
        periods = [
            (p["person"], from_epoch_us(p["first_us"]), from_epoch_us(p["last_us"])) for p in listed
        ]
        holder = holder_at(periods, at or datetime.now(UTC), self.config.handover_gap)
        if holder is None:
            return None
        return holder, next(float(p["confidence"]) for p in listed if p["person"] == holder)


def carrier_holder(
    held: list[HeldSegment], at: datetime
) -> tuple[HeldSegment | None, NoPersonReason | None, HeldSegment | None]:
    """(the stored segment whose holder a carrier stands for at ``at``, or None; why nobody;
    the session that signed out last, when nobody) by
    :func:`~graph_identity.domain.carrier_moment.carrier_moment`."""
    claimed = {h.segment.index: h.claimed for h in held if h.claimed is not None}
    found = carrier_moment([h.segment for h in held], at, claimed)
    if found.reason is None:
        return held[found.segment.index], None, None
    last = held[found.last_session.index] if found.last_session else None
    return None, found.reason, last
