"""``Resolution``: who an identifier belongs to, and ``Candidate``: who else it might be."""

from __future__ import annotations

import strawberry

from graph_identity.api.types.consent import WithheldReason
from graph_identity.api.types.person import Person
from graph_identity.domain.carrier_moment import NoPersonReason
from graph_identity.domain.consent import Assurance
from graph_identity.domain.identifiers import Identifier
from graph_identity.domain.views import CandidateRef, CandidateView, ResolutionRef, ResolutionView


@strawberry.type(description="A person a shared or ambiguous identifier may belong to.")
class Candidate:
    person: Person
    confidence: float

    @classmethod
    def from_view(cls, view: CandidateView, limited_to: Identifier | None = None) -> Candidate:
        person = Person.from_view(view.person)
        person.limited_to = limited_to
        return cls(person=person, confidence=view.confidence)

    @classmethod
    def from_ref(cls, ref: CandidateRef, limited_to: Identifier | None = None) -> Candidate:
        return cls(person=Person.of(ref.person_id, limited_to), confidence=ref.confidence)


@strawberry.type(
    description="The owner of an identifier (none when unknown or shared), how sure that is, "
    "and the other persons it is linked to."
)
class Resolution:
    person: Person | None
    confidence: float
    shared: bool
    candidates: list[Candidate]
    known: bool = strawberry.field(
        description="False when the identifier was never seen (or was erased): `person` is "
        "null and `candidates` empty because there is no evidence at all, not because it is "
        "shared or ambiguous."
    )
    assurance: Assurance = strawberry.field(
        default=Assurance.UNKNOWN,
        description="How far to act on the answer: VERIFIED (an OIDC-verified login of this "
        "person on this identifier recently), HIGH, LOW, AMBIGUOUS (shared, see candidates), "
        "UNKNOWN (never seen).",
    )
    withheld: WithheldReason | None = strawberry.field(
        default=None,
        description="Set when the owner is known but withheld (no consent for the purpose).",
    )
    reason: NoPersonReason | None = strawberry.field(
        default=None,
        description="Set when a known cookie or device names nobody at that moment: SIGNED_OUT "
        "between a logout and the next login on it, NOT_SIGNED_IN before its first session "
        '(see docs/api.md, "Logout and answers").',
    )

    @classmethod
    def from_view(cls, view: ResolutionView, limited_to: Identifier | None = None) -> Resolution:
        """``limited_to``: the resolved identifier, when the caller may see of the other
        candidates only what links them to it (an agent; fraud and admin see everything)."""
        answer = view.person.id if view.person else None
        return cls(
            person=Person.from_view(view.person) if view.person else None,
            confidence=view.confidence,
            shared=view.shared,
            candidates=[
                Candidate.from_view(c, None if c.person.id == answer else limited_to)
                for c in view.candidates
            ],
            known=view.known,
            reason=view.reason,
        )

    @classmethod
    def from_ref(cls, ref: ResolutionRef, limited_to: Identifier | None = None) -> Resolution:
        """Persons as ids: their fields are read only if the query selects them.
        ``limited_to`` as in :meth:`from_view`."""
        answer = ref.person_id
        return cls(
            person=Person.of(answer) if answer is not None else None,
            confidence=ref.confidence,
            shared=ref.shared,
            candidates=[
                Candidate.from_ref(c, None if c.person_id == answer else limited_to)
                for c in ref.candidates
            ],
            known=ref.known,
            reason=ref.reason,
        )
