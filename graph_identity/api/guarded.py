"""The governed reads: ``person`` and ``resolve`` with purpose, consent and assurance, and the
access log's own queries. Resolvers in schema.py call these and stay one line long."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime

from graph_identity.api.context import Info
from graph_identity.api.governance import refusal
from graph_identity.api.permissions import sees_everyone
from graph_identity.api.types.consent import WithheldReason
from graph_identity.api.types.person import Person
from graph_identity.api.types.resolution import Resolution
from graph_identity.domain.access import AccessEntryView
from graph_identity.domain.consent import Assurance, Purpose
from graph_identity.domain.identifiers import Identifier, IdentifierType
from graph_identity.domain.views import Page


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
    owner as ``withheld: CONSENT``); the assurance describes the identification itself. One
    statement reads the answer, the verified logins and the consent it needs."""
    governance = info.context.governance
    chosen = governance.purpose(purpose)
    # a LOGIN observes only its account and its cookie or device: nothing to look up otherwise
    login_seen = identifier.type is IdentifierType.ACCOUNT or identifier.is_carrier
    window = governance.rules.assurance.verified_window
    read = await info.context.service.resolve_read(
        identifier,
        at,
        verified_since=(at or datetime.now(UTC)) - window if login_seen else None,
        consent=governance.rules.consent.asks_consent(chosen),
    )
    if read.decisions is not None:
        governance.prime(read.decisions)
    ref = read.ref
    signed_out = ref.reason is not None and not ref.shared
    if signed_out and not sees_everyone(info):
        ref = replace(ref, candidates=[])  # who signed out is not an agent's to see
    owner = [ref.person_id] if ref.person_id else []
    assurance = governance.rules.assurance.level(
        has_person=ref.person_id is not None,
        confidence=ref.confidence,
        candidates=len(ref.candidates),
        verified=ref.person_id in read.verified,
    )
    listed = list(dict.fromkeys([c.person_id for c in ref.candidates] + owner))
    refusals = await asyncio.gather(*(governance.withholds(p, chosen) for p in listed))
    withheld = {p for p, refused in zip(listed, refusals, strict=True) if refused}
    shown = replace(
        ref,
        person_id=None if ref.person_id in withheld else ref.person_id,
        candidates=[c for c in ref.candidates if c.person_id not in withheld],
    )
    persons = [c.person_id for c in shown.candidates]
    persons += [shown.person_id] if shown.person_id is not None else []
    governance.admit("resolve", chosen, persons)
    # an agent sees of the other candidates only what links them to this identifier
    result = Resolution.from_ref(shown, None if sees_everyone(info) else identifier)
    # nobody is signed in on an owned carrier: LOW, not AMBIGUOUS (it is not shared)
    result.assurance = Assurance.LOW if signed_out else assurance
    if ref.person_id is not None and shown.person_id is None:
        result.withheld = WithheldReason.CONSENT
    return result


async def access_log(
    info: Info, person_id: str | None, caller: str | None, first: int, after: str | None
) -> Page[AccessEntryView]:
    """Entries about a person (and the ids merged into it) and/or by a caller, newest first."""
    ids: list[str] | None = None
    if person_id is not None:
        view = await info.context.persons.load(person_id)
        ids = sorted({person_id, *([*view.merged_ids, view.id] if view else [])})
    return await info.context.governance.access_log.page(ids, caller, first, after)
