"""Who may call what (docs/access.md), one permission class per role's level of access.

``ingest`` ingests only; ``agent`` reads persons and resolves; ``fraud`` adds the
investigation queries; ``admin`` may do everything. A refusal is a GraphQL error with
``extensions.code = "FORBIDDEN"``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from strawberry.permission import BasePermission

from graph_identity.api.auth import Role
from graph_identity.api.context import Info


class _RoleRequired(BasePermission):
    roles: ClassVar[frozenset[Role]]
    error_extensions = {"code": "FORBIDDEN"}  # noqa: RUF012 (strawberry reads it per instance)

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return bool(info.context.principal.roles & self.roles)


class IngestAccess(_RoleRequired):
    """Writing events."""

    roles = frozenset({Role.INGEST, Role.ADMIN})
    message = "forbidden: ingesting needs the ingest or admin role"


class AgentAccess(_RoleRequired):
    """Reading persons and resolving identifiers."""

    roles = frozenset({Role.AGENT, Role.FRAUD, Role.ADMIN})
    message = "forbidden: this query needs the agent, fraud or admin role"


class FraudAccess(_RoleRequired):
    """Investigating links: shared identifiers, neighbourhoods, explanations."""

    roles = frozenset({Role.FRAUD, Role.ADMIN})
    message = "forbidden: this query needs the fraud or admin role"


class AdminAccess(_RoleRequired):
    """Correcting the graph: split, merge, forget, the audit log and undo."""

    roles = frozenset({Role.ADMIN})
    message = "forbidden: this operation needs the admin role"


def sees_everyone(info: Info) -> bool:
    """Whether the caller may see other persons in full through a shared identifier (fraud,
    admin); an agent sees of them only what links them to the identifier it asked about."""
    return bool(info.context.principal.roles & FraudAccess.roles)
