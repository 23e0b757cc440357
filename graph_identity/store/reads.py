"""Person reads at lookup speed: persons by id, timelines, and who an identifier stands for.

Every read returns instants as microseconds since the epoch (hydrating the driver's DateTime
cost a fifth of a loaded server's time) and only what its caller needs: :meth:`resolve_ref`
answers with person ids, and the API loads a person's fields (batched per request) only when
a query selects them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from graph_identity.domain.identifiers import Identifier, IdentifierType
from graph_identity.domain.views import (
    CandidateView,
    EventView,
    Page,
    PersonIdentifierView,
    PersonView,
    ResolutionView,
    SharedIdentifierView,
    TimelineFilter,
)
from graph_identity.store.core import (
    decode_offset_cursor,
    decode_time_cursor,
    encode_cursor,
)
from graph_identity.store.records import event_from_record, from_epoch_us, native
from graph_identity.store.resolving import ResolveReads

#: The bounds a timeline read seeks between when the caller gives none (always instants, so
#: that the index range stays seekable; see cypher/queries/persons/events.cypher).
FAR_PAST = datetime(1, 1, 1, tzinfo=UTC)
FAR_FUTURE = datetime(9999, 12, 31, tzinfo=UTC)


class PersonReads(ResolveReads):
    async def persons(self, person_ids: list[str]) -> list[PersonView | None]:
        if not person_ids:
            return []
        rows = await self.read("persons/read", ids=person_ids)
        return [
            None if row["id"] is None else person_view(row["id"], row["identifiers"], row["merged"])
            for row in rows
        ]

    async def person(self, person_id: str) -> PersonView | None:
        return (await self.persons([person_id]))[0]

    async def person_events(
        self,
        person_id: str,
        first: int,
        after: str | None,
        only: TimelineFilter | None = None,
    ) -> Page[EventView]:
        """The timeline newest first; ``only`` narrows it (see :class:`TimelineFilter`)."""
        only = only or TimelineFilter()
        after_at, after_id = decode_time_cursor(after)
        highs = [t for t in (after_at, only.until) if t is not None]
        rows = await self.read(
            "persons/events",
            person=person_id,
            lo=only.since or FAR_PAST,
            hi=min(highs, default=FAR_FUTURE),
            until=only.until,
            after_at=after_at,
            after_id=after_id,
            types=[t.value for t in only.types] if only.types else None,
            channels=only.channels or None,
            limit=first + 1,
        )
        items: list[tuple[str, EventView]] = []
        for row in rows[:first]:
            view = event_view(row)
            items.append((encode_cursor(view.at.isoformat(), view.id), view))
        return Page(items, len(rows) > first)

    async def event(self, event_id: str) -> EventView | None:
        """One evidence event by id; None when unknown or erased."""
        rows = await self.read("events/read", id=event_id)
        return event_view(rows[0]) if rows else None

    async def resolve(self, identifier: Identifier, at: datetime | None) -> ResolutionView:
        """:meth:`resolve_ref` with every person read in full."""
        ref = await self.resolve_ref(identifier, at)
        wanted = [c.person_id for c in ref.candidates]
        if ref.person_id is not None and ref.person_id not in wanted:
            wanted.append(ref.person_id)  # a session's survivor (see resolve_ref)
        views = dict(zip(wanted, await self.persons(wanted), strict=True))
        candidates = [
            CandidateView(view, c.confidence)
            for c in ref.candidates
            if (view := views[c.person_id]) is not None
        ]
        person = views[ref.person_id] if ref.person_id is not None else None
        if person is None:
            return ResolutionView(
                None, 0.0, ref.shared, candidates, known=ref.known, reason=ref.reason
            )
        return ResolutionView(person, ref.confidence, ref.shared, candidates)

    async def shared_identifiers(
        self,
        min_persons: int,
        types: list[IdentifierType] | None,
        since: datetime | None,
        first: int,
        after: str | None,
    ) -> Page[SharedIdentifierView]:
        skip = decode_offset_cursor(after)
        rows = await self.read(
            "persons/shared",
            min=min_persons,
            types=[t.value for t in types] if types else None,
            since=since,
            skip=skip,
            limit=first + 1,
        )
        page = rows[:first]
        all_ids = sorted({p for r in page for p in r["persons"]})
        views = dict(zip(all_ids, await self.persons(all_ids), strict=True))
        items = []
        for n, row in enumerate(page):
            persons = [v for p in sorted(row["persons"]) if (v := views[p]) is not None]
            view = SharedIdentifierView(
                IdentifierType(row["type"]),
                row["value"],
                int(row["count"]),
                persons,
                native(row["lastSeen"]),
            )
            items.append((encode_cursor(str(skip + n + 1)), view))
        return Page(items, len(rows) > first)


def person_view(person_id: str, identifiers: list[Any], merged: list[str]) -> PersonView:
    """A person from ``persons/read``'s row (instants in microseconds since the epoch)."""
    views = sorted(
        (
            PersonIdentifierView(
                type=IdentifierType(i["type"]),
                value=i["value"],
                confidence=float(i["confidence"]),
                shared=bool(i["shared"]),
                first_seen=from_epoch_us(i["first_us"]),
                last_seen=from_epoch_us(i["last_us"]),
            )
            for i in identifiers
        ),
        key=lambda i: (i.shared, -i.confidence, i.type.value, i.value),
    )
    return PersonView(person_id, views, sorted(merged))


def event_view(row: Any) -> EventView:
    """An event from a read's row (``events/read``, ``persons/events``)."""
    event = event_from_record(row.data() if hasattr(row, "data") else row)
    return EventView(
        event.id, event.at, event.type, event.channel, list(event.identifiers), event.attributes
    )
