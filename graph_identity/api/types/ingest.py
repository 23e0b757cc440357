"""``IngestResult`` and ``Rejection``."""

from __future__ import annotations

import strawberry

from graph_identity.domain.views import IngestOutcome


@strawberry.type(description="An event, or one identifier of it, that was refused, and why.")
class Rejection:
    event_id: strawberry.ID
    reason: str


@strawberry.type(description="What became of a batch of events.")
class IngestResult:
    accepted: int
    duplicates: int = strawberry.field(description="Events whose id was already stored: no-ops.")
    rejected: list[Rejection]

    @classmethod
    def from_outcome(cls, outcome: IngestOutcome) -> IngestResult:
        return cls(
            accepted=outcome.accepted,
            duplicates=outcome.duplicates,
            rejected=[
                Rejection(event_id=strawberry.ID(event_id), reason=reason)
                for event_id, reason in outcome.rejected
            ],
        )
