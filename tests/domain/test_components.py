"""Rebuild's way of resolving (components split by one vectorised pass, the constrained union
only where a limit, a constraint or a session cut can bite, chunk by chunk) gives exactly what
``resolve`` gives over all the evidence: persons, shared flags, memberships and their
confidences, segment holders, attribution, and the trace explain reads."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import pytest

from graph_identity.domain.components import columns_of, resolve_in_components, split
from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.events import Event, EventType
from graph_identity.domain.identifiers import Identifier, IdentifierType
from graph_identity.domain.resolution import Constraints, Partition, resolve
from graph_identity.simulator import WorldConfig, generate_world
from tests.domain.test_simulated_worlds import prepared

T = IdentifierType
T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
CONFIGS = {
    "default": ResolutionConfig(),
    "tight": ResolutionConfig(
        limits={T.ACCOUNT: 1, T.EMAIL: 1, T.PHONE: 2, T.DEVICE: 3, T.COOKIE: 2},
        prelogin_window=timedelta(minutes=20),
    ),
    "loose": ResolutionConfig(
        limits={T.ACCOUNT: 3, T.EMAIL: 50, T.PHONE: 50, T.DEVICE: 500, T.COOKIE: 5000}
    ),
}


@cache
def world(seed: int) -> list[Event]:
    return prepared(generate_world(WorldConfig(households=120, seed=seed)).events)


def everything(partition: Partition) -> dict[str, Any]:
    links = {pair: asdict(link) for pair, link in partition.trace.links.items()}
    return {
        "owner": partition.owner,
        "shared": partition.shared,
        "memberships": sorted(partition.memberships, key=lambda m: (m.person, m.identifier)),
        "segments": partition.segments,
        "segment_group": partition.segment_group,
        "segment_confidence": partition.segment_confidence,
        "attribution": partition.attribution,
        "links": links,
        "merged": partition.trace.merged,
        "rejected": partition.trace.rejected,
        "group_of": partition.trace.group_of,
        "excluded": partition.trace.excluded,
    }


def admin_constraints(events: list[Event]) -> Constraints:
    """A cannot-link between two identifiers of one busy event, and a must-link between the
    accounts of two far-apart events (joining two components)."""
    busy = max(events, key=lambda e: len(e.identifiers))
    accounts = sorted({a.key for e in events for a in e.accounts})
    left, right = busy.identifiers[0].key, busy.identifiers[-1].key
    return Constraints(
        cannot_link=((frozenset({left}), frozenset({right})),),
        must_link=(frozenset({accounts[0], accounts[-1]}),),
    )


@pytest.mark.parametrize("name", sorted(CONFIGS))
@pytest.mark.parametrize("seed", [3, 7, 11])
def test_rebuild_by_components_equals_resolve(seed: int, name: str) -> None:
    events, config = world(seed), CONFIGS[name]
    assert everything(resolve_in_components(events, config, size=500)) == everything(
        resolve(events, config)
    )


@pytest.mark.parametrize("seed", [3, 7])
def test_rebuild_by_components_equals_resolve_under_admin_constraints(seed: int) -> None:
    events, config = world(seed), CONFIGS["default"]
    constraints = admin_constraints(events)
    assert everything(resolve_in_components(events, config, constraints, size=500)) == everything(
        resolve(events, config, constraints)
    )


def test_both_passes_do_work_on_a_simulated_world() -> None:
    """Not vacuous: the world has plain components and constrained ones."""
    columns = columns_of(world(7))
    parts = split(columns, CONFIGS["default"])
    assert 0 < int(parts.constrained.sum()) < len(parts.constrained)
    plain_events = int((~parts.constrained[parts.event_component]).sum())
    assert 0 < plain_events < len(columns.ids)


def _event(event_id: str, minutes: int, kind: EventType, *keys: str) -> Event:
    identifiers = tuple(sorted(Identifier.from_key(k) for k in keys))
    return Event(event_id, T0 + timedelta(minutes=minutes), kind, identifiers)


SMALL = {
    "a logout cuts one account's cookie: the later anonymous view is nobody's": [
        _event("in", 0, EventType.LOGIN, "ACCOUNT:a", "COOKIE:c"),
        _event("out", 10, EventType.LOGOUT, "ACCOUNT:a", "COOKIE:c"),
        _event("later", 600, EventType.PAGE_VIEW, "COOKIE:c"),
    ],
    "two accounts under the account limit of 3 take turns on a tablet": [
        _event("a-in", 0, EventType.LOGIN, "ACCOUNT:a", "DEVICE:t"),
        _event("b-in", 120, EventType.LOGIN, "ACCOUNT:b", "DEVICE:t"),
        _event("view", 125, EventType.PAGE_VIEW, "DEVICE:t"),
    ],
    "one plain cookie and one email: a person each": [
        _event("v", 0, EventType.PAGE_VIEW, "COOKIE:x"),
        _event("f", 5, EventType.FORM_SUBMIT, "EMAIL:e@example.com"),
    ],
}


def test_no_evidence_no_persons() -> None:
    assert everything(resolve_in_components([], CONFIGS["default"])) == everything(
        resolve([], CONFIGS["default"])
    )


@pytest.mark.parametrize("description", sorted(SMALL))
def test_session_cuts_send_a_component_to_the_constrained_pass(description: str) -> None:
    events, config = SMALL[description], CONFIGS["loose"]
    assert everything(resolve_in_components(events, config)) == everything(
        resolve(events, config)
    ), description


@pytest.mark.parametrize("cut", [None, "COOKIE:c0", "COOKIE:c2"])
def test_sessions_over_a_limit_send_a_component_to_the_constrained_pass(cut: str | None) -> None:
    """One account on three cookies under a cookie limit of two, one session perhaps cut by a
    logout: the limit bites (the third cookie is shared), and rebuild agrees with resolve."""
    cookies = ["COOKIE:c0", "COOKIE:c1", "COOKIE:c2"]
    events = [
        _event(f"in{n}", 10 * n, EventType.LOGIN, "ACCOUNT:a", c) for n, c in enumerate(cookies)
    ]
    if cut is not None:
        events.append(_event("out", 40, EventType.LOGOUT, "ACCOUNT:a", cut))
    config = CONFIGS["tight"]
    assert bool(split(columns_of(events), config).constrained.all())
    whole = resolve(events, config)
    assert "COOKIE:c2" in whole.shared
    assert everything(resolve_in_components(events, config)) == everything(whole)


def test_key_order_is_identifier_order() -> None:
    """Columns keep each event's keys in key order and build events without sorting them."""
    keys = ["PHONE:+14155552671", "ACCOUNT:zed", "COOKIE:b", "DEVICE:a", "EMAIL:a@x.io", "COOKIE:a"]
    assert [i.key for i in sorted(Identifier.from_key(k) for k in keys)] == sorted(keys)
    event = _event("e", 0, EventType.IDENTIFY, *keys)
    assert columns_of([event]).events([0]) == [event]
