"""Event preparation (docs/events.md): what `prepare` keeps, drops and refuses, and that the
stored event is normalised (UTC time, normalised identifiers, no duplicates)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.events import (
    MAX_ATTRIBUTES_BYTES,
    MAX_IDENTIFIERS,
    EventType,
    RawEvent,
    RawIdentifier,
    prepare,
)
from graph_identity.domain.identifiers import Identifier, IdentifierType

T = IdentifierType
E = EventType
CONFIG = ResolutionConfig()
AT = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


def raw(
    kind: EventType,
    *identifiers: tuple[IdentifierType, str],
    at: datetime = AT,
    event_id: str = "e1",
    attributes: Any = None,
    channel: str | None = None,
) -> RawEvent:
    return RawEvent(
        id=event_id,
        at=at,
        type=kind,
        identifiers=tuple(RawIdentifier(t, v) for t, v in identifiers),
        channel=channel,
        attributes=attributes,
    )


def test_valid_event_is_normalised() -> None:
    prepared = prepare(
        raw(E.IDENTIFY, (T.EMAIL, " Alice@Example.com "), (T.PHONE, "(415) 555-2671")), CONFIG
    )
    assert prepared.rejections == []
    assert prepared.event is not None
    assert set(prepared.event.identifiers) == {
        Identifier(T.EMAIL, "alice@example.com"),
        Identifier(T.PHONE, "+14155552671"),
    }


def test_invalid_identifier_is_refused_alone_and_named_by_position() -> None:
    prepared = prepare(
        raw(
            E.PAGE_VIEW,
            (T.COOKIE, "c1"),
            (T.EMAIL, "not-an-email"),
            (T.PHONE, "12345"),
            (T.DEVICE, "d1"),
        ),
        CONFIG,
    )
    assert prepared.event is not None
    assert prepared.event.identifiers == (Identifier(T.COOKIE, "c1"), Identifier(T.DEVICE, "d1"))
    assert len(prepared.rejections) == 2
    assert prepared.rejections[0].startswith("identifiers[1] (EMAIL): invalid email")
    assert prepared.rejections[1].startswith("identifiers[2] (PHONE): invalid phone number")


@pytest.mark.parametrize(
    ("description", "placeholder"),
    [
        ("null cookie", (T.COOKIE, "null")),
        ("undefined device", (T.DEVICE, " Undefined ")),
        ("unknown account", (T.ACCOUNT, "UNKNOWN")),
        ("zero", (T.COOKIE, "0")),
        ("test email", (T.EMAIL, "Test@Test.com")),
        ("noemail", (T.EMAIL, "noemail@example.com ")),
    ],
)
def test_blocked_placeholder_is_dropped_silently(
    description: str, placeholder: tuple[IdentifierType, str]
) -> None:
    prepared = prepare(raw(E.IDENTIFY, (T.EMAIL, "bob@example.com"), placeholder), CONFIG)
    assert prepared.rejections == [], description
    assert prepared.event is not None
    assert prepared.event.identifiers == (Identifier(T.EMAIL, "bob@example.com"),)


def test_event_with_only_placeholders_is_refused() -> None:
    prepared = prepare(raw(E.PAGE_VIEW, (T.COOKIE, "null"), (T.DEVICE, "undefined")), CONFIG)
    assert prepared.event is None
    assert prepared.rejections == ["identifiers: no usable identifier left"]


def test_event_with_only_invalid_identifiers_is_refused_with_every_reason() -> None:
    prepared = prepare(raw(E.IDENTIFY, (T.EMAIL, "nope"), (T.PHONE, "nope")), CONFIG)
    assert prepared.event is None
    assert [r.split(" ", 1)[0] for r in prepared.rejections] == [
        "identifiers[0]",
        "identifiers[1]",
        "identifiers:",
    ]


@pytest.mark.parametrize("kind", [E.LOGIN, E.LOGOUT])
@pytest.mark.parametrize(
    ("description", "identifiers", "expected"),
    [
        ("no account", [(T.COOKIE, "c1")], "exactly one valid ACCOUNT"),
        (
            "two accounts",
            [(T.ACCOUNT, "a1"), (T.ACCOUNT, "a2"), (T.COOKIE, "c1")],
            "exactly one valid ACCOUNT",
        ),
        ("account is a placeholder", [(T.ACCOUNT, "null"), (T.COOKIE, "c1")], "exactly one valid"),
        ("account invalid", [(T.ACCOUNT, " \x00 "), (T.COOKIE, "c1")], "exactly one valid"),
        ("no carrier", [(T.ACCOUNT, "a1"), (T.EMAIL, "a@example.com")], "COOKIE or DEVICE"),
        ("carrier is a placeholder", [(T.ACCOUNT, "a1"), (T.COOKIE, "undefined")], "COOKIE or"),
    ],
)
def test_login_and_logout_need_one_account_and_a_carrier(
    kind: EventType,
    description: str,
    identifiers: list[tuple[IdentifierType, str]],
    expected: str,
) -> None:
    prepared = prepare(raw(kind, *identifiers), CONFIG)
    assert prepared.event is None, description
    assert expected in prepared.rejections[-1], description
    assert kind.value in prepared.rejections[-1], description


def test_login_with_one_account_and_a_device_is_kept() -> None:
    prepared = prepare(raw(E.LOGIN, (T.ACCOUNT, "a1"), (T.DEVICE, "d1")), CONFIG)
    assert prepared.event is not None
    assert prepared.event.accounts == (Identifier(T.ACCOUNT, "a1"),)
    assert prepared.event.carriers == (Identifier(T.DEVICE, "d1"),)


def test_one_account_spelt_twice_counts_once() -> None:
    prepared = prepare(
        raw(E.LOGIN, (T.ACCOUNT, "a1"), (T.ACCOUNT, " a1 "), (T.COOKIE, "c1")), CONFIG
    )
    assert prepared.event is not None
    assert prepared.event.identifiers == (Identifier(T.ACCOUNT, "a1"), Identifier(T.COOKIE, "c1"))


@pytest.mark.parametrize(
    ("description", "count", "accepted"),
    [
        ("none", 0, False),
        ("one", 1, True),
        ("the maximum", MAX_IDENTIFIERS, True),
        ("one too many", MAX_IDENTIFIERS + 1, False),
    ],
)
def test_identifier_count_is_bounded(description: str, count: int, accepted: bool) -> None:
    identifiers = [(T.COOKIE, f"c{i}") for i in range(count)]
    prepared = prepare(raw(E.PAGE_VIEW, *identifiers), CONFIG)
    assert (prepared.event is not None) is accepted, description
    if not accepted:
        assert prepared.rejections == [f"identifiers: must hold 1 to {MAX_IDENTIFIERS} entries"]


def test_naive_datetime_is_refused() -> None:
    prepared = prepare(raw(E.PAGE_VIEW, (T.COOKIE, "c1"), at=datetime(2026, 1, 5, 8)), CONFIG)
    assert prepared.event is None
    assert prepared.rejections == ["at: needs a UTC offset"]


@pytest.mark.parametrize(
    ("description", "at"),
    [
        ("already UTC", datetime(2026, 1, 5, 8, 0, tzinfo=UTC)),
        ("plus two hours", datetime(2026, 1, 5, 10, 0, tzinfo=timezone(timedelta(hours=2)))),
        ("minus five hours", datetime(2026, 1, 5, 3, 0, tzinfo=timezone(timedelta(hours=-5)))),
        ("half hour offset", datetime(2026, 1, 5, 13, 30, tzinfo=timezone(timedelta(hours=5.5)))),
    ],
)
def test_time_is_converted_to_utc(description: str, at: datetime) -> None:
    prepared = prepare(raw(E.PAGE_VIEW, (T.COOKIE, "c1"), at=at), CONFIG)
    assert prepared.event is not None
    assert prepared.event.at == AT, description
    assert prepared.event.at.utcoffset() == timedelta(0), description


@pytest.mark.parametrize(
    ("description", "attributes", "accepted"),
    [
        ("absent", None, True),
        ("small", {"url": "https://example.com/a"}, True),
        ("just within the bound", {"x": "a" * (MAX_ATTRIBUTES_BYTES - 10)}, True),
        ("over the bound", {"x": "a" * MAX_ATTRIBUTES_BYTES}, False),
        ("not JSON", {"when": datetime(2026, 1, 1)}, False),
    ],
)
def test_attributes_are_bounded_json(description: str, attributes: Any, accepted: bool) -> None:
    prepared = prepare(raw(E.PAGE_VIEW, (T.COOKIE, "c1"), attributes=attributes), CONFIG)
    assert (prepared.event is not None) is accepted, description
    if accepted:
        assert prepared.event is not None
        assert prepared.event.attributes == attributes
    else:
        assert prepared.rejections[0].startswith("attributes:")


@pytest.mark.parametrize(
    ("description", "event_id", "channel", "field"),
    [
        ("empty id", "", None, "id:"),
        ("id too long", "i" * 257, None, "id:"),
        ("channel too long", "e1", "c" * 65, "channel:"),
    ],
)
def test_id_and_channel_are_bounded(
    description: str, event_id: str, channel: str | None, field: str
) -> None:
    prepared = prepare(
        raw(E.PAGE_VIEW, (T.COOKIE, "c1"), event_id=event_id, channel=channel), CONFIG
    )
    assert prepared.event is None, description
    assert prepared.rejections[0].startswith(field), description


@pytest.mark.parametrize(
    ("kind", "expected"),
    [(E.LOGIN, True), (E.LOGOUT, False), (E.IDENTIFY, False), (E.PAGE_VIEW, False)],
)
def test_only_a_login_can_be_verified(kind: EventType, expected: bool) -> None:
    prepared = prepare(raw(kind, (T.ACCOUNT, "a1"), (T.COOKIE, "c1")), CONFIG, verified=True)
    assert prepared.event is not None
    assert prepared.event.verified is expected


def test_unverified_by_default() -> None:
    prepared = prepare(raw(E.LOGIN, (T.ACCOUNT, "a1"), (T.COOKIE, "c1")), CONFIG)
    assert prepared.event is not None
    assert prepared.event.verified is False


def test_phone_region_comes_from_the_config() -> None:
    config = ResolutionConfig(default_region="GB")
    prepared = prepare(raw(E.IDENTIFY, (T.PHONE, "020 7946 0958")), config)
    assert prepared.event is not None
    assert prepared.event.identifiers == (Identifier(T.PHONE, "+442079460958"),)


def test_blocked_values_come_from_the_config() -> None:
    config = ResolutionConfig(blocked_values=frozenset({"kiosk-1"}))
    prepared = prepare(raw(E.PAGE_VIEW, (T.DEVICE, "KIOSK-1"), (T.COOKIE, "null")), config)
    assert prepared.event is not None
    assert prepared.event.identifiers == (Identifier(T.COOKIE, "null"),)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (E.LOGIN, False),
        (E.LOGOUT, False),
        (E.IDENTIFY, False),
        (E.PAGE_VIEW, True),
        (E.CHAT, True),
        (E.CALL, True),
        (E.MESSAGE, True),
        (E.FORM_SUBMIT, True),
        (E.PURCHASE, True),
    ],
)
def test_touchpoint_types(kind: EventType, expected: bool) -> None:
    assert kind.is_touchpoint is expected
