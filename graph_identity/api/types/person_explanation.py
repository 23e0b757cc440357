"""``PersonExplanation``: how a person was built, readable by the agent role."""

from __future__ import annotations

import strawberry

from graph_identity.api.types.event import IdentifierRef
from graph_identity.api.types.explanation import ExplanationStep
from graph_identity.domain.views import IdentifierEvidenceView, PersonExplanationView


@strawberry.type(
    description="One identifier of the person, its confidence, and the links (with their "
    "evidence events) that tie it to the person's other identifiers, strongest first. An "
    "identifier with no links is on the person through evidence of its own only."
)
class IdentifierEvidence:
    identifier: IdentifierRef
    confidence: float
    shared: bool
    links: list[ExplanationStep]

    @classmethod
    def from_view(cls, view: IdentifierEvidenceView) -> IdentifierEvidence:
        return cls(
            identifier=IdentifierRef.from_domain(view.identifier),
            confidence=view.confidence,
            shared=view.shared,
            links=[ExplanationStep.from_view(s) for s in view.links],
        )


@strawberry.type(description="Why a person holds each of its identifiers, and how surely.")
class PersonExplanation:
    person_id: strawberry.ID
    identifiers: list[IdentifierEvidence]

    @classmethod
    def from_view(cls, view: PersonExplanationView) -> PersonExplanation:
        return cls(
            person_id=strawberry.ID(view.person_id),
            identifiers=[IdentifierEvidence.from_view(i) for i in view.identifiers],
        )

    @classmethod
    def empty(cls, person_id: str) -> PersonExplanation:
        return cls(person_id=strawberry.ID(person_id), identifiers=[])
