"""graph-identity: identity resolution on a Neo4j graph, served over GraphQL."""

__version__ = "0.1.0"
