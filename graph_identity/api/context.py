"""What every resolver sees: the service, who is asking, and per-request loaders."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

import strawberry
from strawberry.dataloader import DataLoader

from graph_identity.api.auth import Principal
from graph_identity.api.governance import Governance
from graph_identity.api.id_tokens import IdTokenVerifier
from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.views import PersonView
from graph_identity.store.service import IdentityService

if TYPE_CHECKING:
    from graph_identity.api.metrics import ApiMetrics


@dataclass
class Context:
    """One request's context. Build it with :func:`make_context` so the loaders are fresh."""

    service: IdentityService
    principal: Principal
    config: ResolutionConfig
    id_tokens: IdTokenVerifier
    governance: Governance  # purpose, consent, rate limit, access log (governance.py)
    max_batch_events: int
    metrics: ApiMetrics | None = None
    #: the request's timeout, which a query's execution sets (api/cost.py)
    deadline: asyncio.Timeout | None = None
    persons: DataLoader[str, PersonView | None] = field(init=False)

    def __post_init__(self) -> None:
        # One loader per request: batching within the request, no cache across callers.
        self.persons = DataLoader(load_fn=self.service.persons)


Info: TypeAlias = strawberry.Info[Context, None]
