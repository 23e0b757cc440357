"""Resolution semantics (docs/resolution.md) as worked examples: which identifiers become one
person, which become shared, how logins, logouts and the pre-login window steer links and
attribution, how limits and admin constraints protect merges, and the invariants every
partition keeps."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.events import Event, EventType, RawEvent, RawIdentifier, prepare
from graph_identity.domain.identifiers import Identifier, IdentifierType
from graph_identity.domain.resolution import Constraints, Partition, resolve

CONFIG = ResolutionConfig()
NO_CONSTRAINTS = Constraints()
T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
DAY = 24 * 60

LOGIN, LOGOUT, IDENTIFY = EventType.LOGIN, EventType.LOGOUT, EventType.IDENTIFY
VIEW, CALL, MESSAGE = EventType.PAGE_VIEW, EventType.CALL, EventType.MESSAGE

TABLET = "DEVICE:tablet"
A, B = "ACCOUNT:a", "ACCOUNT:b"
EARLY, NEAR, NEWS = "EMAIL:early@example.com", "EMAIL:near@example.com", "EMAIL:news@example.com"
FAMILY = "EMAIL:family@example.com"
PHONE = "PHONE:+14155552671"


def ev(event_id: str, minutes: float, kind: EventType, *keys: str, verified: bool = False) -> Event:
    """An event at ``minutes`` after T0, prepared like the API would."""
    identifiers = []
    for key in keys:
        ident = Identifier.from_key(key)
        identifiers.append(RawIdentifier(ident.type, ident.value))
    raw = RawEvent(event_id, T0 + timedelta(minutes=minutes), kind, tuple(identifiers))
    prepared = prepare(raw, CONFIG, verified=verified)
    assert prepared.event is not None, prepared.rejections
    return prepared.event


def owned_by(partition: Partition, group: str) -> set[str]:
    return {key for key, owner in partition.owner.items() if owner == group}


def listed(partition: Partition, person: str, key: str) -> bool | None:
    """Whether ``key`` is listed on ``person``: None if not, else its shared flag."""
    for m in partition.memberships:
        if m.person == person and m.identifier == key:
            return m.shared
    return None


def check_invariants(partition: Partition, events: list[Event], config: ResolutionConfig) -> None:
    """What every partition must satisfy, whatever the world."""
    keys = {i.key for e in events for i in e.identifiers}
    persons = partition.persons()
    # every identifier is either owned by exactly one group or shared (owned by none)
    assert set(partition.owner) | set(partition.shared) == keys
    assert not set(partition.owner) & set(partition.shared)
    for groups in partition.shared.values():
        assert groups == sorted(set(groups))
        assert set(groups) <= set(persons)
    assert set(partition.owner.values()) <= set(persons)
    # memberships mirror owner and shared, once per pair, confidence in [0, 1]
    pairs = Counter((m.person, m.identifier) for m in partition.memberships)
    assert max(pairs.values()) == 1
    expected_pairs = {(g, k) for k, g in partition.owner.items()}
    expected_pairs |= {(g, k) for k, gs in partition.shared.items() for g in gs}
    assert set(pairs) == expected_pairs
    for m in partition.memberships:
        assert 0.0 <= m.confidence <= 1.0
        assert m.shared is (m.identifier in partition.shared)
        assert m.first <= m.last
    # per-type limits hold on what each person owns
    for group in persons:
        kinds = Counter(Identifier.from_key(k).type for k in owned_by(partition, group))
        for kind, count in kinds.items():
            assert count <= config.limit(kind), (group, kind, count)
    # every event is attributed, at most to persons that exist
    assert set(partition.attribution) == {e.id for e in events}
    for groups in partition.attribution.values():
        assert set(groups) <= set(persons)
    # a person never holds two accounts
    for group in persons:
        assert len([k for k in owned_by(partition, group) if k.startswith("ACCOUNT:")]) <= 1


def resolved(
    events: list[Event],
    config: ResolutionConfig = CONFIG,
    constraints: Constraints = NO_CONSTRAINTS,
) -> Partition:
    partition = resolve(events, config, constraints)
    check_invariants(partition, events, config)
    return partition


def test_login_links_cookie_and_device_to_the_account() -> None:
    events = [ev("l1", 0, LOGIN, A, "COOKIE:c1", TABLET)]
    partition = resolved(events)
    assert partition.persons() == {A: [A, "COOKIE:c1", TABLET]}
    assert partition.owner == {A: A, "COOKIE:c1": A, TABLET: A}
    assert partition.shared == {}


def test_unrelated_identifiers_stay_apart() -> None:
    events = [ev("v1", 0, VIEW, "COOKIE:c1"), ev("v2", 0, VIEW, "COOKIE:c2")]
    partition = resolved(events)
    assert partition.owner["COOKIE:c1"] != partition.owner["COOKIE:c2"]


def _before_login_world(ending: str) -> list[Event]:
    """Activity on the tablet 100 and 20 minutes before A logs in at 100; then a logout, or a
    second account's login, so the tablet is not a one-account device."""
    events = [
        ev("i-early", 0, IDENTIFY, TABLET, EARLY),
        ev("v-early", 5, VIEW, TABLET),
        ev("i-near", 80, IDENTIFY, TABLET, NEAR),
        ev("v-near", 85, VIEW, TABLET),
        ev("login-a", 100, LOGIN, A, TABLET),
    ]
    if ending == "logout":
        events.append(ev("logout-a", 130, LOGOUT, A, TABLET))
    else:
        events.append(ev("login-b", 1000, LOGIN, B, TABLET))
    return events


@pytest.mark.parametrize("ending", ["logout", "second account"])
def test_anonymous_activity_within_the_window_before_login_joins_it(ending: str) -> None:
    partition = resolved(_before_login_world(ending))
    assert partition.owner[NEAR] == A
    assert partition.attribution["v-near"] == [A]
    assert partition.attribution["i-near"] == [A]


@pytest.mark.parametrize("ending", ["logout", "second account"])
def test_anonymous_activity_before_the_window_does_not_join_the_login(ending: str) -> None:
    partition = resolved(_before_login_world(ending))
    assert partition.owner[EARLY] != A
    assert A not in partition.attribution["v-early"]
    assert A not in partition.attribution["i-early"]
    assert listed(partition, A, EARLY) is None


def test_the_window_is_configurable() -> None:
    wide = ResolutionConfig(prelogin_window=timedelta(hours=2))
    partition = resolved(_before_login_world("logout"), wide)
    assert partition.owner[EARLY] == A
    assert partition.attribution["v-early"] == [A]


def test_a_device_that_only_served_one_account_carries_its_whole_history() -> None:
    events = [
        ev("i-early", 0, IDENTIFY, TABLET, EARLY),
        ev("v-early", 5, VIEW, TABLET),
        ev("login-a", 10 * DAY, LOGIN, A, TABLET),
        ev("login-a2", 20 * DAY, LOGIN, A, TABLET),
        ev("v-late", 30 * DAY, VIEW, TABLET),
    ]
    partition = resolved(events)
    assert partition.persons() == {A: [A, TABLET, EARLY]}
    assert partition.attribution == {e.id: [A] for e in events}


def test_one_logout_ends_the_whole_device_rule() -> None:
    events = [
        ev("i-early", 0, IDENTIFY, TABLET, EARLY),
        ev("login-a", 10 * DAY, LOGIN, A, TABLET),
        ev("logout-a", 10 * DAY + 5, LOGOUT, A, TABLET),
    ]
    partition = resolved(events)
    assert partition.owner[EARLY] != A


def _logout_world() -> list[Event]:
    return [
        ev("login-a", 100, LOGIN, A, TABLET),
        ev("chat-a", 110, EventType.CHAT, TABLET),
        ev("logout-a", 130, LOGOUT, A, TABLET),
        ev("v-after", 200, VIEW, TABLET),
        ev("i-news", 210, IDENTIFY, TABLET, NEWS),
    ]


def test_after_a_logout_activity_on_the_device_is_not_the_logged_out_person() -> None:
    partition = resolved(_logout_world())
    assert partition.attribution["chat-a"] == [A]
    assert partition.attribution["logout-a"] == [A]
    assert A not in partition.attribution["v-after"]
    assert A not in partition.attribution["i-news"]


def test_an_email_typed_after_a_logout_does_not_join_the_logged_out_person() -> None:
    partition = resolved(_logout_world())
    assert partition.owner[NEWS] != A
    assert listed(partition, A, NEWS) is None


def test_an_email_typed_after_a_logout_that_belongs_to_someone_else_shares_the_device() -> None:
    events = [*_logout_world(), ev("i-b", 300, IDENTIFY, B, NEWS)]
    partition = resolved(events)
    assert partition.owner[NEWS] == B
    assert partition.shared[TABLET] == [A, B]
    # the anonymous view in the same stretch goes to nobody: the email shows who typed it, not
    # who browsed the tablet before or after
    assert partition.attribution["v-after"] == []
    assert partition.attribution["i-news"] == [B]


def test_history_before_the_logout_stays() -> None:
    events = [ev("i-near", 90, IDENTIFY, TABLET, NEAR), *_logout_world()]
    partition = resolved(events)
    assert partition.owner[NEAR] == A


def test_two_accounts_never_share_a_person_and_the_family_email_becomes_shared() -> None:
    events = [
        ev("h", 0, IDENTIFY, "ACCOUNT:husband", FAMILY, "PHONE:+14155552672"),
        ev("w", 10, IDENTIFY, "ACCOUNT:wife", FAMILY),
        ev("w-login", 20, LOGIN, "ACCOUNT:wife", "DEVICE:wife-phone"),
        ev("m", 30, MESSAGE, FAMILY),
        ev("h-again", 40, IDENTIFY, "ACCOUNT:husband", FAMILY),
    ]
    partition = resolved(events)
    assert partition.owner["ACCOUNT:husband"] != partition.owner["ACCOUNT:wife"]
    assert partition.shared[FAMILY] == ["ACCOUNT:husband", "ACCOUNT:wife"]
    assert listed(partition, "ACCOUNT:husband", FAMILY) is True
    assert listed(partition, "ACCOUNT:wife", FAMILY) is True
    # the shared email carries no merge: each keeps its own identifiers
    assert partition.owner["PHONE:+14155552672"] == "ACCOUNT:husband"
    assert partition.owner["DEVICE:wife-phone"] == "ACCOUNT:wife"
    # both use the address over the same period: a message to it is nobody's in particular
    assert partition.attribution["m"] == []


def test_an_email_linking_many_accounts_is_shared_by_all() -> None:
    accounts = [f"ACCOUNT:u{i}" for i in range(4)]
    events = [ev(f"i{i}", i, IDENTIFY, acct, FAMILY) for i, acct in enumerate(accounts)]
    partition = resolved(events)
    assert partition.shared[FAMILY] == accounts
    assert len({partition.owner[acct] for acct in accounts}) == 4


def _three_emails_via_phone() -> list[Event]:
    return [
        ev("e1", 0, IDENTIFY, A, "EMAIL:e1@example.com"),
        ev("e2", 1, IDENTIFY, A, "EMAIL:e2@example.com"),
        ev("p", 2, IDENTIFY, A, PHONE),
        ev("e3", 3, IDENTIFY, PHONE, "EMAIL:e3@example.com"),
    ]


def test_under_the_default_limits_a_third_email_merges() -> None:
    partition = resolved(_three_emails_via_phone())
    assert owned_by(partition, A) == {
        A,
        PHONE,
        "EMAIL:e1@example.com",
        "EMAIL:e2@example.com",
        "EMAIL:e3@example.com",
    }


def test_an_email_limit_of_two_makes_the_linking_identifier_shared() -> None:
    config = ResolutionConfig(limits={IdentifierType.EMAIL: 2})
    partition = resolved(_three_emails_via_phone(), config)
    assert owned_by(partition, A) == {A, "EMAIL:e1@example.com", "EMAIL:e2@example.com"}
    assert PHONE in partition.shared
    assert A in partition.shared[PHONE]
    assert partition.owner["EMAIL:e3@example.com"] in partition.shared[PHONE]


def test_a_third_email_asserted_directly_on_the_account_is_not_owned_by_it() -> None:
    config = ResolutionConfig(limits={IdentifierType.EMAIL: 2})
    events = [
        ev("e1", 0, IDENTIFY, A, "EMAIL:e1@example.com"),
        ev("e2", 1, IDENTIFY, A, "EMAIL:e2@example.com"),
        ev("e3", 2, IDENTIFY, A, "EMAIL:e3@example.com"),
    ]
    partition = resolved(events, config)
    assert owned_by(partition, A) == {A, "EMAIL:e1@example.com", "EMAIL:e2@example.com"}
    assert partition.owner.get("EMAIL:e3@example.com") != A


def test_a_phone_limit_is_applied_like_an_email_limit() -> None:
    config = ResolutionConfig(limits={IdentifierType.PHONE: 1})
    events = [
        ev("p1", 0, IDENTIFY, A, "PHONE:+14155552672"),
        ev("e", 1, IDENTIFY, A, FAMILY),
        ev("p2", 2, IDENTIFY, FAMILY, "PHONE:+14155552673"),
    ]
    partition = resolved(events, config)
    assert partition.owner["PHONE:+14155552672"] == A
    assert partition.owner.get("PHONE:+14155552673") != A


COOKIES = ["COOKIE:c0", "COOKIE:c1", "COOKIE:c2"]
DEVICES = ["DEVICE:phone", "DEVICE:laptop"]

#: description -> (limited type, its limit, carriers A logs in on ten minutes apart, the index
#: of the one whose session a LOGOUT cuts, if any)
SESSION_LIMITS: dict[str, tuple[IdentifierType, int, list[str], int | None]] = {
    "three cookies, limit two, no logout": (IdentifierType.COOKIE, 2, COOKIES, None),
    "three cookies, limit two, first session cut": (IdentifierType.COOKIE, 2, COOKIES, 0),
    "three cookies, limit two, third session cut": (IdentifierType.COOKIE, 2, COOKIES, 2),
    "two devices, limit one, second session cut": (IdentifierType.DEVICE, 1, DEVICES, 1),
}


@pytest.mark.parametrize("description", sorted(SESSION_LIMITS))
def test_sessions_beyond_a_limit_leave_their_carrier_shared(description: str) -> None:
    """A per-type limit holds however the sessions end: the carriers whose logins Kruskal takes
    first (the earliest) are owned, the rest are listed on the person as shared and owned by
    nobody. (Found by the partition-invariant property: a session cut by a logout, so not its
    carrier's only segment, used to slip past the limit.)"""
    kind, limit, carriers, cut = SESSION_LIMITS[description]
    config = ResolutionConfig(limits={kind: limit})
    events = [ev(f"in{n}", 10 * n, LOGIN, A, carrier) for n, carrier in enumerate(carriers)]
    if cut is not None:
        events.append(ev("out", 10 * len(carriers), LOGOUT, A, carriers[cut]))
    partition = resolved(events, config)
    assert owned_by(partition, A) == {A, *carriers[:limit]}
    for n, carrier in enumerate(carriers[limit:], start=limit):
        assert listed(partition, A, carrier) is True
        assert partition.attribution[f"in{n}"] == [A]
    shuffled = resolve(list(reversed(events)), config)
    assert (shuffled.owner, shuffled.shared) == (partition.owner, partition.shared)


X, P = "EMAIL:x@example.com", "PHONE:+14155552674"


@pytest.mark.parametrize(
    ("description", "events", "left", "right"),
    [
        ("email and phone asserted together", [ev("i", 0, IDENTIFY, X, P)], X, P),
        (
            "two cookies bridged by an identify",
            [
                ev("i", 0, IDENTIFY, X, P),
                ev("v1", 1, VIEW, "COOKIE:c1", X),
                ev("v2", 2, VIEW, "COOKIE:c2", P),
            ],
            "COOKIE:c1",
            "COOKIE:c2",
        ),
        (
            "email and phone, each with its cookie",
            [
                ev("i", 0, IDENTIFY, X, P),
                ev("v1", 1, VIEW, "COOKIE:c1", X),
                ev("v2", 2, VIEW, "COOKIE:c2", P),
            ],
            X,
            P,
        ),
        (
            "a cookie and an email it was seen with",
            [ev("v1", 1, VIEW, "COOKIE:c1", X), ev("v2", 2, VIEW, "COOKIE:c1", X)],
            "COOKIE:c1",
            X,
        ),
    ],
)
def test_cannot_link_prevents_a_merge(
    description: str, events: list[Event], left: str, right: str
) -> None:
    merged = resolved(events)
    assert merged.owner[left] == merged.owner[right], description
    constraints = Constraints(cannot_link=((frozenset({left}), frozenset({right})),))
    partition = resolved(events, constraints=constraints)
    left_owner = partition.owner.get(left)
    assert left_owner is None or left_owner != partition.owner.get(right), description


def test_cannot_link_between_sets_keeps_every_pair_apart() -> None:
    events = [
        ev("v1", 0, VIEW, "COOKIE:c1", X),
        ev("v2", 1, VIEW, "COOKIE:c2", P),
        ev("i", 2, IDENTIFY, X, P),
    ]
    left, right = frozenset({"COOKIE:c1", X}), frozenset({"COOKIE:c2", P})
    partition = resolved(events, constraints=Constraints(cannot_link=((left, right),)))
    left_groups = {partition.owner[k] for k in left if k in partition.owner}
    right_groups = {partition.owner[k] for k in right if k in partition.owner}
    assert not left_groups & right_groups


def test_must_link_forces_one_person() -> None:
    events = [ev("v1", 0, VIEW, "COOKIE:c1", X), ev("v2", 1, VIEW, "COOKIE:c2", P)]
    assert resolved(events).owner["COOKIE:c1"] != resolved(events).owner["COOKIE:c2"]
    constraints = Constraints(must_link=(frozenset({"COOKIE:c1", "COOKIE:c2"}),))
    partition = resolved(events, constraints=constraints)
    assert len({partition.owner[k] for k in ("COOKIE:c1", "COOKIE:c2", X, P)}) == 1
    assert partition.attribution["v1"] == partition.attribution["v2"]


def test_must_link_naming_an_unknown_identifier_changes_nothing() -> None:
    events = [ev("v1", 0, VIEW, "COOKIE:c1", X), ev("v2", 1, VIEW, "COOKIE:c2", P)]
    constraints = Constraints(must_link=(frozenset({"COOKIE:c1", "COOKIE:nowhere"}),))
    assert resolved(events, constraints=constraints).owner == resolved(events).owner


def test_a_kiosk_serving_ten_accounts_is_shared_by_ten_persons() -> None:
    accounts = [f"ACCOUNT:u{i}" for i in range(10)]
    events: list[Event] = []
    for i, acct in enumerate(accounts):
        start = i * 60
        events += [
            ev(f"login{i}", start, LOGIN, acct, "DEVICE:kiosk"),
            ev(f"view{i}", start + 5, VIEW, "DEVICE:kiosk"),
            ev(f"logout{i}", start + 10, LOGOUT, acct, "DEVICE:kiosk"),
        ]
    partition = resolved(events)
    assert partition.shared["DEVICE:kiosk"] == sorted(accounts)
    assert len({partition.owner[acct] for acct in accounts}) == 10
    for i, acct in enumerate(accounts):
        assert partition.attribution[f"view{i}"] == [acct]
        assert listed(partition, acct, "DEVICE:kiosk") is True


def test_a_fraud_device_logging_into_five_accounts_is_shared_and_keeps_them_apart() -> None:
    accounts = [f"ACCOUNT:victim{i}" for i in range(5)]
    events = [ev(f"l{i}", i * 60, LOGIN, acct, "DEVICE:bad") for i, acct in enumerate(accounts)]
    events.append(ev("late-view", 10_000, VIEW, "DEVICE:bad"))
    partition = resolved(events)
    assert partition.shared["DEVICE:bad"] == accounts
    assert len({partition.owner[acct] for acct in accounts}) == 5
    assert all(len(partition.persons()[acct]) == 2 for acct in accounts)
    # the last login is still open: later activity follows its session
    assert partition.attribution["late-view"] == [accounts[-1]]


def test_a_recycled_phone_is_shared_and_keeps_its_owners_apart() -> None:
    events = [
        ev("x", 0, IDENTIFY, "ACCOUNT:x", PHONE),
        ev("x-login", 10, LOGIN, "ACCOUNT:x", "DEVICE:x-phone"),
        ev("y", 400 * DAY, IDENTIFY, "ACCOUNT:y", PHONE),
        ev("y-login", 400 * DAY + 10, LOGIN, "ACCOUNT:y", "DEVICE:y-phone"),
        ev("call-x", 1 * DAY, CALL, PHONE),
        ev("call-before-anyone", -DAY, CALL, PHONE),
        ev("call-y", 420 * DAY, CALL, PHONE),
    ]
    partition = resolved(events)
    # a call from the number goes to whoever held it at the time, or to nobody before that
    assert partition.attribution["call-x"] == ["ACCOUNT:x"]
    assert partition.attribution["call-y"] == ["ACCOUNT:y"]
    assert partition.attribution["call-before-anyone"] == []
    assert partition.shared[PHONE] == ["ACCOUNT:x", "ACCOUNT:y"]
    assert partition.owner["ACCOUNT:x"] != partition.owner["ACCOUNT:y"]
    assert partition.owner["DEVICE:x-phone"] == "ACCOUNT:x"
    assert partition.owner["DEVICE:y-phone"] == "ACCOUNT:y"


def test_fixed_shared_identifiers_carry_no_merge() -> None:
    events = [ev("v1", 0, VIEW, "COOKIE:c1", FAMILY), ev("v2", 1, VIEW, "COOKIE:c2", FAMILY)]
    assert resolve(events, CONFIG).owner["COOKIE:c1"] == resolve(events, CONFIG).owner["COOKIE:c2"]
    partition = resolve(events, CONFIG, fixed_shared=frozenset({FAMILY}))
    assert partition.owner["COOKIE:c1"] != partition.owner["COOKIE:c2"]
    assert partition.shared[FAMILY] == sorted(
        [partition.owner["COOKIE:c1"], partition.owner["COOKIE:c2"]]
    )


def test_group_ids_are_the_smallest_element_name() -> None:
    events = [
        ev("l", 0, LOGIN, "ACCOUNT:zed", "COOKIE:zz"),
        ev("v", 1, VIEW, "COOKIE:aa", "EMAIL:zed@example.com"),
    ]
    partition = resolved(events)
    assert partition.owner["COOKIE:zz"] == "ACCOUNT:zed"
    assert partition.owner["EMAIL:zed@example.com"] == "COOKIE:aa#0"


def test_husband_and_wife_on_one_ipad() -> None:
    """The story of /tmp/try.py: each event lands on the right person."""
    ipad = ("COOKIE:ipad", "DEVICE:ipad")
    events = [
        ev("h-browse", 0, VIEW, *ipad),
        ev("w-login", 180, LOGIN, "ACCOUNT:wife", *ipad),
        ev("w-chat", 185, EventType.CHAT, *ipad),
        ev("w-logout", 190, LOGOUT, "ACCOUNT:wife", *ipad),
        ev("news", 200, IDENTIFY, "COOKIE:ipad", NEWS),
        ev("h-login", 300, LOGIN, "ACCOUNT:husband", *ipad),
        ev("h-view", 310, VIEW, *ipad),
        ev("h-id", 320, IDENTIFY, "ACCOUNT:husband", FAMILY, PHONE),
        ev("w-id", 330, IDENTIFY, "ACCOUNT:wife", FAMILY),
        ev("w-phone", 340, LOGIN, "ACCOUNT:wife", "DEVICE:wife-phone"),
        ev("w-view", 350, VIEW, "DEVICE:wife-phone"),
    ]
    partition = resolved(events)
    husband, wife = "ACCOUNT:husband", "ACCOUNT:wife"
    assert partition.shared["DEVICE:ipad"] == [husband, wife]
    assert {husband, wife} <= set(partition.shared["COOKIE:ipad"])
    assert partition.shared[FAMILY] == [husband, wife]
    assert partition.owner[PHONE] == husband
    assert partition.owner["DEVICE:wife-phone"] == wife
    assert partition.owner[NEWS] not in (husband, wife)
    expected = {
        "h-browse": [],
        "w-login": [wife],
        "w-chat": [wife],
        "w-logout": [wife],
        "h-login": [husband],
        "h-view": [husband],
        "h-id": [husband],
        "w-id": [wife],
        "w-phone": [wife],
        "w-view": [wife],
    }
    assert {k: partition.attribution[k] for k in expected} == expected


WORLDS: dict[str, Callable[[], list[Event]]] = {
    "before login, logout": lambda: _before_login_world("logout"),
    "before login, second account": lambda: _before_login_world("second account"),
    "logout": _logout_world,
    "three emails": _three_emails_via_phone,
}


@pytest.mark.parametrize("name", sorted(WORLDS))
@pytest.mark.parametrize(
    "config",
    [CONFIG, ResolutionConfig(limits={t: 1 for t in IdentifierType})],
    ids=["default limits", "limits of one"],
)
def test_invariants_hold_under_tight_limits(name: str, config: ResolutionConfig) -> None:
    events = WORLDS[name]()
    check_invariants(resolve(events, config), events, config)
