"""Validation rules that must not crash on documents graphql-core lets through.

Strawberry's depth limiter measures the document in its constructor, before the standard
rules have reported unknown fragments or empty selections: ``{ ...a }`` raised ``KeyError``
and ``{ ... on Query { } }`` raised ``ValueError`` from ``max()``, both answered as raw text.
:func:`guarded` reports such a document as a validation error instead.
"""

from __future__ import annotations

from graphql import ASTValidationRule, GraphQLError, ValidationContext

UNMEASURABLE = "the operation has an empty selection or an unknown or cyclic fragment"


def guarded(rule: type[ASTValidationRule]) -> type[ASTValidationRule]:
    """``rule``, whose failure to measure a malformed document becomes a validation error."""

    class Guarded(rule):  # type: ignore[valid-type, misc]
        def __init__(self, context: ValidationContext) -> None:
            try:
                super().__init__(context)
            except (KeyError, ValueError, RecursionError):
                ASTValidationRule.__init__(self, context)
                context.report_error(GraphQLError(UNMEASURABLE))

    Guarded.__name__ = f"Guarded{rule.__name__}"
    return Guarded
