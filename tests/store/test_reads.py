"""Reads through the real store on the husband-and-wife iPad story: persons, shared
identifiers, timelines, resolution in time, pagination, neighbourhood and explanations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from graph_identity.domain.events import RawEvent
from graph_identity.domain.identifiers import Identifier, IdentifierType
from graph_identity.domain.views import PersonView
from graph_identity.store.maintenance import check
from graph_identity.store.neo4j_store import Neo4jIdentityStore

T0 = datetime(2026, 1, 5, 8, tzinfo=UTC)
TOUCHPOINTS = {"h1", "w2", "h3", "w6"}


def ident(kind: str, value: str) -> Identifier:
    return Identifier(IdentifierType(kind), value)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def keyed(person: PersonView) -> dict[str, bool]:
    """identifier key -> shared, for one person."""
    return {Identifier(i.type, i.value).key: i.shared for i in person.identifiers}


@pytest.fixture
async def family(
    store: Neo4jIdentityStore, ipad_events: list[RawEvent]
) -> tuple[PersonView, PersonView]:
    outcome = await store.ingest(ipad_events, verified_ids=set())
    assert (outcome.accepted, outcome.duplicates, outcome.rejected) == (len(ipad_events), 0, [])
    wife = (await store.resolve(ident("ACCOUNT", "wife"), None)).person
    husband = (await store.resolve(ident("ACCOUNT", "husband"), None)).person
    assert wife is not None and husband is not None
    return wife, husband


async def test_each_account_is_its_own_person_sharing_the_ipad(
    store: Neo4jIdentityStore, family: tuple[PersonView, PersonView]
) -> None:
    wife, husband = family
    assert wife.id != husband.id
    w, h = keyed(wife), keyed(husband)
    for key in ("COOKIE:ipad", "DEVICE:ipad-d"):
        assert w.get(key) is True, key
        assert h.get(key) is True, key
    assert w["ACCOUNT:wife"] is False
    assert w["DEVICE:wife-phone"] is False
    assert h["ACCOUNT:husband"] is False
    assert h["PHONE:+14155552671"] is False
    assert "ACCOUNT:husband" not in w and "ACCOUNT:wife" not in h
    # the family email is claimed by both accounts: it cannot merge them, so it is shared
    assert w.get("EMAIL:fam@x.com") is True and h.get("EMAIL:fam@x.com") is True
    # the newsletter email was typed after the wife's logout and long before his login
    assert "EMAIL:news@x.com" not in w and "EMAIL:news@x.com" not in h
    for person in (wife, husband):
        for item in person.identifiers:
            assert 0.0 <= item.confidence <= 1.0
            assert item.first_seen <= item.last_seen
    assert await check(store) == []


async def test_timelines_hold_only_each_ones_touchpoints_newest_first(
    store: Neo4jIdentityStore, family: tuple[PersonView, PersonView]
) -> None:
    wife, husband = family
    expected = {wife.id: {"w2", "w6"}, husband.id: {"h3"}}
    for pid, mine in expected.items():
        page = await store.person_events(pid, 50, None)
        assert not page.has_next
        events = [e for _, e in page.items]
        ids = [e.id for e in events]
        assert len(ids) == len(set(ids)), "an event listed twice"
        assert [e.at for e in events] == sorted((e.at for e in events), reverse=True)
        assert {i for i in ids if i in TOUCHPOINTS} == mine
    # anonymous iPad browsing hours before any login belongs to nobody
    for pid in expected:
        page = await store.person_events(pid, 50, None)
        assert "h1" not in [e.id for _, e in page.items]


async def test_timeline_pages(
    store: Neo4jIdentityStore, family: tuple[PersonView, PersonView]
) -> None:
    wife, _ = family
    whole = [e.id for _, e in (await store.person_events(wife.id, 50, None)).items]
    assert len(whole) >= 2
    seen: list[str] = []
    after: str | None = None
    while True:
        page = await store.person_events(wife.id, 1, after)
        assert len(page.items) <= 1
        seen += [e.id for _, e in page.items]
        if not page.has_next:
            break
        after = page.end_cursor
    assert seen == whole


async def test_resolve_follows_the_session_open_at_that_moment(
    store: Neo4jIdentityStore, family: tuple[PersonView, PersonView]
) -> None:
    wife, husband = family
    for kind, value in (("COOKIE", "ipad"), ("DEVICE", "ipad-d")):
        during_wife = await store.resolve(ident(kind, value), at(186))
        assert during_wife.person is not None and during_wife.person.id == wife.id
        assert 0.0 < during_wife.confidence <= 1.0
        during_husband = await store.resolve(ident(kind, value), at(315))
        assert during_husband.person is not None and during_husband.person.id == husband.id
    anytime = await store.resolve(ident("COOKIE", "ipad"), None)
    assert anytime.shared is True
    assert {c.person.id for c in anytime.candidates} >= {wife.id, husband.id}
    assert all(0.0 <= c.confidence <= 1.0 for c in anytime.candidates)
    own = await store.resolve(ident("DEVICE", "wife-phone"), None)
    assert own.person is not None and own.person.id == wife.id and own.shared is False
    phone = await store.resolve(ident("PHONE", "+14155552671"), None)
    assert phone.person is not None and phone.person.id == husband.id
    unknown = await store.resolve(ident("COOKIE", "never-seen"), None)
    assert unknown.person is None and unknown.candidates == []


async def test_person_lookups(
    store: Neo4jIdentityStore, family: tuple[PersonView, PersonView]
) -> None:
    wife, husband = family
    again = await store.person(wife.id)
    assert again is not None and keyed(again) == keyed(wife)
    assert await store.person("no-such-person") is None
    batch = await store.persons([husband.id, "no-such-person", wife.id])
    assert [p.id if p else None for p in batch] == [husband.id, None, wife.id]


async def test_shared_identifiers(
    store: Neo4jIdentityStore, family: tuple[PersonView, PersonView]
) -> None:
    wife, husband = family
    newsletter = (await store.resolve(ident("EMAIL", "news@x.com"), None)).person
    assert newsletter is not None and newsletter.id not in (wife.id, husband.id)
    page = await store.shared_identifiers(2, None, None, 50, None)
    found = {Identifier(s.type, s.value).key: s for _, s in page.items}
    for key in ("COOKIE:ipad", "DEVICE:ipad-d", "EMAIL:fam@x.com"):
        assert key in found, key
        persons = {p.id for p in found[key].persons}
        assert found[key].person_count == len(persons)
        # the newsletter reader typed an email on the iPad after the logout: a user of it too
        assert {wife.id, husband.id} <= persons <= {wife.id, husband.id, newsletter.id}, key
    assert {p.id for p in found["EMAIL:fam@x.com"].persons} == {wife.id, husband.id}
    assert "ACCOUNT:wife" not in found and "DEVICE:wife-phone" not in found
    devices = await store.shared_identifiers(2, [IdentifierType.DEVICE], None, 50, None)
    assert [(s.type, s.value) for _, s in devices.items] == [(IdentifierType.DEVICE, "ipad-d")]
    assert (await store.shared_identifiers(4, None, None, 50, None)).items == []
    paged: list[str] = []
    after: str | None = None
    while True:
        chunk = await store.shared_identifiers(2, None, None, 1, after)
        paged += [Identifier(s.type, s.value).key for _, s in chunk.items]
        if not chunk.has_next:
            break
        after = chunk.end_cursor
    assert sorted(paged) == sorted(found) and len(paged) == len(set(paged))


async def test_neighbourhood_and_explain(
    store: Neo4jIdentityStore, family: tuple[PersonView, PersonView]
) -> None:
    wife, husband = family
    graph = await store.neighborhood(ident("COOKIE", "ipad"), 2)
    nodes = {Identifier(n.type, n.value).key: n for n in graph.nodes}
    assert {"COOKIE:ipad", "ACCOUNT:wife", "ACCOUNT:husband"} <= set(nodes)
    assert nodes["COOKIE:ipad"].shared is True
    assert set(nodes["COOKIE:ipad"].person_ids) >= {wife.id, husband.id}
    assert any(e.cut_at is not None for e in graph.edges), "the wife's logout cut nothing"
    joined = await store.explain(ident("ACCOUNT", "wife"), ident("DEVICE", "wife-phone"))
    assert joined.joined is True
    assert joined.steps
    assert any("w5" in step.evidence_event_ids for step in joined.steps)
    apart = await store.explain(ident("ACCOUNT", "wife"), ident("ACCOUNT", "husband"))
    assert apart.joined is False
    assert apart.reason
    assert apart.person_a is not None and apart.person_b is not None
    assert {apart.person_a.id, apart.person_b.id} == {wife.id, husband.id}
