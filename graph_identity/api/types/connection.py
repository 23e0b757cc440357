"""Relay-style pages: ``edges { node cursor }`` and ``pageInfo { hasNextPage endCursor }``.

``Connection[Event]`` is named ``EventConnection`` in the schema, its edges ``EventEdge``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import strawberry

from graph_identity.domain.views import Page

T = TypeVar("T")
V = TypeVar("V")


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    node: T
    cursor: str


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo

    @classmethod
    def from_page(cls, page: Page[V], node: Callable[[V], T]) -> Connection[T]:
        return cls(
            edges=[Edge(node=node(item), cursor=cursor) for cursor, item in page.items],
            page_info=PageInfo(has_next_page=page.has_next, end_cursor=page.end_cursor),
        )
