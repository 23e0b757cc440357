"""Stable person ids and the admin corrections through the real store: merges by new evidence,
split, manual merge, undo, audit and erasure."""

from __future__ import annotations

import neo4j
import pytest
from store_helpers import ev, ident

from graph_identity.domain.errors import BadInput, NotFound
from graph_identity.domain.events import RawEvent
from graph_identity.domain.identifiers import Identifier
from graph_identity.domain.views import AuditEntryView
from graph_identity.store.maintenance import check, rebuild
from graph_identity.store.neo4j_store import Neo4jIdentityStore


async def owner(store: Neo4jIdentityStore, kind: str, value: str) -> str | None:
    res = await store.resolve(ident(kind, value), None)
    return res.person.id if res.person is not None else None


async def latest(store: Neo4jIdentityStore, action: str) -> AuditEntryView:
    page = await store.audit_log(50, None)
    entries = [a for _, a in page.items if a.action == action]
    assert entries, f"no {action} in the audit log"
    return entries[0]


async def ingest(store: Neo4jIdentityStore, *events: RawEvent) -> None:
    outcome = await store.ingest(list(events), verified_ids=set())
    assert outcome.rejected == []


async def test_merge_by_new_evidence_keeps_the_older_id(store: Neo4jIdentityStore) -> None:
    await ingest(store, ev("a1", 0, "IDENTIFY", ("COOKIE", "k1"), ("EMAIL", "ann@x.com")))
    await ingest(store, ev("b1", 10, "IDENTIFY", ("COOKIE", "k2"), ("PHONE", "+14152230100")))
    older = await owner(store, "EMAIL", "ann@x.com")
    newer = await owner(store, "PHONE", "+14152230100")
    assert older is not None and newer is not None and older != newer
    await ingest(store, ev("c1", 20, "IDENTIFY", ("EMAIL", "ann@x.com"), ("PHONE", "+14152230100")))
    assert await owner(store, "PHONE", "+14152230100") == older
    assert await owner(store, "COOKIE", "k2") == older
    survivor = await store.person(newer)
    assert survivor is not None and survivor.id == older
    assert newer in survivor.merged_ids
    assert await check(store) == []


async def test_older_id_wins_even_when_the_evidence_arrives_first(
    store: Neo4jIdentityStore,
) -> None:
    # the bridge arrives before the newer person's own events: ids still follow creation order
    await ingest(store, ev("a1", 0, "IDENTIFY", ("COOKIE", "k1"), ("EMAIL", "ann@x.com")))
    first = await owner(store, "COOKIE", "k1")
    await ingest(store, ev("c1", 20, "IDENTIFY", ("EMAIL", "ann@x.com"), ("PHONE", "+14152230100")))
    await ingest(store, ev("b1", 10, "IDENTIFY", ("COOKIE", "k2"), ("PHONE", "+14152230100")))
    assert await owner(store, "COOKIE", "k2") == first
    assert await owner(store, "PHONE", "+14152230100") == first


async def test_split_keeps_the_id_on_the_unnamed_side_and_holds(store: Neo4jIdentityStore) -> None:
    await ingest(
        store,
        ev("s1", 0, "LOGIN", ("ACCOUNT", "sam"), ("COOKIE", "sc"), ("DEVICE", "sd")),
        ev("s2", 5, "LOGIN", ("ACCOUNT", "sam"), ("DEVICE", "sam-phone")),
        ev("s3", 6, "IDENTIFY", ("ACCOUNT", "sam"), ("PHONE", "+14152230111")),
    )
    pid = await owner(store, "ACCOUNT", "sam")
    assert pid is not None
    assert await owner(store, "DEVICE", "sam-phone") == pid
    outcome = await store.split_person(pid, [ident("DEVICE", "sam-phone")], "wrong merge", "tester")
    kept, split = outcome.kept, outcome.split
    assert kept.id == pid
    assert split.id != pid
    assert {Identifier(i.type, i.value).key for i in split.identifiers if not i.shared} >= {
        "DEVICE:sam-phone"
    }
    assert "ACCOUNT:sam" not in {Identifier(i.type, i.value).key for i in split.identifiers}
    assert await owner(store, "DEVICE", "sam-phone") == split.id
    assert await owner(store, "ACCOUNT", "sam") == pid
    entry = await latest(store, "SPLIT")
    assert entry.actor == "tester" and entry.reason == "wrong merge"
    assert set(entry.person_ids) >= {pid, split.id}
    assert entry.undone_by is None
    assert await check(store) == []
    # the same evidence again does not re-merge the two sides
    await ingest(store, ev("s4", 60, "LOGIN", ("ACCOUNT", "sam"), ("DEVICE", "sam-phone")))
    assert await owner(store, "DEVICE", "sam-phone") == split.id
    assert await owner(store, "ACCOUNT", "sam") == pid
    await rebuild(store)
    assert await owner(store, "DEVICE", "sam-phone") == split.id, "rebuild forgot the split"
    assert await check(store) == []
    # undo joins them again under the original id
    undo = await store.undo(entry.id, "oops", "tester")
    assert undo.action == "UNDO"
    assert await owner(store, "DEVICE", "sam-phone") == pid
    assert await owner(store, "PHONE", "+14152230111") == pid
    back = await store.person(split.id)
    assert back is not None and back.id == pid
    assert (await latest(store, "SPLIT")).undone_by == undo.id
    assert await check(store) == []


async def test_split_of_an_email(store: Neo4jIdentityStore) -> None:
    await ingest(
        store,
        ev("s1", 0, "LOGIN", ("ACCOUNT", "sam"), ("COOKIE", "sc"), ("DEVICE", "sd")),
        ev("s2", 5, "IDENTIFY", ("ACCOUNT", "sam"), ("EMAIL", "sam@x.com")),
    )
    pid = await owner(store, "ACCOUNT", "sam")
    assert pid is not None and await owner(store, "EMAIL", "sam@x.com") == pid
    outcome = await store.split_person(pid, [ident("EMAIL", "sam@x.com")], "wrong", "tester")
    kept, split = outcome.kept, outcome.split
    assert kept.id == pid and split.id != pid
    assert await owner(store, "EMAIL", "sam@x.com") == split.id


async def test_split_of_a_bridge_identifier(store: Neo4jIdentityStore) -> None:
    await ingest(
        store,
        ev("s1", 0, "LOGIN", ("ACCOUNT", "sam"), ("COOKIE", "sc"), ("DEVICE", "sd")),
        ev("s2", 5, "IDENTIFY", ("ACCOUNT", "sam"), ("EMAIL", "sam@x.com")),
        ev("s3", 6, "IDENTIFY", ("EMAIL", "sam@x.com"), ("PHONE", "+14152230111")),
    )
    pid = await owner(store, "ACCOUNT", "sam")
    assert pid is not None and await owner(store, "PHONE", "+14152230111") == pid
    outcome = await store.split_person(pid, [ident("EMAIL", "sam@x.com")], "wrong", "tester")
    kept, split = outcome.kept, outcome.split
    assert kept.id == pid and split.id != pid
    assert await owner(store, "EMAIL", "sam@x.com") == split.id
    assert await owner(store, "ACCOUNT", "sam") == pid
    phone = await owner(store, "PHONE", "+14152230111")
    assert [p.id for p in outcome.persons] == [pid, split.id, phone], "every piece is reported"
    assert await check(store) == []


async def test_split_needs_identifiers_of_that_person(store: Neo4jIdentityStore) -> None:
    await ingest(store, ev("s1", 0, "IDENTIFY", ("COOKIE", "q1"), ("EMAIL", "q@x.com")))
    pid = await owner(store, "COOKIE", "q1")
    assert pid is not None
    with pytest.raises((BadInput, NotFound)):
        await store.split_person(pid, [ident("EMAIL", "other@x.com")], "no", "tester")
    with pytest.raises(NotFound):
        await store.split_person("no-such-person", [ident("EMAIL", "q@x.com")], "no", "tester")


async def test_manual_merge_and_undo_restore_the_ids(store: Neo4jIdentityStore) -> None:
    await ingest(store, ev("m1", 0, "LOGIN", ("ACCOUNT", "m-one"), ("COOKIE", "mc1")))
    await ingest(store, ev("m2", 10, "LOGIN", ("ACCOUNT", "m-two"), ("COOKIE", "mc2")))
    one = await owner(store, "ACCOUNT", "m-one")
    two = await owner(store, "ACCOUNT", "m-two")
    assert one is not None and two is not None and one != two
    merged = await store.merge_persons([two, one], "same customer", "tester")
    assert merged.id == one, "a merge keeps the older id"
    assert two in merged.merged_ids
    keys = {Identifier(i.type, i.value).key for i in merged.identifiers}
    assert {"ACCOUNT:m-one", "ACCOUNT:m-two", "COOKIE:mc1", "COOKIE:mc2"} <= keys
    assert await owner(store, "ACCOUNT", "m-two") == one
    moved = await store.person(two)
    assert moved is not None and moved.id == one
    assert await check(store) == []
    # new evidence does not undo an admin merge
    await ingest(store, ev("m3", 20, "PAGE_VIEW", ("COOKIE", "mc2")))
    assert await owner(store, "ACCOUNT", "m-two") == one
    entry = await latest(store, "MERGE")
    assert entry.actor == "tester" and set(entry.person_ids) >= {one, two}
    await store.undo(entry.id, "not the same", "tester")
    assert await owner(store, "ACCOUNT", "m-one") == one
    assert await owner(store, "ACCOUNT", "m-two") == two
    assert await owner(store, "COOKIE", "mc2") == two
    assert await check(store) == []


async def test_forget_erases_and_a_replay_brings_nothing_back(
    store: Neo4jIdentityStore, driver: neo4j.AsyncDriver
) -> None:
    erased = [
        ev("f1", 0, "LOGIN", ("ACCOUNT", "gone"), ("COOKIE", "fc"), ("DEVICE", "fd")),
        ev("f2", 5, "PAGE_VIEW", ("COOKIE", "fc"), ("DEVICE", "fd")),
        ev(
            "f3",
            6,
            "IDENTIFY",
            ("ACCOUNT", "gone"),
            ("EMAIL", "gone@x.com"),
            ("PHONE", "+14152230122"),
        ),
    ]
    kept = [ev("k1", 0, "LOGIN", ("ACCOUNT", "stays"), ("COOKIE", "kc"))]
    await ingest(store, *erased, *kept)
    pid = await owner(store, "ACCOUNT", "gone")
    other = await owner(store, "ACCOUNT", "stays")
    assert pid is not None and other is not None
    result = await store.forget_person(pid, "gdpr request", "tester")
    assert result.person_id == pid
    assert result.identifiers_removed >= 5
    assert result.events_removed >= 3
    entry = await latest(store, "FORGET")
    assert entry.id == result.audit_id and entry.reason == "gdpr request"
    gone = [
        ("ACCOUNT", "gone"),
        ("COOKIE", "fc"),
        ("DEVICE", "fd"),
        ("EMAIL", "gone@x.com"),
        ("PHONE", "+14152230122"),
    ]

    async def nothing_left() -> None:
        assert await store.person(pid) is None
        for kind, value in gone:
            res = await store.resolve(ident(kind, value), None)
            assert res.person is None and res.candidates == [], (kind, value)
            graph = await store.neighborhood(ident(kind, value), 2)
            assert graph.nodes == [] and graph.edges == [], (kind, value)
        records, _, _ = await driver.execute_query(
            "MATCH (e:Event) WHERE e.id IN $ids RETURN count(e) AS n", ids=[e.id for e in erased]
        )
        assert records[0]["n"] == 0
        records, _, _ = await driver.execute_query(
            "MATCH (i:Identifier) WHERE i.key IN $keys RETURN count(i) AS n",
            keys=[ident(k, v).key for k, v in gone],
        )
        assert records[0]["n"] == 0
        shared = await store.shared_identifiers(1, None, None, 100, None)
        assert not {(s.type.value, s.value) for _, s in shared.items} & set(gone)

    await nothing_left()
    assert await owner(store, "ACCOUNT", "stays") == other
    assert await check(store) == []
    replay = await store.ingest(erased, verified_ids=set())
    assert (replay.accepted, replay.duplicates) == (0, len(erased))
    await nothing_left()
    await rebuild(store)
    await nothing_left()
    assert await check(store) == []
    with pytest.raises((BadInput, NotFound)):
        await store.undo(result.audit_id, "bring it back", "tester")
