"""``Resolution``: who an identifier belongs to, and ``Candidate``: who else it might be."""

from __future__ import annotations

import strawberry

from graph_identity.api.types.person import Person
from graph_identity.domain.views import CandidateRef, CandidateView, ResolutionRef, ResolutionView


@strawberry.type(description="A person a shared or ambiguous identifier may belong to.")
class Candidate:
    person: Person
    confidence: float

    @classmethod
    def from_view(cls, view: CandidateView) -> Candidate:
        return cls(person=Person.from_view(view.person), confidence=view.confidence)

    @classmethod
    def from_ref(cls, ref: CandidateRef) -> Candidate:
        return cls(person=Person.of(ref.person_id), confidence=ref.confidence)


@strawberry.type(
    description="The owner of an identifier (none when unknown or shared), how sure that is, "
    "and the other persons it is linked to."
)
class Resolution:
    person: Person | None
    confidence: float
    shared: bool
    candidates: list[Candidate]

    @classmethod
    def from_view(cls, view: ResolutionView) -> Resolution:
        return cls(
            person=Person.from_view(view.person) if view.person else None,
            confidence=view.confidence,
            shared=view.shared,
            candidates=[Candidate.from_view(c) for c in view.candidates],
        )

    @classmethod
    def from_ref(cls, ref: ResolutionRef) -> Resolution:
        """Persons as ids: their fields are read only if the query selects them."""
        return cls(
            person=Person.of(ref.person_id) if ref.person_id is not None else None,
            confidence=ref.confidence,
            shared=ref.shared,
            candidates=[Candidate.from_ref(c) for c in ref.candidates],
        )
