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
    pending: int = strawberry.field(
        description=(
            "Accepted events stored but not resolved yet: always 0 when the service ingests"
            " synchronously (the default); with GRAPH_IDENTITY_INGEST_MODE=async the"
            " background resolver takes them shortly, and `resolve` may not see them before."
        )
    )

    @classmethod
    def from_outcome(cls, outcome: IngestOutcome) -> IngestResult:
        return cls(
            accepted=outcome.accepted,
            duplicates=outcome.duplicates,
            pending=outcome.pending,
            rejected=[
                Rejection(event_id=strawberry.ID(event_id), reason=reason)
                for event_id, reason in outcome.rejected
            ],
        )
