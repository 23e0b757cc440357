"""Who is at a carrier at a moment (``carrier_moment``): the session's segment inside a session
(the pre-login window included), nobody between a logout and the next login (SIGNED_OUT, with
the session that ended) or before the first session (NOT_SIGNED_IN), and a carrier of one
segment always its holder's; and the rule agrees with the segment attribution puts an anonymous
event in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from graph_identity.domain.carrier_moment import NoPersonReason, carrier_moment
from graph_identity.domain.events import Event, EventType
from graph_identity.domain.identifiers import Identifier, IdentifierType
from graph_identity.domain.segments import locate, segment_carrier

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=30)
CARRIER = "DEVICE:tablet"


def t(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def ev(event_id: str, minutes: float, kind: EventType, account: str | None = None) -> Event:
    identifiers = [Identifier(IdentifierType.DEVICE, "tablet")]
    if account is not None:
        identifiers.append(Identifier(IdentifierType.ACCOUNT, account))
    return Event(event_id, t(minutes), kind, tuple(sorted(identifiers)))


#: Maria logs in at 120, out at 150; Tom logs in at 300, out at 320, in again at 600 (open)
STORY = [
    ev("m-in", 120, EventType.LOGIN, "maria"),
    ev("m-out", 150, EventType.LOGOUT, "maria"),
    ev("t-in", 300, EventType.LOGIN, "tom"),
    ev("t-out", 320, EventType.LOGOUT, "tom"),
    ev("t-in-2", 600, EventType.LOGIN, "tom"),
]


@pytest.mark.parametrize(
    ("description", "minutes", "account", "reason", "signed_out"),
    [
        ("before anyone's session", 0, None, NoPersonReason.NOT_SIGNED_IN, None),
        ("the pre-login window", 100, "ACCOUNT:maria", None, None),
        ("inside Maria's session", 130, "ACCOUNT:maria", None, None),
        ("the logout's instant", 150, None, NoPersonReason.SIGNED_OUT, "ACCOUNT:maria"),
        ("after Maria's logout", 200, None, NoPersonReason.SIGNED_OUT, "ACCOUNT:maria"),
        ("Tom's session", 310, "ACCOUNT:tom", None, None),
        ("after Tom's logout", 400, None, NoPersonReason.SIGNED_OUT, "ACCOUNT:tom"),
        ("Tom is back", 700, "ACCOUNT:tom", None, None),
    ],
)
def test_moments_on_a_shared_tablet(
    description: str,
    minutes: float,
    account: str | None,
    reason: NoPersonReason | None,
    signed_out: str | None,
) -> None:
    segments = segment_carrier(CARRIER, STORY, WINDOW)
    found = carrier_moment(segments, t(minutes))
    assert found.segment.account == account, description
    assert found.reason is reason, description
    last = found.last_session.account if found.last_session else None
    assert last == signed_out, description


def test_a_carrier_never_logged_out_is_its_holders_at_every_moment() -> None:
    segments = segment_carrier(CARRIER, [ev("in", 120, EventType.LOGIN, "ann")], WINDOW)
    for minutes in (0, 120, 10_000):
        found = carrier_moment(segments, t(minutes))
        assert (found.segment.account, found.reason) == ("ACCOUNT:ann", None)


def test_the_answer_names_whom_attribution_gives_an_anonymous_event() -> None:
    segments = segment_carrier(CARRIER, STORY, WINDOW)
    for minutes in range(0, 800, 5):
        view = ev(f"v{minutes}", minutes, EventType.PAGE_VIEW)
        found = carrier_moment(segments, view.at)
        assert found.segment == locate(segments, view)
        assert (found.reason is None) == (found.segment.account is not None)


def test_an_identify_between_sessions_ends_the_time_of_nobody() -> None:
    """After Maria's logout (150) someone identifies on the tablet at 200: before that moment
    the tablet names nobody, from it on the segment answers for whoever it belongs to; the
    claim does not reach back, nor into the next gap."""
    segments = segment_carrier(CARRIER, STORY, WINDOW)
    gap = carrier_moment(segments, t(200)).segment
    claimed = {gap.index: t(200)}
    assert carrier_moment(segments, t(190), claimed).reason is NoPersonReason.SIGNED_OUT
    for minutes in (200, 250):
        found = carrier_moment(segments, t(minutes), claimed)
        assert (found.segment, found.reason) == (gap, None)
    assert carrier_moment(segments, t(400), claimed).reason is NoPersonReason.SIGNED_OUT


def test_resolve_records_the_first_identify_of_each_gap() -> None:
    from graph_identity.domain.config import ResolutionConfig
    from graph_identity.domain.resolution import resolve

    email = Identifier(IdentifierType.EMAIL, "bob@example.com")
    tablet = Identifier(IdentifierType.DEVICE, "tablet")
    identifies = [
        Event(f"id-{n}", t(minutes), EventType.IDENTIFY, tuple(sorted([tablet, email])))
        for n, minutes in enumerate((230, 200))
    ]
    partition = resolve([*STORY, *identifies], ResolutionConfig())
    gap = carrier_moment(partition.segments[CARRIER], t(200)).segment
    assert partition.segment_claimed == {gap.element: t(200)}
