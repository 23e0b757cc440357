"""GraphQL types, one module per type family, each built from a domain read model."""
