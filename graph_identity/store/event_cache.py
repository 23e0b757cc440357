"""A per-process cache of events as resolution sees them.

Stored events never change (a replayed id is a no-op) and only disappear through erasure, so
a cached copy is always right as long as erased ids are dropped; region queries then return
ids only, and a recompute reads from Neo4j just the events this process has not seen yet.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

from neo4j import AsyncManagedTransaction

from graph_identity.domain.events import Event
from graph_identity.store.records import event_from_record
from graph_identity.store.tx import collected

#: events kept (least recently used go first); about half a kilobyte each
CAPACITY = 1_000_000


class EventCache:
    def __init__(self, capacity: int = CAPACITY) -> None:
        self._items: OrderedDict[str, Event] = OrderedDict()
        self._capacity = capacity

    def put(self, events: Iterable[Event]) -> None:
        for event in events:
            self._items[event.id] = event
            self._items.move_to_end(event.id)
        while len(self._items) > self._capacity:
            self._items.popitem(last=False)

    def drop(self, ids: Iterable[str]) -> None:
        for event_id in ids:
            self._items.pop(event_id, None)

    async def get(self, tx: AsyncManagedTransaction, ids: Iterable[str]) -> list[Event]:
        """The events with these ids, reading only the missing ones."""
        wanted = list(dict.fromkeys(ids))
        missing = [i for i in wanted if i not in self._items]
        if missing:
            rows = await collected(tx, "region/events_by_id", "rows", ids=missing)
            self.put([event_from_record(row) for row in rows])
        found = []
        for event_id in wanted:
            event = self._items.get(event_id)
            if event is not None:
                self._items.move_to_end(event_id)
                found.append(event)
        return found
