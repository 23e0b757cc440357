"""The steps every paged root field takes, in one place: check ``first`` and ``after``
(``BAD_USER_INPUT`` naming them, before anything is read), fetch the page, let the governed
reads charge the persons on it to the caller, and turn each item into its GraphQL node.
Limits and cursors: docs/api.md "Limits"."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

from graph_identity.api import validation
from graph_identity.api.context import Info
from graph_identity.api.types.connection import Connection
from graph_identity.domain.views import Page

T = TypeVar("T")
V = TypeVar("V")

#: Fetches one page: (page size, cursor to continue after, or None for the first page).
Fetch = Callable[[int, str | None], Awaitable[Page[V]]]


async def paged(
    first: int | None,
    after: str | None,
    fetch: Fetch[V],
    node: Callable[[V], T],
    seen: Callable[[Page[V]], None] | None = None,
) -> Connection[T]:
    """One page as a connection; ``seen`` is told what the page holds before it is answered."""
    page = await fetch(validation.page_size(first), validation.cursor(after))
    if seen is not None:
        seen(page)
    return Connection.from_page(page, node)


def charged(
    info: Info, operation: str, persons: Callable[[V], Iterable[str]]
) -> Callable[[Page[V]], None]:
    """Admit the persons of every item on a page to the caller's rate limit and access log."""

    def admit(page: Page[V]) -> None:
        governance = info.context.governance
        ids = [person for _, item in page.items for person in persons(item)]
        governance.admit(operation, governance.purpose(), ids)

    return admit
