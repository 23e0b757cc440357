"""``Cluster``: persons connected through shared identifiers, for the fraud team."""

from __future__ import annotations

import strawberry

from graph_identity.api.types.event import IdentifierRef
from graph_identity.api.types.person import Person
from graph_identity.api.types.shared import SharedIdentifier
from graph_identity.domain.views import ClusterView, LoginVelocityView


@strawberry.type(description="Logins on one shared cookie or device.")
class LoginVelocity:
    identifier: IdentifierRef
    logins: int = strawberry.field(description="LOGIN events on it, in all.")
    peak_per_hour: int = strawberry.field(description="LOGIN events in its busiest clock hour.")

    @classmethod
    def from_view(cls, view: LoginVelocityView) -> LoginVelocity:
        return cls(
            identifier=IdentifierRef.from_domain(view.identifier),
            logins=view.logins,
            peak_per_hour=view.peak_per_hour,
        )


@strawberry.type(
    description="Persons joined by a chain of shared identifiers (each listed on two of them), "
    "what they share, and how fast their shared cookies and devices see logins."
)
class Cluster:
    id: strawberry.ID = strawberry.field(description="Stable while the members stay the same.")
    size: int = strawberry.field(description="How many persons.")
    persons: list[Person]
    shared_identifiers: list[SharedIdentifier]
    login_velocity: list[LoginVelocity] = strawberry.field(
        description="Per shared cookie or device, busiest first."
    )
    peak_logins_per_hour: int = strawberry.field(
        description="The busiest shared carrier's logins in one clock hour (0: none)."
    )

    @classmethod
    def from_view(cls, view: ClusterView) -> Cluster:
        velocity = [LoginVelocity.from_view(v) for v in view.velocity]
        return cls(
            id=strawberry.ID(view.id),
            size=len(view.persons),
            persons=[Person.from_view(p) for p in view.persons],
            shared_identifiers=[SharedIdentifier.from_view(s) for s in view.shared],
            login_velocity=velocity,
            peak_logins_per_hour=max((v.peak_per_hour for v in velocity), default=0),
        )
