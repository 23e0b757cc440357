"""What the store hands to the API: plain read models, no driver records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from graph_identity.domain.carrier_moment import NoPersonReason
from graph_identity.domain.events import EventType
from graph_identity.domain.identifiers import Identifier, IdentifierType

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a keyset-paginated list: (cursor, item) pairs, in order."""

    items: list[tuple[str, T]]
    has_next: bool

    @property
    def end_cursor(self) -> str | None:
        return self.items[-1][0] if self.items else None


@dataclass(frozen=True, slots=True)
class PersonIdentifierView:
    type: IdentifierType
    value: str
    confidence: float
    shared: bool
    first_seen: datetime
    last_seen: datetime


@dataclass(frozen=True, slots=True)
class PersonView:
    id: str
    identifiers: list[PersonIdentifierView]
    merged_ids: list[str]


@dataclass(frozen=True, slots=True)
class EventView:
    id: str
    at: datetime
    type: EventType
    channel: str | None
    identifiers: list[Identifier]
    attributes: Any


@dataclass(frozen=True, slots=True)
class CandidateView:
    person: PersonView
    confidence: float


@dataclass(frozen=True, slots=True)
class ResolutionView:
    person: PersonView | None
    confidence: float
    shared: bool
    candidates: list[CandidateView]
    known: bool = True  # False: the identifier was never seen (or was erased)
    reason: NoPersonReason | None = None  # why a known carrier names nobody at that moment


@dataclass(frozen=True, slots=True)
class CandidateRef:
    """A candidate by person id only: the API loads the person's fields if a query asks."""

    person_id: str
    confidence: float


@dataclass(frozen=True, slots=True)
class ResolutionRef:
    """:class:`ResolutionView` with persons as ids (what ``resolve`` reads first)."""

    person_id: str | None
    confidence: float
    shared: bool
    candidates: list[CandidateRef]
    known: bool = True  # False: never seen (or erased)
    reason: NoPersonReason | None = None  # why a known carrier names nobody at that moment


@dataclass(frozen=True, slots=True)
class TimelineFilter:
    """Which events of a timeline to list: any of ``types`` and of ``channels`` (None: all),
    at or after ``since``, before ``until``."""

    types: list[EventType] | None = None
    channels: list[str] | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class SharedIdentifierView:
    type: IdentifierType
    value: str
    person_count: int
    persons: list[PersonView]
    last_seen: datetime


@dataclass(frozen=True, slots=True)
class LoginVelocityView:
    """Logins on one shared carrier: in all, and in its busiest clock hour."""

    identifier: Identifier
    logins: int
    peak_per_hour: int


@dataclass(frozen=True, slots=True)
class ClusterView:
    id: str
    persons: list[PersonView]
    shared: list[SharedIdentifierView]
    velocity: list[LoginVelocityView]  # busiest first


@dataclass(frozen=True, slots=True)
class GraphNodeView:
    type: IdentifierType
    value: str
    person_ids: list[str]
    shared: bool
    first_seen: datetime
    last_seen: datetime


@dataclass(frozen=True, slots=True)
class GraphEdgeView:
    """A derived link between two identifiers, with the evidence that made it."""

    source: Identifier
    target: Identifier
    kind: str  # strongest evidence: MANUAL, VERIFIED_LOGIN, LOGIN, IDENTIFY, TOUCHPOINT
    strength: float
    count: int
    first_seen: datetime
    last_seen: datetime
    cut_at: datetime | None  # set when a logout ended the session this link rode on
    merged: bool  # whether this link joined the two ends into one person
    kept_apart_by: str | None = None  # why it joined nobody (a limit, a weak claim, ...)


@dataclass(frozen=True, slots=True)
class GraphView:
    nodes: list[GraphNodeView]
    edges: list[GraphEdgeView]
    #: why the walk was cut short (a hub not crossed, the node limit), None when complete
    truncated_reason: str | None = None


@dataclass(frozen=True, slots=True)
class ExplanationStepView:
    edge: GraphEdgeView
    evidence_event_ids: list[str]


@dataclass(frozen=True, slots=True)
class ExplanationView:
    joined: bool
    person_a: PersonView | None
    person_b: PersonView | None
    steps: list[ExplanationStepView]
    reason: str


@dataclass(frozen=True, slots=True)
class IdentifierEvidenceView:
    """One identifier of a person and its links to the person's other identifiers, strongest
    first (each a ``GraphEdgeView`` from this identifier, with its evidence events)."""

    identifier: Identifier
    confidence: float
    shared: bool
    links: list[ExplanationStepView]


@dataclass(frozen=True, slots=True)
class PersonExplanationView:
    person_id: str
    identifiers: list[IdentifierEvidenceView]


@dataclass(frozen=True, slots=True)
class AuditEntryView:
    id: str
    at: datetime
    actor: str
    action: str  # SPLIT, MERGE, FORGET, UNDO
    reason: str
    person_ids: list[str]
    details: dict[str, Any]
    undone_by: str | None


@dataclass(frozen=True, slots=True)
class SplitOutcome:
    """Every person a split produced: ``kept`` keeps the id, ``split`` holds the named
    identifiers, ``persons`` lists both first and then any other piece the split left."""

    kept: PersonView
    split: PersonView
    persons: list[PersonView]


@dataclass(frozen=True, slots=True)
class ConstraintView:
    """An admin constraint: CANNOT_LINK keeps its two sides apart, MUST_LINK its one side
    together; ``audit_id`` names the split or merge that made it."""

    id: str
    kind: str  # CANNOT_LINK, MUST_LINK
    active: bool
    created_at: datetime
    reason: str | None
    audit_id: str | None
    sides: list[list[Identifier]]


@dataclass(frozen=True, slots=True)
class ForgetView:
    person_id: str
    identifiers_removed: int
    events_removed: int
    audit_id: str


@dataclass(slots=True)
class IngestOutcome:
    accepted: int = 0
    duplicates: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    #: accepted events stored but not resolved yet (asynchronous ingest; 0 when synchronous)
    pending: int = 0
