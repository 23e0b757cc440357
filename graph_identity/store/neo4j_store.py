"""``IdentityService`` over Neo4j, assembled from its parts."""

from __future__ import annotations

from graph_identity.store.admin import AdminOps
from graph_identity.store.clusters import ClusterReads
from graph_identity.store.constraints import ConstraintReads
from graph_identity.store.explanation import PersonExplanations
from graph_identity.store.graph import GraphReads


class Neo4jIdentityStore(AdminOps, PersonExplanations, GraphReads, ConstraintReads, ClusterReads):
    """Ingest, reads, graph reads and admin corrections over one Neo4j database."""


__all__ = ["Neo4jIdentityStore"]
