"""How failures reach clients: every error carries ``extensions.code``; surprises are masked.

- ``BadInput`` -> ``BAD_USER_INPUT`` (the message names the field, ``extensions.field`` too);
- ``NotFound`` -> ``NOT_FOUND``; permission refusals are ``FORBIDDEN`` (see permissions.py);
- errors GraphQL itself raises before execution keep their message: a variable or literal
  that does not fit its type is ``BAD_USER_INPUT``, a syntax error ``GRAPHQL_PARSE_FAILED``,
  anything else (an unused or undefined variable too) ``GRAPHQL_VALIDATION_FAILED``;
- a lone surrogate in a string argument that reaches the driver (it cannot encode one) ->
  ``BAD_USER_INPUT`` naming the root field; nothing was sent, so nothing was written;
- Neo4j unreachable (store/availability.py) -> ``UNAVAILABLE`` with a fixed message that names
  no address; the HTTP answer is then 503 with ``Retry-After`` (app/server.py);
- writers contending for the same records past the store's patience (store/contention.py) ->
  ``CONTENTION``; the HTTP answer is then 409 with ``Retry-After`` (app/server.py);
- any other exception becomes "Internal server error." (``MaskErrors``) and is logged.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import MaskErrors, SchemaExtension

from graph_identity.domain.errors import BadInput, NotFound
from graph_identity.store.availability import is_unavailable
from graph_identity.store.contention import is_contention

MASKED_MESSAGE = "Internal server error."
UNAVAILABLE = "UNAVAILABLE"
UNAVAILABLE_MESSAGE = "The database is unavailable right now; retry later."
CONTENTION = "CONTENTION"
CONTENTION_MESSAGE = "Other writers hold the records this write needs; retry it later."

#: how graphql-core words a variable value that does not coerce (as opposed to a variable the
#: document never uses or never defines, which is a validation error)
COERCION_WORDS = (
    " got invalid value ",
    " has invalid value",
    " was not provided.",
    " must not be null.",
)


def is_unexpected(error: GraphQLError) -> bool:
    """Whether an error hides an exception the client must not see."""
    original = error.original_error
    if original is None or is_unavailable(original) or isinstance(original, UnicodeError):
        return False
    if is_contention(original):
        return False
    return not isinstance(original, GraphQLError | BadInput | NotFound)


def masking() -> MaskErrors:
    return MaskErrors(should_mask_error=is_unexpected, error_message=MASKED_MESSAGE)


def code_for(error: GraphQLError) -> str | None:
    """The ``extensions.code`` an error should carry, or None to leave it alone."""
    if error.extensions and "code" in error.extensions:
        return None
    original = error.original_error
    if isinstance(original, BadInput | UnicodeError):
        return "BAD_USER_INPUT"
    if isinstance(original, NotFound):
        return "NOT_FOUND"
    if original is not None and is_contention(original):
        return CONTENTION
    if original is not None and is_unavailable(original):
        return UNAVAILABLE
    if is_unexpected(error):
        return None  # masked: the code would describe what the mask hides
    message = error.message
    if message.startswith("Syntax Error"):
        return "GRAPHQL_PARSE_FAILED"
    if message.startswith("Variable '$") and any(w in message for w in COERCION_WORDS):
        return "BAD_USER_INPUT"
    if not message.startswith("Variable '$") and "value" in message.lower():
        return "BAD_USER_INPUT"  # a literal argument that does not fit its type
    return "GRAPHQL_VALIDATION_FAILED"  # incl. a variable never used or never defined


def with_code(error: GraphQLError, code: str) -> GraphQLError:
    extensions = dict(error.extensions or {})
    extensions["code"] = code
    if isinstance(error.original_error, BadInput):
        extensions["field"] = error.original_error.field
    message = error.message
    if code == UNAVAILABLE:
        message = UNAVAILABLE_MESSAGE
    elif code == CONTENTION:
        message = CONTENTION_MESSAGE
    elif isinstance(error.original_error, UnicodeError):
        field = error.path[0] if error.path else "argument"
        message = f"{field}: a string argument is not valid Unicode (lone surrogate)"
    return GraphQLError(
        message=message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=error.original_error,
        extensions=extensions,
    )


class ErrorCodes(SchemaExtension):
    """Adds ``extensions.code`` to every error of the operation's result."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if not errors:
            return
        coded = []
        for error in errors:
            code = code_for(error)
            coded.append(with_code(error, code) if code else error)
        result.errors = coded  # type: ignore[union-attr]
