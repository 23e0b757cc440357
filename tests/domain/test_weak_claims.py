"""Guards the weak-claim rule (README "Weak claims"): one unverified claim that ties an email an
account holds (strong, repeated evidence) to a second person is conflicting evidence, kept and
shown, that neither shares the email nor joins anyone, and the claim's event goes on the
claimant's timeline, not the holder's; in any order of the events."""

from __future__ import annotations

import random

from graph_identity.domain.claims import WEAK_CLAIM
from graph_identity.domain.config import ResolutionConfig, ScoringConfig
from graph_identity.domain.events import Event, EventType
from graph_identity.domain.resolution import Partition
from tests.domain.test_resolution import CONFIG, DAY, IDENTIFY, LOGIN, VIEW, ev, resolved

FORM = EventType.FORM_SUBMIT
BOB, BOB_MAIL = "ACCOUNT:bob", "EMAIL:bob@example.com"
XAVI, XAVI_COOKIE = "ACCOUNT:xavi", "COOKIE:xavi-laptop"


def holder(n: int) -> list[Event]:
    """Customer n: an account, its cookie, its email pushed twice by the CRM (held)."""
    account, email = f"ACCOUNT:c{n}", f"EMAIL:c{n}@example.com"
    return [
        ev(f"c{n}-login", n, LOGIN, account, f"COOKIE:c{n}"),
        ev(f"c{n}-crm-1", n + 1, IDENTIFY, account, email),
        ev(f"c{n}-crm-2", n + 2 * DAY, IDENTIFY, account, email),
    ]


def mistype_world(kind: EventType) -> list[Event]:
    """Bob's account holds his email (CRM twice, a login with it); Xavi, signed in on his
    laptop, types Bob's address into a newsletter form once."""
    return [
        ev("bob-crm-1", 0, IDENTIFY, BOB, BOB_MAIL),
        ev("bob-crm-2", DAY, IDENTIFY, BOB, BOB_MAIL),
        ev("bob-view", DAY + 5, VIEW, BOB_MAIL),
        ev("xavi-login", 2 * DAY, LOGIN, XAVI, XAVI_COOKIE),
        ev("xavi-news", 2 * DAY + 3, kind, XAVI_COOKIE, BOB_MAIL),
    ]


def person_of(partition: Partition, key: str) -> str:
    return partition.owner[key]


def assert_same_in_any_order(events: list[Event], expected: Partition) -> None:
    rng = random.Random(5)
    for _ in range(6):
        shuffled = events[:]
        rng.shuffle(shuffled)
        again = resolved(shuffled)
        assert again.owner == expected.owner and again.shared == expected.shared
        assert again.attribution == expected.attribution
        assert again.trace.rejected == expected.trace.rejected


def test_a_mistyped_email_stays_its_owners_and_the_form_stays_the_typists() -> None:
    for kind in (FORM, IDENTIFY):
        events = mistype_world(kind)
        partition = resolved(events)
        bob, xavi = person_of(partition, BOB), person_of(partition, XAVI)
        assert bob != xavi
        assert partition.shared == {}, kind
        assert person_of(partition, BOB_MAIL) == bob
        assert person_of(partition, XAVI_COOKIE) == xavi
        assert partition.attribution["xavi-news"] == [xavi]
        assert partition.attribution["bob-view"] == [bob]
        refused = [pair for pair, why in partition.trace.rejected.items() if why == WEAK_CLAIM]
        assert len(refused) == 1 and BOB_MAIL in refused[0], partition.trace.rejected
        assert_same_in_any_order(events, partition)


def test_a_bot_submitting_many_customers_emails_fuses_nobody() -> None:
    events = [e for n in range(1, 5) for e in holder(n)]
    events += [
        ev(f"bot-{n}", 10 * DAY + n, FORM, "COOKIE:bot", f"EMAIL:c{n}@example.com")
        for n in range(1, 5)
    ]
    partition = resolved(events)
    assert partition.shared == {}
    customers = {person_of(partition, f"ACCOUNT:c{n}") for n in range(1, 5)}
    assert len(customers) == 4
    for n in range(1, 5):
        assert person_of(partition, f"EMAIL:c{n}@example.com") == f"ACCOUNT:c{n}"
        assert partition.attribution[f"bot-{n}"] == [person_of(partition, "COOKIE:bot")]
    assert person_of(partition, "COOKIE:bot") not in customers
    weak = [pair for pair, why in partition.trace.rejected.items() if why == WEAK_CLAIM]
    assert len(weak) == 4
    assert_same_in_any_order(events, partition)


def test_a_new_browser_seen_once_with_a_held_email_still_joins_its_owner() -> None:
    events = [*holder(1), ev("new", 5 * DAY, VIEW, "COOKIE:phone", "EMAIL:c1@example.com")]
    partition = resolved(events)
    assert person_of(partition, "COOKIE:phone") == person_of(partition, "ACCOUNT:c1")
    assert partition.attribution["new"] == [person_of(partition, "ACCOUNT:c1")]


def test_an_email_nobody_holds_strongly_is_still_shared_by_its_users() -> None:
    """A family email the CRM pushed once per account: neither holds it, so both share it."""
    family = "EMAIL:family@example.com"
    events = [
        ev("a-crm", 0, IDENTIFY, "ACCOUNT:a", family),
        ev("b-crm", DAY, IDENTIFY, "ACCOUNT:b", family),
    ]
    assert resolved(events).shared == {family: ["ACCOUNT:a", "ACCOUNT:b"]}


def test_repeated_claims_are_not_weak_and_share_as_before() -> None:
    events = [*mistype_world(FORM), ev("xavi-news-2", 3 * DAY, FORM, XAVI_COOKIE, BOB_MAIL)]
    partition = resolved(events)
    assert BOB_MAIL in partition.shared
    assert WEAK_CLAIM not in partition.trace.rejected.values()


def test_the_rule_can_be_switched_off() -> None:
    config = ResolutionConfig(scoring=ScoringConfig(weak_claim_count=0))
    partition = resolved(mistype_world(FORM), config)
    assert BOB_MAIL in partition.shared
    assert CONFIG.scoring.weak_claim_count == 1
