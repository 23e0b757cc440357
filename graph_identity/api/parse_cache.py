"""Parsed GraphQL documents, cached per query text (an agent UI sends the same few queries all
day, and parsing was 7% of a loaded server's time).

Strawberry's own ``ParserCache`` parses inside the extension hook, so a syntax error escapes
the normal error path and loses its ``GRAPHQL_PARSE_FAILED`` code. This one caches only
documents that parse; a syntax error is left to strawberry's parser, which reports it as usual.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from functools import lru_cache

from graphql import DocumentNode, GraphQLError, parse
from strawberry.extensions import SchemaExtension

#: distinct query texts whose parsed documents are kept (per process)
PARSE_CACHE_SIZE = 256


@lru_cache(maxsize=PARSE_CACHE_SIZE)
def _parse(text: str, max_tokens: int | None) -> DocumentNode:
    return parse(text, max_tokens=max_tokens)


class ParsedDocuments(SchemaExtension):
    """Sets the operation's document from the per-process cache when the text parses."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query is not None and set(context.parse_options) <= {"max_tokens"}:
            # on a syntax error strawberry parses it again and reports it the usual way
            with contextlib.suppress(GraphQLError):
                context.graphql_document = _parse(
                    context.query, context.parse_options.get("max_tokens")
                )
        yield
