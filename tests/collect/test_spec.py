"""Guards the Segment Spec mapping (docs/collect.md) as a pure function: which identifiers
and which event type each message becomes, the clock-skew rule, and each refusal's reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from graph_identity.collect import SpecMapping, event_time, map_message
from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.events import EventType, RawEvent, prepare
from graph_identity.domain.identifiers import IdentifierType as T

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
MAPPING = SpecMapping()


def mapped(message: dict[str, Any], mapping: SpecMapping = MAPPING) -> RawEvent:
    result = map_message(message, NOW, source="web", mapping=mapping)
    assert result.reason is None and result.event is not None, result
    return result.event


def ids(event: RawEvent) -> set[tuple[T, str]]:
    return {(i.type, i.value) for i in event.identifiers}


@pytest.mark.parametrize(
    ("description", "message", "kind", "identifiers"),
    [
        ("page on a cookie", {"type": "page", "anonymousId": "a1"},
         EventType.PAGE_VIEW, {(T.COOKIE, "a1")}),
        ("identify with traits", {"type": "identify", "anonymousId": "a1", "userId": "u1",
                                  "traits": {"email": "E@x.com", "phone": "+12025550143"}},
         EventType.IDENTIFY, {(T.COOKIE, "a1"), (T.ACCOUNT, "u1"), (T.EMAIL, "E@x.com"),
                              (T.PHONE, "+12025550143")}),
        ("context traits on a track", {"type": "track", "userId": 42, "event": "Order Completed",
                                       "context": {"traits": {"email": "e@x.com"}}},
         EventType.TRACK, {(T.ACCOUNT, "42"), (T.EMAIL, "e@x.com")}),
        ("track traits are not traits", {"type": "track", "userId": "u", "event": "E",
                                         "traits": {"email": "e@x.com"}},
         EventType.TRACK, {(T.ACCOUNT, "u")}),
        ("signed in", {"type": "track", "userId": "u", "anonymousId": "a", "event": "Signed In"},
         EventType.LOGIN, {(T.ACCOUNT, "u"), (T.COOKIE, "a")}),
        ("signed out", {"type": "track", "userId": "u", "anonymousId": "a", "event": "Signed Out"},
         EventType.LOGOUT, {(T.ACCOUNT, "u"), (T.COOKIE, "a")}),
        ("app: anonymousId is the install", {"type": "screen", "anonymousId": "i1",
                                             "context": {"app": {}, "device": {"id": "d1"}}},
         EventType.PAGE_VIEW, {(T.DEVICE, "i1"), (T.DEVICE, "d1")}),
        ("alias", {"type": "alias", "previousId": "a1", "userId": "u1"},
         EventType.IDENTIFY, {(T.COOKIE, "a1"), (T.ACCOUNT, "u1")}),
    ],
)  # fmt: skip
def test_messages_map_to_events(
    description: str, message: dict[str, Any], kind: EventType, identifiers: set[tuple[T, str]]
) -> None:
    event = mapped(message)
    assert (event.type, ids(event)) == (kind, identifiers)
    assert prepare(event, ResolutionConfig()).event is not None  # what the ingest will accept


def test_configured_names_and_anonymous_rule() -> None:
    mapping = SpecMapping(frozenset({"Login"}), frozenset({"Logout"}), "device")
    login = mapped({"type": "track", "userId": "u", "anonymousId": "a", "event": "Login"}, mapping)
    assert (login.type, ids(login)) == (EventType.LOGIN, {(T.ACCOUNT, "u"), (T.DEVICE, "a")})
    renamed = mapped({"type": "track", "userId": "u", "event": "Signed In"}, mapping)
    assert renamed.type is EventType.TRACK
    assert renamed.attributes == {"source": "web", "event": "Signed In", "properties": {}}


def test_id_token_is_read_from_context_on_a_sign_in_only() -> None:
    login = {"type": "track", "userId": "u", "anonymousId": "a", "event": "Signed In",
             "context": {"idToken": "t.o.k"}}  # fmt: skip
    assert mapped(login).id_token == "t.o.k"
    assert mapped(login | {"event": "Clicked"}).id_token is None


def test_message_ids() -> None:
    given = map_message({"type": "page", "anonymousId": "a", "messageId": "m-1"}, NOW,
                        source="web", mapping=MAPPING)  # fmt: skip
    assert given.message_id == "m-1"
    one = {"type": "page", "anonymousId": "a", "sentAt": "2026-12-05T11:00:00Z"}
    again = one | {"sentAt": "2026-12-05T11:05:00Z"}
    other = one | {"anonymousId": "b"}
    first = map_message(one, NOW, source="web", mapping=MAPPING).message_id
    assert first == map_message(again, NOW, source="web", mapping=MAPPING).message_id
    assert first != map_message(other, NOW, source="web", mapping=MAPPING).message_id


@pytest.mark.parametrize(
    ("description", "message", "hint", "reason"),
    [
        ("not an object", ["page"], None, "message: expected a JSON object"),
        ("no ids", {"type": "page"}, None, "userId or anonymousId"),
        ("no event name", {"type": "track", "userId": "u"}, None, "event:"),
        ("blank event name", {"type": "track", "userId": "u", "event": " "}, None, "event:"),
        ("unknown type", {"type": "tally", "userId": "u"}, None, "type: one of"),
        ("wrong endpoint", {"type": "page", "userId": "u"}, "track", "type: this endpoint"),
        ("alias without previousId", {"type": "alias", "userId": "u"}, None, "previousId:"),
        ("bad time", {"type": "page", "userId": "u", "timestamp": "noon"}, None, "timestamp:"),
        ("bad sentAt", {"type": "page", "userId": "u", "originalTimestamp": "2026-01-01T00:00Z",
                        "sentAt": 5}, None, "sentAt:"),
    ],
)  # fmt: skip
def test_refusals_name_the_field(
    description: str, message: Any, hint: str | None, reason: str
) -> None:
    result = map_message(message, NOW, source="web", mapping=MAPPING, type_hint=hint)
    assert result.event is None and result.reason is not None
    assert result.reason.startswith(reason) or reason in result.reason


def test_group_is_answered_and_stores_nothing() -> None:
    result = map_message({"type": "group", "userId": "u", "groupId": "g"}, NOW, source="web",
                         mapping=MAPPING)  # fmt: skip
    assert (result.ignored, result.event, result.reason) == (True, None, None)


@pytest.mark.parametrize(
    ("description", "message", "batch_sent_at", "expected"),
    [
        ("timestamp wins", {"timestamp": "2026-01-01T10:00:00+02:00",
                            "originalTimestamp": "2026-01-01T00:00:00Z"}, None,
         datetime(2026, 1, 1, 8, tzinfo=UTC)),
        ("skew corrected", {"originalTimestamp": "2026-12-08T11:59:00Z",
                            "sentAt": "2026-12-08T12:00:00Z"}, None, NOW - timedelta(minutes=1)),
        ("batch sentAt", {"originalTimestamp": "2026-12-08T11:59:30Z"}, "2026-12-08T12:00:00Z",
         NOW - timedelta(seconds=30)),
        ("no sentAt", {"originalTimestamp": "2026-12-01T00:00:00"}, None,
         datetime(2026, 12, 1, tzinfo=UTC)),
        ("nothing", {}, None, NOW),
    ],
)  # fmt: skip
def test_clock_skew(
    description: str, message: dict[str, Any], batch_sent_at: str | None, expected: datetime
) -> None:
    assert event_time(message, NOW, batch_sent_at) == expected


def test_a_track_event_needs_its_name() -> None:
    event = mapped({"type": "track", "userId": "u", "event": "Order Completed"})
    nameless = RawEvent(event.id, event.at, EventType.TRACK, event.identifiers, attributes={})
    long = RawEvent(event.id, event.at, EventType.TRACK, event.identifiers,
                    attributes={"event": "x" * 201})  # fmt: skip
    assert prepare(event, ResolutionConfig()).event is not None
    for bad in (nameless, long):
        (reason,) = prepare(bad, ResolutionConfig()).rejections
        assert reason.startswith("attributes.event:")
