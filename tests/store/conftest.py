"""Store-tier fixtures: a Neo4jIdentityStore on the session's Neo4j, over a clean database.

Helpers reach the tests as fixtures (``partition``, ``wipe``, ``ipad_events``): conftest
modules are pytest's to import.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING

import neo4j
import pytest
from store_helpers import ev

from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.events import RawEvent, prepare
from graph_identity.domain.identifiers import Identifier
from graph_identity.store.cypher import query
from graph_identity.store.neo4j_store import Neo4jIdentityStore
from graph_identity.store.schema import migrate

if TYPE_CHECKING:  # conftest is pytest's to import; only its type is needed here
    from tests.conftest import Neo4jServer

#: owned identifier keys per person, as a set of frozensets (order and ids do not matter)
Partition = frozenset[frozenset[str]]


@pytest.fixture
async def store(
    driver: neo4j.AsyncDriver, neo4j_server: Neo4jServer, clean_db: None
) -> Neo4jIdentityStore:
    """A store with the default resolution config on an empty, migrated database."""
    return Neo4jIdentityStore(driver, neo4j_server.database, ResolutionConfig())


@pytest.fixture
def wipe(driver: neo4j.AsyncDriver, neo4j_server: Neo4jServer) -> Callable[[], Awaitable[None]]:
    """``await wipe()``: empty and re-migrate the database within one test (for A/B runs)."""

    async def run() -> None:
        async with driver.session(database=neo4j_server.database) as session:
            result = await session.run(query("testing/delete_all"))
            await result.consume()
        await migrate(driver, neo4j_server.database)

    return run


def identifiers_of(events: Iterable[RawEvent]) -> set[Identifier]:
    """Every valid, non-placeholder identifier the events carry, normalised."""
    config = ResolutionConfig()
    found: set[Identifier] = set()
    for raw in events:
        prepared = prepare(raw, config)
        if prepared.event is not None:
            found.update(prepared.event.identifiers)
    return found


async def read_partition(store: Neo4jIdentityStore, events: Iterable[RawEvent]) -> Partition:
    """The owned identifiers of every person holding one of the events' identifiers,
    read back through ``resolve`` and ``person``."""
    person_ids: set[str] = set()
    for ident in sorted(identifiers_of(events)):
        res = await store.resolve(ident, None)
        if res.person is not None:
            person_ids.add(res.person.id)
    groups: set[frozenset[str]] = set()
    for pid in sorted(person_ids):
        person = await store.person(pid)
        assert person is not None and person.id == pid
        owned = frozenset(
            Identifier(i.type, i.value).key for i in person.identifiers if not i.shared
        )
        if owned:
            groups.add(owned)
    return frozenset(groups)


@pytest.fixture
def partition(store: Neo4jIdentityStore) -> Callable[[Iterable[RawEvent]], Awaitable[Partition]]:
    """``await partition(events)``: the store's current partition of the events' identifiers."""

    async def read(events: Iterable[RawEvent]) -> Partition:
        return await read_partition(store, events)

    return read


@pytest.fixture
def ipad_events() -> list[RawEvent]:
    """A husband and wife share the family iPad; each also has identifiers of their own.

    The wife logs in on the iPad (180), chats (185), logs out (190); a newsletter email is
    typed on it (200); the husband logs in (300) and browses (310); both accounts claim the
    family email; the wife logs in on her phone (340) and browses there (350).
    """
    ipad = (("COOKIE", "ipad"), ("DEVICE", "ipad-d"))
    family = ("EMAIL", "fam@x.com")
    return [
        ev("h1", 0, "PAGE_VIEW", *ipad),
        ev("w1", 180, "LOGIN", ("ACCOUNT", "wife"), *ipad),
        ev("w2", 185, "CHAT", *ipad),
        ev("w3", 190, "LOGOUT", ("ACCOUNT", "wife"), *ipad),
        ev("x1", 200, "IDENTIFY", ("COOKIE", "ipad"), ("EMAIL", "news@x.com")),
        ev("h2", 300, "LOGIN", ("ACCOUNT", "husband"), *ipad),
        ev("h3", 310, "PAGE_VIEW", *ipad),
        ev("h4", 320, "IDENTIFY", ("ACCOUNT", "husband"), family, ("PHONE", "+14155552671")),
        ev("w4", 330, "IDENTIFY", ("ACCOUNT", "wife"), family),
        ev("w5", 340, "LOGIN", ("ACCOUNT", "wife"), ("DEVICE", "wife-phone")),
        ev("w6", 350, "PAGE_VIEW", ("DEVICE", "wife-phone")),
    ]
