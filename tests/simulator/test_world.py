"""The journey simulator: deterministic, contract-shaped events, a consistent ground truth, every
world feature present, delivery orders that only reorder and repeat, and generation speed."""

from __future__ import annotations

import itertools
import json
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime
from functools import cache
from typing import Any

import phonenumbers
import pytest

from graph_identity.domain.config import DEFAULT_BLOCKED, ResolutionConfig
from graph_identity.domain.events import (
    MAX_IDENTIFIERS,
    EventType,
    RawEvent,
    RawIdentifier,
    prepare,
)
from graph_identity.domain.identifiers import (
    BlockedIdentifier,
    IdentifierType,
    InvalidIdentifier,
    normalise,
)
from graph_identity.simulator import (
    EventDict,
    Truth,
    TruthBuilder,
    World,
    WorldConfig,
    batched,
    delayed,
    deliver,
    generate_world,
    in_time_order,
    iter_events,
    shuffled,
    with_duplicates,
)
from graph_identity.simulator.world import PHONE_PREFIXES

WINDOW = 30 * 60
CONFIG = ResolutionConfig()
TOUCHPOINTS = {t.value for t in EventType if t.is_touchpoint}


@pytest.fixture(scope="module")
def world() -> World:
    return generate_world()


@cache
def key_of(kind: str, value: str) -> str | None:
    """The normalised key, or None for a placeholder or invalid value."""
    try:
        return normalise(IdentifierType(kind), value, blocked=DEFAULT_BLOCKED).key
    except (BlockedIdentifier, InvalidIdentifier):
        return None


def keys(event: EventDict) -> list[str]:
    found = (key_of(i["type"], i["value"]) for i in event["identifiers"])
    return [k for k in found if k is not None]


def instant(event: EventDict) -> float:
    return datetime.fromisoformat(event["at"]).timestamp()


def of_role(truth: Truth, role: str, prefix: str = "") -> list[str]:
    return sorted(k for k, r in truth.roles.items() if r == role and k.startswith(prefix))


def events_with(events: Iterable[EventDict], key: str) -> list[EventDict]:
    return [e for e in events if key in keys(e)]


# determinism and shape ------------------------------------------------------------------


def test_same_seed_same_events() -> None:
    config = WorldConfig(households=12, seed=3)
    first, second = generate_world(config), generate_world(config)
    assert json.dumps(first.events) == json.dumps(second.events)
    assert first.truth.to_dict() == second.truth.to_dict()
    other = generate_world(WorldConfig(households=12, seed=4))
    assert json.dumps(other.events) != json.dumps(first.events)


def test_streaming_yields_the_world_in_time_order_per_neighbourhood() -> None:
    config = WorldConfig(households=30, households_per_neighbourhood=10)
    builder = TruthBuilder()
    streamed = list(iter_events(config, truth=builder))
    world = generate_world(config)
    assert sorted(streamed, key=lambda e: e["id"]) == sorted(world.events, key=lambda e: e["id"])
    assert builder.build().to_dict() == world.truth.to_dict()
    times = [instant(e) for e in streamed]
    descents = sum(1 for a, b in itertools.pairwise(times) if b < a)
    assert descents <= 2, "three neighbourhoods, each in time order"
    assert [instant(e) for e in world.events] == sorted(times)


def test_every_event_follows_the_contract(world: World) -> None:
    ids = [e["id"] for e in world.events]
    assert len(ids) == len(set(ids)), "event ids are unique before any duplication"
    for event in world.events:
        assert set(event) == {"id", "at", "type", "identifiers", "channel", "attributes"}
        at = datetime.fromisoformat(event["at"])
        assert at.tzinfo is not None and at.utcoffset() is not None
        assert 1 <= len(event["identifiers"]) <= MAX_IDENTIFIERS
        kinds = [i["type"] for i in event["identifiers"]]
        assert all(set(i) == {"type", "value"} for i in event["identifiers"])
        if event["type"] in ("LOGIN", "LOGOUT"):
            assert kinds.count("ACCOUNT") == 1, event
            assert {"COOKIE", "DEVICE"} & set(kinds), event
        json.dumps(event)  # JSON-ready
        prepared = prepare(
            RawEvent(
                id=event["id"],
                at=at,
                type=EventType(event["type"]),
                identifiers=tuple(
                    RawIdentifier(IdentifierType(i["type"]), i["value"])
                    for i in event["identifiers"]
                ),
                channel=event["channel"],
                attributes=event["attributes"],
            ),
            CONFIG,
        )
        assert prepared.event is not None, (event, prepared.rejections)


def test_every_phone_prefix_is_a_valid_us_number() -> None:
    for prefix in PHONE_PREFIXES:
        number = phonenumbers.parse(f"+1{prefix}4321")
        assert phonenumbers.is_valid_number(number), prefix


def test_intended_values_normalise_to_truth_keys_and_junk_is_refused(world: World) -> None:
    truth = world.truth
    known = set(truth.person_of) | set(truth.shared)
    seen_junk = set()
    for event in world.events:
        for ident in event["identifiers"]:
            raw_key = f"{ident['type']}:{ident['value']}"
            if raw_key in truth.junk:
                seen_junk.add(raw_key)
                assert key_of(ident["type"], ident["value"]) is None, raw_key
            else:
                assert key_of(ident["type"], ident["value"]) in known, raw_key
    assert seen_junk == truth.junk
    # the truth uses the normalised spelling: lower-case emails, E.164 phones
    assert all(k[6:] == k[6:].lower() for k in known if k.startswith("EMAIL:"))
    assert all(k[6:8] == "+1" and len(k) == 18 for k in known if k.startswith("PHONE:"))
    written = {i["value"] for e in world.events for i in e["identifiers"] if i["type"] == "PHONE"}
    assert any(not v.startswith("+") for v in written), "phones are written in several ways"


# the truth ------------------------------------------------------------------------------


def test_truth_is_consistent_with_the_events(world: World) -> None:
    truth = world.truth
    assert set(truth.actor_of) == {e["id"] for e in world.events}
    assert not set(truth.person_of) & set(truth.shared)
    assert all(len(users) >= 2 for users in truth.shared.values())
    assert truth.account_holder == {k: p for k, p in truth.person_of.items() if k[:8] == "ACCOUNT:"}
    assert truth.touchpoints == {e["id"] for e in world.events if e["type"] in TOUCHPOINTS}
    assert truth.attributable_events <= truth.touchpoints
    assert set(truth.roles) <= set(truth.shared) | set(truth.person_of)
    people = {p.id for p in world.people}
    assert truth.persons <= people
    assert all(truth.household_of[p.id] == p.household for p in world.people)
    for event in world.events:
        actor = truth.actor_of[event["id"]]
        accounts = [k for k in keys(event) if k.startswith("ACCOUNT:")]
        if actor is None:  # only a fraudster's logins have no customer behind them
            assert event["type"] == "LOGIN"
            assert any(truth.roles.get(k) == "fraud_device" for k in keys(event))
            continue
        for key in keys(event):
            assert actor in truth.users_of(key), (event, key)
        for account in accounts:
            assert truth.account_holder[account] == actor, event


def test_owned_by_and_profiles_agree(world: World) -> None:
    truth = world.truth
    for profile in world.people:
        mine = truth.owned_by(profile.id)
        if profile.account and profile.account in truth.account_holder:
            assert truth.account_holder[profile.account] == profile.id
            assert profile.account in mine
        listed = {*profile.emails, *profile.phones, *profile.devices, *profile.cookies}
        if profile.account:
            listed.add(profile.account)
        # beyond the profile: a place's identifier only this person happened to use (say, the
        # tablet's new cookie after a clear-out)
        assert all(key in truth.roles for key in mine - listed), mine - listed


def expected_attributable(events: list[EventDict], truth: Truth) -> set[str]:
    """Brute force, straight from the rules in truth.py's docstring."""
    ordered = sorted(events, key=instant)
    found = set()
    for event in ordered:
        actor = truth.actor_of[event["id"]]
        if event["type"] not in TOUCHPOINTS or actor is None:
            continue
        ks, t = keys(event), instant(event)
        if any(truth.account_holder.get(k) == actor for k in ks):
            found.add(event["id"])
            continue
        if any(k[:6] in ("EMAIL:", "PHONE:") and truth.person_of.get(k) == actor for k in ks):
            found.add(event["id"])
            continue
        if any(k[:7] in ("COOKIE:", "DEVICE:") and k in truth.person_of for k in ks):
            found.add(event["id"])
            continue
        for carrier in (k for k in ks if k[:7] in ("COOKIE:", "DEVICE:") and k in truth.shared):
            on_it = [e for e in ordered if e["type"] in ("LOGIN", "LOGOUT") and carrier in keys(e)]
            open_now: set[str] = set()
            for e in on_it:
                if instant(e) > t:
                    break
                account = next(k for k in keys(e) if k.startswith("ACCOUNT:"))
                if e["type"] == "LOGIN":
                    open_now.add(account)
                else:
                    open_now.discard(account)
            holders = {truth.account_holder[a] for a in open_now}
            if actor in holders:
                found.add(event["id"])
                break
            nxt = [e for e in on_it if e["type"] == "LOGIN" and instant(e) >= t]
            if not holders and nxt and instant(nxt[0]) - t <= WINDOW:
                account = next(k for k in keys(nxt[0]) if k.startswith("ACCOUNT:"))
                if truth.account_holder[account] == actor:
                    found.add(event["id"])
                    break
    return found


def test_attributable_follows_the_contract_rules(world: World) -> None:
    assert world.truth.attributable_events == expected_attributable(world.events, world.truth)
    # and the world has touchpoints of both kinds
    not_attributable = world.truth.touchpoints - world.truth.attributable_events
    assert len(not_attributable) >= 10


# world features at default settings --------------------------------------------------------


def test_household_tablet_with_two_members_and_logouts(world: World) -> None:
    truth = world.truth
    good = []
    for device in of_role(truth, "household_tablet", "DEVICE:"):
        on_it = events_with(world.events, device)
        logins = [e for e in on_it if e["type"] == "LOGIN"]
        holders = {truth.actor_of[e["id"]] for e in logins}
        households = {truth.household_of[p] for p in truth.users_of(device)}
        anonymous = [e for e in on_it if e["type"] == "PAGE_VIEW"]
        if (
            len(holders) >= 2
            and any(e["type"] == "LOGOUT" for e in on_it)
            and len(households) == 1
            and any(not truth.attributable(e["id"]) for e in anonymous)
            and any(truth.attributable(e["id"]) for e in anonymous)
        ):
            good.append(device)
    assert good, "a tablet two members log in and out of, with unattributable browsing"


def test_newsletter_email_typed_on_the_tablet_after_a_logout(world: World) -> None:
    truth = world.truth
    for device in of_role(truth, "household_tablet", "DEVICE:"):
        on_it = sorted(events_with(world.events, device), key=instant)
        for before, after in itertools.pairwise(on_it):
            emails = [k for k in keys(after) if k.startswith("EMAIL:")]
            if (
                before["type"] == "LOGOUT"
                and after["type"] in ("IDENTIFY", "FORM_SUBMIT")
                and emails
            ):
                typist = truth.actor_of[after["id"]]
                assert typist != truth.actor_of[before["id"]]
                assert truth.person_of[emails[0]] == typist
                return
    pytest.fail("no newsletter email typed on a tablet right after a logout")


def test_kiosk_with_many_unrelated_accounts(world: World) -> None:
    truth = world.truth
    (device,) = of_role(truth, "kiosk", "DEVICE:")
    on_it = events_with(world.events, device)
    accounts = {k for e in on_it if e["type"] == "LOGIN" for k in keys(e) if k[:8] == "ACCOUNT:"}
    assert len(accounts) >= 5
    assert len({truth.household_of[truth.account_holder[a]] for a in accounts}) >= 2
    logins = Counter(e["type"] for e in on_it)
    assert logins["LOGIN"] == logins["LOGOUT"]


def test_recycled_phone_changes_hands(world: World) -> None:
    truth = world.truth
    (phone,) = of_role(truth, "recycled_phone")
    first, second = sorted(truth.shared[phone])
    households = {truth.household_of[first], truth.household_of[second]}
    assert len(households) == 2
    spans = defaultdict(list)
    for event in events_with(world.events, phone):
        spans[truth.actor_of[event["id"]]].append(instant(event))
    early, late = sorted(spans.values(), key=min)
    assert max(early) < min(late), "the first holder stops before the second starts"


def test_family_email_of_two_adults(world: World) -> None:
    truth = world.truth
    emails = of_role(truth, "family_email")
    assert emails
    for email in emails:
        users = truth.shared[email]
        assert len(users) == 2
        assert len({truth.household_of[p] for p in users}) == 1
        crm = [e for e in events_with(world.events, email) if e["type"] == "IDENTIFY"]
        assert len({truth.actor_of[e["id"]] for e in crm}) == 2


def test_fraud_device_logs_into_many_accounts_quickly(world: World) -> None:
    truth = world.truth
    (device,) = of_role(truth, "fraud_device")
    on_it = sorted(events_with(world.events, device), key=instant)
    assert {e["type"] for e in on_it} == {"LOGIN"}
    accounts = {k for e in on_it for k in keys(e) if k.startswith("ACCOUNT:")}
    assert len(accounts) >= 5
    times = [instant(e) for e in on_it]
    assert max(b - a for a, b in itertools.pairwise(times)) < 120
    assert truth.shared[device] == {truth.account_holder[a] for a in accounts}


def test_office_phone_placeholders_email_change_and_cookie_churn(world: World) -> None:
    truth = world.truth
    assert of_role(truth, "office_phone")
    blocked = {k for k in truth.junk if k.split(":", 1)[1].strip().lower() in DEFAULT_BLOCKED}
    assert blocked and truth.junk - blocked, "placeholders and malformed values"
    changed = [p for p in world.people if len([e for e in p.emails if "family" not in e]) == 2]
    assert changed
    assert any(len(truth.owned_by(p.id) & set(p.cookies)) >= 2 for p in world.people)


def test_anonymous_browsing_right_before_login_is_attributable(world: World) -> None:
    truth = world.truth
    found = 0
    by_cookie: dict[str, list[EventDict]] = defaultdict(list)
    for event in world.events:
        for key in keys(event):
            if key.startswith("COOKIE:") and key in truth.person_of:
                by_cookie[key].append(event)
    for events in by_cookie.values():
        events.sort(key=instant)
        for view, login in itertools.pairwise(events):
            if (
                view["type"] == "PAGE_VIEW"
                and login["type"] == "LOGIN"
                and instant(login) - instant(view) < WINDOW
            ):
                assert truth.attributable(view["id"])
                assert truth.actor_of[view["id"]] == truth.actor_of[login["id"]]
                found += 1
    assert found >= 10


def test_features_can_be_switched_off() -> None:
    config = WorldConfig(
        households=20,
        tablets=False,
        family_emails=False,
        recycled_phones=False,
        kiosks=False,
        fraud_devices=False,
        office_phones=False,
        placeholders=False,
        invalid_values=False,
    )
    world = generate_world(config)
    assert world.truth.shared == {}
    assert world.truth.junk == set()
    assert world.truth.attributable_events == world.truth.touchpoints


def test_namespaces_keep_worlds_apart() -> None:
    a = generate_world(WorldConfig(households=10, namespace="a"))
    b = generate_world(WorldConfig(households=10, namespace="b"))
    keys_a = set(a.truth.person_of) | set(a.truth.shared)
    keys_b = set(b.truth.person_of) | set(b.truth.shared)
    assert not keys_a & keys_b
    assert not {e["id"] for e in a.events} & {e["id"] for e in b.events}


@pytest.mark.parametrize("days", [7, 90])
def test_short_and_long_periods(days: int) -> None:
    world = generate_world(WorldConfig(households=25, days=days, seed=days))
    assert of_role(world.truth, "recycled_phone")
    end = world.config.start.timestamp() + days * 86_400 + 3 * 3_600
    assert all(instant(e) < end for e in world.events)


# delivery -------------------------------------------------------------------------------


def payloads(events: Iterable[EventDict]) -> Counter[str]:
    return Counter(json.dumps(e, sort_keys=True) for e in events)


@pytest.mark.parametrize("order", ["time", "shuffled", "late"])
@pytest.mark.parametrize("duplicates", [0.0, 0.1])
def test_delivery_is_a_permutation_plus_duplicates(
    world: World, order: Any, duplicates: float
) -> None:
    batches = deliver(world.events, seed=5, order=order, duplicate_fraction=duplicates)
    assert all(1 <= len(b) <= 1000 for b in batches)
    delivered = [e for b in batches for e in b]
    counts = Counter(e["id"] for e in delivered)
    assert set(counts) == {e["id"] for e in world.events}
    assert set(payloads(delivered)) == set(payloads(world.events)), "identical payloads"
    extra = len(delivered) - len(world.events)
    assert (extra > 0) == (duplicates > 0)
    first_seen: dict[str, int] = {}
    for position, event in enumerate(delivered):
        first_seen.setdefault(event["id"], position)
    assert all(first_seen[e["id"]] <= i for i, e in enumerate(delivered))
    if order == "time":
        originals = [e for i, e in enumerate(delivered) if first_seen[e["id"]] == i]
        assert originals == in_time_order(world.events)


def test_delivery_helpers(world: World) -> None:
    events = world.events[:300]
    assert shuffled(events, 1) == shuffled(events, 1) != events
    assert sorted(shuffled(events, 1), key=lambda e: e["id"]) == sorted(
        events, key=lambda e: e["id"]
    )
    late = delayed(events, 2, fraction=0.3)
    assert late != in_time_order(events) and len(late) == len(events)
    twice = with_duplicates(events, 3, fraction=1.0)
    assert len(twice) == 2 * len(events)
    copy = next(e for e in twice[::-1] if e["id"] == events[0]["id"])
    assert copy == events[0] and copy is not events[0]
    assert [len(b) for b in batched(range(7), 3)] == [3, 3, 1]  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        list(batched(events, 0))


# speed ----------------------------------------------------------------------------------


def test_generation_speed() -> None:
    """Print the rate; ``python -m graph_identity.simulator --identifiers 1000000`` times 1M."""
    builder = TruthBuilder()
    started = time.process_time()
    events = sum(1 for _ in iter_events(WorldConfig(households=1500), truth=builder))
    truth = builder.build()
    seconds = time.process_time() - started
    identifiers = len(truth.person_of) + len(truth.shared)
    rate = identifiers / seconds
    print(f"\n{identifiers} identifiers, {events} events in {seconds:.2f}s CPU: {rate:,.0f} ids/s")
    assert identifiers > 15_000
    assert rate > 5_000, "1M identifiers would take over three minutes"
