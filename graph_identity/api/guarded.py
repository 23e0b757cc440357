"""The governed reads: ``person`` and ``resolve`` with purpose, consent and assurance, and the
access log's own queries. Resolvers in schema.py call these and stay one line long."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime

from graph_identity.api.context import Info
from graph_identity.api.governance import refusal
from graph_identity.api.permissions import sees_everyone
from graph_identity.api.types.access import AccessEntry
from graph_identity.api.types.connection import Connection
from graph_identity.api.types.consent import WithheldReason
from graph_identity.api.types.person import Person
from graph_identity.api.types.resolution import Resolution
from graph_identity.domain.consent import Purpose
from graph_identity.domain.identifiers import Identifier, IdentifierType


async def person(info: Info, person_id: str, purpose: Purpose | None) -> Person | None:
    """A person for a purpose; CONSENT_WITHHELD when the person revoked it."""
    governance = info.context.governance
    chosen = governance.purpose(purpose)
    view = await info.context.persons.load(person_id)
    if view is None:
        return None
    if await governance.withholds(view.id, chosen):
        raise refusal(
            f"withheld: the person has not consented to {chosen.value}",
            "CONSENT_WITHHELD",
            purpose=chosen.value,
        )
    governance.admit("person", chosen, [view.id])
    return Person.from_view(view)


async def resolve(
    info: Info, identifier: Identifier, at: datetime | None, purpose: Purpose | None
) -> Resolution:
    """Who an identifier belongs to, for a purpose: persons who revoked it are left out (the
    owner as ``withheld: CONSENT``); the assurance describes the identification itself."""
    governance = info.context.governance
    chosen = governance.purpose(purpose)
    view = await info.context.service.resolve(identifier, at)
    owner = [view.person.id] if view.person else []
    # a LOGIN observes only its account and its cookie or device: nothing to look up otherwise
    login_seen = identifier.type is IdentifierType.ACCOUNT or identifier.is_carrier
    verified = (
        view.person is not None
        and login_seen
        and await governance.verified(view.person.id, identifier.key, at or datetime.now(UTC))
    )
    assurance = governance.rules.assurance.level(
        has_person=view.person is not None,
        confidence=view.confidence,
        candidates=len(view.candidates),
        verified=verified,
    )
    listed = list(dict.fromkeys([c.person.id for c in view.candidates] + owner))
    refusals = await asyncio.gather(*(governance.withholds(p, chosen) for p in listed))
    withheld = {p for p, refused in zip(listed, refusals, strict=True) if refused}
    shown = replace(
        view,
        person=None if view.person is None or view.person.id in withheld else view.person,
        candidates=[c for c in view.candidates if c.person.id not in withheld],
    )
    persons = [c.person.id for c in shown.candidates] + ([shown.person.id] if shown.person else [])
    governance.admit("resolve", chosen, persons)
    # an agent sees of the other candidates only what links them to this identifier
    result = Resolution.from_view(shown, None if sees_everyone(info) else identifier)
    result.assurance = assurance
    if view.person is not None and shown.person is None:
        result.withheld = WithheldReason.CONSENT
    return result


async def access_log(
    info: Info, person_id: str | None, caller: str | None, first: int, after: str | None
) -> Connection[AccessEntry]:
    """Entries about a person (and the ids merged into it) and/or by a caller, newest first."""
    ids: list[str] | None = None
    if person_id is not None:
        view = await info.context.persons.load(person_id)
        ids = sorted({person_id, *([*view.merged_ids, view.id] if view else [])})
    page = await info.context.governance.access_log.page(ids, caller, first, after)
    return Connection.from_page(page, AccessEntry.from_view)
