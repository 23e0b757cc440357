"""``Explanation``: the chain of links that joins two identifiers, or why there is none."""

from __future__ import annotations

import strawberry

from graph_identity.api.types.graph import GraphEdge
from graph_identity.api.types.person import Person
from graph_identity.domain.views import ExplanationStepView, ExplanationView


@strawberry.type(description="One link of the chain and the events that observed it.")
class ExplanationStep:
    edge: GraphEdge
    evidence_event_ids: list[strawberry.ID]

    @classmethod
    def from_view(cls, view: ExplanationStepView) -> ExplanationStep:
        return cls(
            edge=GraphEdge.from_view(view.edge),
            evidence_event_ids=[strawberry.ID(i) for i in view.evidence_event_ids],
        )


@strawberry.type(
    description="Whether `a` and `b` belong to one person, the links that join them (in order "
    "from `a` to `b`), and in words why or why not."
)
class Explanation:
    joined: bool
    person_a: Person | None
    person_b: Person | None
    steps: list[ExplanationStep]
    reason: str

    @classmethod
    def from_view(cls, view: ExplanationView) -> Explanation:
        return cls(
            joined=view.joined,
            person_a=Person.from_view(view.person_a) if view.person_a else None,
            person_b=Person.from_view(view.person_b) if view.person_b else None,
            steps=[ExplanationStep.from_view(s) for s in view.steps],
            reason=view.reason,
        )
