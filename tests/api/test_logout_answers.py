"""Guards that a logout protects answers, not only timelines, over HTTP: ``resolve(carrier, at)``
names the person attribution gives that moment to (the open session's holder, or the person
whose login follows within the pre-login window) and nobody between a logout and the next login,
with ``reason: SIGNED_OUT``, shared carrier or not; without ``at`` it answers for now. Owned
non-carrier identifiers and carriers never logged out answer as they always did."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.api.conftest import Api

RESOLVE = """
query($i: IdentifierInput!, $at: DateTime) {
  resolve(identifier: $i, at: $at) {
    person { id } confidence shared known assurance reason candidates { person { id } }
  }
}
"""
PERSON_OF = "query($i: IdentifierInput!) { resolve(identifier: $i) { person { id } } }"
TABLET = {"type": "COOKIE", "value": "ck-family-tablet"}
MARIA = {"type": "ACCOUNT", "value": "acc-maria"}
KIOSK = {"type": "DEVICE", "value": "dev-store-kiosk"}
LAPTOP = {"type": "DEVICE", "value": "dev-tom-laptop"}
TOM = {"type": "ACCOUNT", "value": "acc-tom"}
DAY = datetime(2026, 3, 2, tzinfo=UTC)


def ev(event_id: str, at: datetime, kind: str, *identifiers: dict[str, str]) -> dict[str, Any]:
    return {"id": event_id, "at": at.isoformat(), "type": kind, "identifiers": list(identifiers)}


def hour(h: float, days: int = 0) -> datetime:
    return DAY + timedelta(days=days, hours=h)


async def resolve(
    api: Api, identifier: dict[str, str], at: datetime | None = None, role: str = "agent"
) -> dict[str, Any]:
    variables = {"i": identifier, "at": at.isoformat() if at else None}
    answer: dict[str, Any] = (await api.data(RESOLVE, variables, role=role))["resolve"]
    return answer


async def person_of(api: Api, identifier: dict[str, str]) -> str:
    person: str = (await api.data(PERSON_OF, {"i": identifier}))["resolve"]["person"]["id"]
    return person


def nobody(answer: dict[str, Any], reason: str = "SIGNED_OUT") -> None:
    assert answer["person"] is None, answer
    assert (answer["known"], answer["reason"], answer["confidence"]) == (True, reason, 0.0)


async def test_the_family_tablet_names_nobody_after_maria_logs_out(
    api: Api, clean_db: None
) -> None:
    story = [
        ev("t-login", hour(10), "LOGIN", MARIA, TABLET),
        ev("t-view", hour(10 + 5 / 60), "PAGE_VIEW", TABLET),
        ev("t-logout", hour(10.5), "LOGOUT", MARIA, TABLET),
        ev("t-stranger", hour(13), "PAGE_VIEW", TABLET),
    ]
    # as a site sends them: the login and the view first, the logout and the next visit later
    for batch in (story[:2], story[2:]):
        assert (await api.ingest(batch))["rejected"] == []
    maria = await person_of(api, MARIA)
    during = await resolve(api, TABLET, hour(10 + 5 / 60))
    assert during["person"] == {"id": maria} and during["reason"] is None
    assert during["assurance"] == "HIGH" and not during["shared"]
    for at in (hour(13), None):  # the stranger's moment, and now
        answer = await resolve(api, TABLET, at)
        nobody(answer)
        assert (answer["assurance"], answer["candidates"], answer["shared"]) == ("LOW", [], False)
        # the fraud team sees who signed out last, as a candidate, never as the answer
        seen = await resolve(api, TABLET, at, role="fraud")
        nobody(seen)
        assert seen["candidates"] == [{"person": {"id": maria}}]
    # the session ends at the logout: the minute before is Maria's, the logout's instant not
    assert (await resolve(api, TABLET, hour(10.5) - timedelta(minutes=1)))["person"] == {
        "id": maria
    }
    nobody(await resolve(api, TABLET, hour(10.5)))


async def test_the_store_kiosk_follows_each_session(api: Api, clean_db: None) -> None:
    shoppers = [{"type": "ACCOUNT", "value": f"acc-shopper-{n}"} for n in range(3)]
    story = []
    for n, account in enumerate(shoppers):
        start = 9 + 2 * n
        story += [
            ev(f"k-in-{n}", hour(start), "LOGIN", account, KIOSK),
            ev(f"k-view-{n}", hour(start + 0.1), "PAGE_VIEW", KIOSK),
            ev(f"k-out-{n}", hour(start + 0.2), "LOGOUT", account, KIOSK),
            ev(f"k-walkin-{n}", hour(start + 1), "PAGE_VIEW", KIOSK),
        ]
    assert (await api.ingest(story))["rejected"] == []
    ids = [await person_of(api, account) for account in shoppers]
    assert len(set(ids)) == 3
    for n, person in enumerate(ids):
        inside = await resolve(api, KIOSK, hour(9 + 2 * n + 0.1))
        assert inside["person"] == {"id": person} and inside["shared"]
        walk_in = await resolve(api, KIOSK, hour(9 + 2 * n + 1))
        nobody(walk_in)
        assert walk_in["shared"] and walk_in["assurance"] == "AMBIGUOUS"
    nobody(await resolve(api, KIOSK))  # the last shopper logged out too
    nobody(await resolve(api, KIOSK, hour(7)), "NOT_SIGNED_IN")  # before anyone's session


async def test_a_personal_laptop_has_its_owner_back_after_the_next_login(
    api: Api, clean_db: None
) -> None:
    story = [
        ev("l-early", hour(7), "PAGE_VIEW", LAPTOP),
        ev("l-login", hour(9), "LOGIN", TOM, LAPTOP),
        ev("l-view", hour(9.2), "PAGE_VIEW", LAPTOP),
        ev("l-logout", hour(18), "LOGOUT", TOM, LAPTOP),
        ev("l-evening", hour(21), "PAGE_VIEW", LAPTOP),
        ev("l-login-2", hour(8, days=1), "LOGIN", TOM, LAPTOP),
        ev("l-view-2", hour(8.1, days=1), "PAGE_VIEW", LAPTOP),
    ]
    assert (await api.ingest(story))["rejected"] == []
    tom = await person_of(api, TOM)
    nobody(await resolve(api, LAPTOP, hour(7)), "NOT_SIGNED_IN")
    # the pre-login window: browsing just before the login is the login's person's
    assert (await resolve(api, LAPTOP, hour(8.75)))["person"] == {"id": tom}
    assert (await resolve(api, LAPTOP, hour(9.2)))["person"] == {"id": tom}
    nobody(await resolve(api, LAPTOP, hour(21)))
    for at in (hour(8.1, days=1), None):
        back = await resolve(api, LAPTOP, at)
        assert back["person"] == {"id": tom} and back["reason"] is None
        assert back["assurance"] == "HIGH"


async def test_an_identify_after_the_logout_ends_the_time_of_nobody(
    api: Api, clean_db: None
) -> None:
    """Maria logs out of the tablet at 10:30; at 13:00 a stranger browses; at 14:00 Bob, whose
    account holds his email, identifies with it on the tablet: until 14:00 the tablet names
    nobody, from then on Bob (a claim, so never above what the evidence says)."""
    bob, bob_mail = {"type": "ACCOUNT", "value": "acc-bob"}, {"type": "EMAIL", "value": "bob@x.org"}
    story = [
        ev("b-crm", hour(-48), "IDENTIFY", bob, bob_mail),
        ev("b-login", hour(-47), "LOGIN", bob, {"type": "COOKIE", "value": "ck-bob-phone"}),
        ev("t-login", hour(10), "LOGIN", MARIA, TABLET),
        ev("t-logout", hour(10.5), "LOGOUT", MARIA, TABLET),
        ev("t-stranger", hour(13), "PAGE_VIEW", TABLET),
        ev("t-bob", hour(14), "IDENTIFY", TABLET, bob_mail),
        ev("t-bob-view", hour(14.2), "PAGE_VIEW", TABLET),
    ]
    assert (await api.ingest(story))["rejected"] == []
    bob_id = await person_of(api, bob)
    nobody(await resolve(api, TABLET, hour(13)))
    for at in (hour(14), hour(14.2), None):
        answer = await resolve(api, TABLET, at)
        assert answer["person"] == {"id": bob_id} and answer["reason"] is None, (at, answer)
    maria = await resolve(api, TABLET, hour(10.2))
    assert maria["person"] == {"id": await person_of(api, MARIA)}


async def test_identifiers_that_never_saw_a_logout_answer_as_before(
    api: Api, clean_db: None
) -> None:
    email = {"type": "EMAIL", "value": "ann@example.org"}
    cookie = {"type": "COOKIE", "value": "ck-ann"}
    ann = {"type": "ACCOUNT", "value": "acc-ann"}
    story = [
        ev("a-browse", hour(8), "PAGE_VIEW", cookie),
        ev("a-login", hour(10), "LOGIN", ann, cookie),
        ev("a-identify", hour(10.1), "IDENTIFY", ann, email),
        ev("a-view", hour(12), "PAGE_VIEW", cookie),
    ]
    assert (await api.ingest(story))["rejected"] == []
    person = await person_of(api, ann)
    confidences = await api.data(
        "query($p: ID!) { person(id: $p) { identifiers { value confidence } } }", {"p": person}
    )
    confidence = {i["value"]: i["confidence"] for i in confidences["person"]["identifiers"]}
    for identifier in (email, cookie):
        for at in (hour(8), hour(12), None):  # before the login, after it, now
            answer = await resolve(api, identifier, at)
            assert answer == {
                "person": {"id": person},
                "confidence": confidence[identifier["value"]],
                "shared": False,
                "known": True,
                "assurance": "HIGH" if confidence[identifier["value"]] >= 0.9 else "LOW",
                "reason": None,
                "candidates": [{"person": {"id": person}}],
            }
