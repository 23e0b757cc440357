"""Errors the API turns into GraphQL error codes."""

from __future__ import annotations


class BadInput(ValueError):
    """Input that cannot be accepted; ``field`` names the offending argument or field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class NotFound(LookupError):
    """A named thing (person, audit entry) does not exist."""
