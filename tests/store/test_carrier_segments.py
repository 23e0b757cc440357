"""Every carrier with more than one segment keeps them stored on its identifier, readable by
its key in one lookup (``Identifier.segments``, docs/data-model.md): each segment's bounds,
account, logout cut and holder person, equal to what resolution computes, whether the carrier
is shared or owned by one person, and kept true by late logouts, fast-path touchpoints and a
rebuild."""

from __future__ import annotations

import json
from typing import Any

from store_helpers import T0, ev, ident

from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.events import RawEvent, prepare
from graph_identity.domain.resolution import resolve
from graph_identity.store.maintenance import rebuild
from graph_identity.store.neo4j_store import Neo4jIdentityStore

ANN = ("ACCOUNT", "ann")
BEN = ("ACCOUNT", "ben")
LAPTOP = ("COOKIE", "ann-laptop")
TABLET = ("COOKIE", "family-tablet")


async def stored(store: Neo4jIdentityStore, kind: str, value: str) -> list[dict[str, Any]]:
    rows = await store.read("testing/carrier_segments", key=ident(kind, value).key)
    assert rows and rows[0]["segments"], f"no segments stored on {kind}:{value}"
    segments: list[dict[str, Any]] = json.loads(rows[0]["segments"])
    return segments


async def expected(
    store: Neo4jIdentityStore, events: list[RawEvent], kind: str, value: str
) -> list[dict[str, Any]]:
    """The segments resolve() cuts the carrier into, each with its holder's stored id."""
    config = ResolutionConfig()
    prepared = [p.event for p in (prepare(e, config) for e in events) if p.event is not None]
    partition = resolve(prepared, config)
    out = []
    for segment in partition.segments[ident(kind, value).key]:
        holder = None
        if partition.segment_group.get(segment.element) is not None:
            assert segment.account is not None, "an anonymous holder needs a person to compare"
            view = await store.resolve(ident("ACCOUNT", segment.account.split(":", 1)[1]), None)
            assert view.person is not None
            holder = view.person.id
        out.append(
            {
                "start": None if segment.start is None else segment.start.isoformat(),
                "end": None if segment.end is None else segment.end.isoformat(),
                "account": segment.account,
                "cut": segment.cut,
                "person": holder,
            }
        )
    return out


def without_confidence(segments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in s.items() if k != "confidence"} for s in segments]


async def test_an_owned_carrier_keeps_its_segments_through_a_late_logout_and_a_rebuild(
    store: Neo4jIdentityStore,
) -> None:
    events = [
        ev("l1", 0, "LOGIN", ANN, LAPTOP),
        ev("l2", 10, "PAGE_VIEW", LAPTOP),
        ev("l3", 300, "PAGE_VIEW", LAPTOP),
    ]
    await store.ingest(events, verified_ids=set())
    late = [ev("l4", 120, "LOGOUT", ANN, LAPTOP), ev("l5", 400, "PAGE_VIEW", LAPTOP)]
    await store.ingest(late, verified_ids=set())
    every = events + late
    segments = await stored(store, *LAPTOP)
    assert len(segments) > 1
    assert not (await store.resolve(ident(*LAPTOP), None)).shared
    assert without_confidence(segments) == await expected(store, every, *LAPTOP)
    assert segments[0]["start"] is None and segments[1]["cut"] is True
    assert segments[1]["end"] == (T0.replace(hour=10)).isoformat()
    await rebuild(store)
    assert without_confidence(await stored(store, *LAPTOP)) == await expected(store, every, *LAPTOP)


async def test_a_shared_tablet_keeps_each_holder_by_segment(store: Neo4jIdentityStore) -> None:
    events = [
        ev("t1", 0, "LOGIN", ANN, TABLET),
        ev("t2", 5, "PAGE_VIEW", TABLET),
        ev("t3", 20, "LOGOUT", ANN, TABLET),
        ev("t4", 100, "LOGIN", BEN, TABLET),
        ev("t5", 105, "PAGE_VIEW", TABLET),
    ]
    for event in events:  # one at a time: the later ones reach the fast path or a recompute
        await store.ingest([event], verified_ids=set())
    segments = await stored(store, *TABLET)
    assert without_confidence(segments) == await expected(store, events, *TABLET)
    holders = {s["account"]: s["person"] for s in segments if s["account"]}
    assert holders["ACCOUNT:ann"] != holders["ACCOUNT:ben"]
    assert None not in holders.values()
