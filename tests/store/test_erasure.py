"""Guards what erasure leaves in the store (docs/guarantees.md#erasure): deny-list entries are keyed
HMACs (not plain hashes anyone can recompute), a changed or dropped key is refused instead of
silently voiding the deny-list, audit entries lose the erased identifiers but keep who, when,
why and the opaque ids, and an event of erased identifiers is accepted and dropped like any
other (an ingest caller learns nothing)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable

import neo4j
import pytest
from store_helpers import ev, ident

from graph_identity.domain.config import ResolutionConfig
from graph_identity.store.erasure import ErasureKeyError, deny_hash
from graph_identity.store.neo4j_store import Neo4jIdentityStore

KEY = b"test-erasure-key"
EMAIL = "erase.me@example.com"


async def forgotten(driver: neo4j.AsyncDriver) -> set[str]:
    records, _, _ = await driver.execute_query("MATCH (f:Forgotten) RETURN f.key AS k")
    return {r["k"] for r in records}


async def test_deny_list_is_keyed_and_the_key_is_guarded(
    driver: neo4j.AsyncDriver, clean_db: None, wipe: Callable[[], Awaitable[None]]
) -> None:
    store = Neo4jIdentityStore(driver, "neo4j", ResolutionConfig(), erasure_key=KEY)
    try:
        await store.check_erasure_key()
        await store.ingest(
            [ev("e1", 0, "IDENTIFY", ("EMAIL", EMAIL), ("ACCOUNT", "erase-acc"))],
            verified_ids=set(),
        )
        person = (await store.resolve(ident("EMAIL", EMAIL), None)).person
        assert person is not None
        await store.forget_person(person.id, "erasure request", "tester")
        keys = await forgotten(driver)
        entry = f"EMAIL:{EMAIL}"
        assert deny_hash(KEY, "identifier", entry) in keys
        assert hashlib.sha256(f"identifier\x00{entry}".encode()).hexdigest() not in keys
        records, _, _ = await driver.execute_query("MATCH (k:ErasureKey) RETURN k.secret AS s")
        assert [r["s"] for r in records] == [None], "a configured key is never stored"

        for other in (b"another-key", None):
            with pytest.raises(ErasureKeyError, match="GRAPH_IDENTITY_ERASURE_KEY"):
                await Neo4jIdentityStore(
                    driver, "neo4j", ResolutionConfig(), erasure_key=other
                ).check_erasure_key()

        # the same key keeps working: a replay is a duplicate, a new event of the erased
        # email alone is accepted (and dropped), exactly as an unknown email would be
        again = Neo4jIdentityStore(driver, "neo4j", ResolutionConfig(), erasure_key=KEY)
        replay = await again.ingest(
            [ev("e1", 0, "IDENTIFY", ("EMAIL", EMAIL), ("ACCOUNT", "erase-acc"))],
            verified_ids=set(),
        )
        assert (replay.accepted, replay.duplicates, replay.rejected) == (0, 1, [])
        fresh = [ev("e2", 9, "PAGE_VIEW", ("EMAIL", EMAIL))]
        first = await again.ingest(fresh, verified_ids=set())
        assert (first.accepted, first.duplicates, first.rejected) == (1, 0, [])
        second = await again.ingest(fresh, verified_ids=set())
        assert (second.accepted, second.duplicates, second.rejected) == (0, 1, [])
        assert (await again.resolve(ident("EMAIL", EMAIL), None)).person is None
    finally:
        await wipe()  # no key record may outlive this test: other tests use generated keys


async def test_forget_scrubs_the_audit_log(store: Neo4jIdentityStore) -> None:
    await store.ingest(
        [
            ev("a1", 0, "LOGIN", ("ACCOUNT", "acc-scrub"), ("COOKIE", "ck-scrub")),
            ev("a2", 1, "IDENTIFY", ("ACCOUNT", "acc-scrub"), ("EMAIL", EMAIL)),
            ev("b1", 2, "IDENTIFY", ("EMAIL", "keep@example.com"), ("COOKIE", "ck-keep")),
        ],
        verified_ids=set(),
    )
    a = (await store.resolve(ident("ACCOUNT", "acc-scrub"), None)).person
    b = (await store.resolve(ident("EMAIL", "keep@example.com"), None)).person
    assert a is not None and b is not None
    outcome = await store.split_person(
        a.id, [ident("EMAIL", EMAIL)], f"customer {EMAIL} asked", "alice"
    )
    merged = await store.merge_persons(
        [outcome.kept.id, outcome.split.id, b.id],
        "same customer",
        "bob",
        override_cannot_link=True,
    )
    before = {e.id: e for _, e in (await store.audit_log(50, None)).items}
    await store.forget_person(merged.id, "erasure request", "carol")
    after = {e.id: e for _, e in (await store.audit_log(50, None)).items}
    text = json.dumps([(e.reason, e.details) for e in after.values()])
    for value in (EMAIL, "acc-scrub", "ck-scrub", "keep@example.com", "ck-keep"):
        assert value not in text, value
    for audit_id, entry in before.items():
        assert (after[audit_id].actor, after[audit_id].at) == (entry.actor, entry.at)
        assert after[audit_id].person_ids == entry.person_ids
        assert after[audit_id].action == entry.action
    split_entry = next(e for e in after.values() if e.action == "SPLIT")
    assert split_entry.reason == "customer [erased] asked"
    assert split_entry.details["kept"] == outcome.kept.id
