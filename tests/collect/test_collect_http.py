"""Guards the Segment-compatible source over HTTP against real Neo4j: each spec call becomes
the documented event (docs/collect.md), re-sent messages change nothing, clock skew is
corrected, and the answers for bad input and over-limit callers are the documented ones."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.collect.conftest import Collector


def ident() -> str:
    return uuid.uuid4().hex[:12]


def edges(person: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = person["events"]["edges"]
    return found


def test_identify_page_track_and_alias_map_to_events(collector: Collector) -> None:
    anon, user = f"anon-{ident()}", f"user-{ident()}"
    now = datetime.now(UTC)
    at = [(now - timedelta(seconds=60 - 10 * n)).isoformat() for n in range(4)]
    batch = [
        {"type": "page", "messageId": f"m1-{anon}", "anonymousId": anon, "name": "Home",
         "properties": {"url": "https://shop.example.com/", "path": "/"}, "timestamp": at[0]},
        {"type": "identify", "messageId": f"m2-{anon}", "anonymousId": anon, "userId": user,
         "traits": {"email": f"{user}@Example.com", "phone": "+1 202 555 0143"},
         "timestamp": at[1]},
        {"type": "track", "messageId": f"in-{anon}", "userId": user, "anonymousId": anon,
         "event": "Signed In", "timestamp": at[2]},
        {"type": "track", "messageId": f"m3-{anon}", "userId": user, "anonymousId": anon,
         "event": "Order Completed", "properties": {"total": 30}, "timestamp": at[3]},
        {"type": "screen", "messageId": f"m4-{anon}", "anonymousId": anon, "name": "Cart",
         "context": {"app": {"name": "shop"}, "device": {"id": f"dev-{anon}"}}},
        {"type": "alias", "messageId": f"m5-{anon}", "previousId": f"old-{anon}", "userId": user},
        {"type": "group", "messageId": f"m6-{anon}", "userId": user, "groupId": "acme"},
    ]  # fmt: skip
    response = collector.send("batch", {"batch": batch})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer == {"success": True, "accepted": 6, "duplicates": 0, "pending": 0,
                      "ignored": 1, "rejected": []}  # fmt: skip
    person = collector.person_of("ACCOUNT", user)
    assert person is not None
    assert {(i["type"], i["value"]) for i in person["identifiers"]} >= {
        ("COOKIE", anon), ("COOKIE", f"old-{anon}"), ("ACCOUNT", user),
        ("EMAIL", f"{user}@example.com"), ("PHONE", "+12025550143"),
    }  # fmt: skip
    events = {e["node"]["id"]: e["node"] for e in person["events"]["edges"]}
    assert events[f"in-{anon}"]["type"] == "LOGIN"
    assert events[f"m1-{anon}"]["type"] == "PAGE_VIEW"
    assert events[f"m1-{anon}"]["attributes"] == {
        "source": "web",
        "url": "https://shop.example.com/",
        "path": "/",
        "name": "Home",
    }
    assert events[f"m3-{anon}"]["type"] == "TRACK"
    assert events[f"m3-{anon}"]["attributes"] == {
        "source": "web", "event": "Order Completed", "properties": {"total": 30}}  # fmt: skip
    app_user = collector.person_of("DEVICE", f"dev-{anon}")  # an app install: DEVICEs
    assert app_user is not None
    (screen,) = [e["node"] for e in app_user["events"]["edges"]]
    assert (screen["type"], screen["channel"], screen["attributes"]["screen"]) == (
        "PAGE_VIEW", "app", "Cart")  # fmt: skip
    assert {(i["type"], i["value"]) for i in screen["identifiers"]} == {
        ("DEVICE", anon), ("DEVICE", f"dev-{anon}")}  # fmt: skip
    tracked = collector.data(
        "query($id: ID!) { person(id: $id) { events(types: [TRACK]) { edges { node { id } } } } }",
        {"id": person["id"]},
    )
    assert [e["node"]["id"] for e in tracked["person"]["events"]["edges"]] == [f"m3-{anon}"]


def test_a_resent_message_changes_nothing(collector: Collector) -> None:
    anon = f"anon-{ident()}"
    message = {"messageId": f"again-{anon}", "anonymousId": anon, "event": "Product Viewed"}
    first = collector.send("track", message).json()
    again = collector.send("track", message).json()
    assert (first["accepted"], first["duplicates"]) == (1, 0)
    assert (again["accepted"], again["duplicates"]) == (0, 1)
    unnamed = {"anonymousId": anon, "event": "Product Viewed", "properties": {"sku": "a"}}
    assert collector.send("track", unnamed).json()["accepted"] == 1
    later = unnamed | {"sentAt": datetime.now(UTC).isoformat()}
    assert collector.send("track", later).json()["duplicates"] == 1


def test_client_clock_skew_is_corrected(collector: Collector) -> None:
    anon = f"anon-{ident()}"
    skew = timedelta(days=3)  # the device's clock runs three days fast
    device_now = datetime.now(UTC) + skew
    message = {"anonymousId": anon, "messageId": f"skew-{anon}", "name": "Home",
               "originalTimestamp": (device_now - timedelta(seconds=20)).isoformat(),
               "sentAt": device_now.isoformat()}  # fmt: skip
    before = datetime.now(UTC)
    assert collector.send("page", message).status_code == 200
    stamped = {"anonymousId": anon, "messageId": f"stamped-{anon}", "name": "Old",
               "timestamp": "2026-01-02T03:04:05+01:00"}  # fmt: skip
    assert collector.send("page", stamped).status_code == 200
    person = collector.person_of("COOKIE", anon)
    assert person is not None
    at = {e["node"]["id"]: datetime.fromisoformat(e["node"]["at"]) for e in edges(person)}
    expected = before - timedelta(seconds=20)
    assert abs(at[f"skew-{anon}"] - expected) < timedelta(seconds=10)
    assert at[f"stamped-{anon}"] == datetime(2026, 1, 2, 2, 4, 5, tzinfo=UTC)


def test_bad_messages_are_refused_one_by_one(collector: Collector) -> None:
    anon = f"anon-{ident()}"
    batch = [
        {"type": "page", "messageId": f"ok-{anon}", "anonymousId": anon},
        {"type": "page", "messageId": f"nobody-{anon}"},
        {"type": "track", "messageId": f"noname-{anon}", "anonymousId": anon},
        {"type": "identify", "messageId": f"bademail-{anon}", "anonymousId": anon,
         "traits": {"email": "not an email"}},
        {"type": "tally", "messageId": f"type-{anon}", "anonymousId": anon},
        {"type": "page", "messageId": f"time-{anon}", "anonymousId": anon, "timestamp": "soon"},
        "not a message",
    ]  # fmt: skip
    answer = collector.send("batch", {"batch": batch}).json()
    assert answer["accepted"] == 2  # the page, and the identify without its bad email
    reasons = {(r["index"], r["messageId"]): r["reason"] for r in answer["rejected"]}
    assert set(reasons) == {
        (1, f"nobody-{anon}"), (2, f"noname-{anon}"), (3, f"bademail-{anon}"),
        (4, f"type-{anon}"), (5, f"time-{anon}"), (6, ""),
    }  # fmt: skip
    assert reasons[(1, f"nobody-{anon}")].startswith("userId or anonymousId")
    assert reasons[(2, f"noname-{anon}")].startswith("event:")
    assert "EMAIL" in reasons[(3, f"bademail-{anon}")]
    assert reasons[(4, f"type-{anon}")].startswith("type:")
    assert reasons[(5, f"time-{anon}")].startswith("timestamp:")
    single = collector.send("track", {"messageId": f"solo-{anon}", "anonymousId": anon})
    assert single.status_code == 400
    assert single.json()["message"].startswith("event:")


def test_sizes_and_malformed_json_are_400(collector: Collector) -> None:
    anon = f"anon-{ident()}"
    big = {"anonymousId": anon, "event": "Big", "properties": {"blob": "x" * 33_000}}
    response = collector.send("track", big)
    assert response.status_code == 400 and "32 KB" in response.json()["message"]
    in_batch = collector.send("batch", {"batch": [{"type": "track", **big}]})
    assert in_batch.status_code == 400
    assert in_batch.json()["message"] == "batch[0]: message larger than 32 KB"
    small = {"type": "track", "anonymousId": anon, "event": "S", "properties": {"b": "y" * 20_000}}
    huge = collector.send("batch", {"batch": [small] * 26})
    assert huge.status_code == 400 and "500 KB" in huge.json()["message"]
    for body in (b"{not json", b"[1, 2]", b'{"batch": "no"}', b'{"batch": []}'):
        answer = collector.send("batch", body)
        assert answer.status_code == 400, body
        assert answer.json()["success"] is False
    assert collector.person_of("COOKIE", anon) is None


def test_write_keys_are_checked_and_cannot_read(collector: Collector) -> None:
    message = {"anonymousId": f"anon-{ident()}", "event": "X"}
    assert collector.send("track", message, source=None).status_code == 401
    wrong = collector.send("track", message, source=None, headers={"Authorization": "Basic eDo="})
    assert wrong.status_code == 401
    assert wrong.headers["www-authenticate"].startswith("Basic")
    admin = {"Authorization": f"Bearer {collector.keys['admin']}"}
    assert collector.send("track", message, source=None, headers=admin).status_code == 401
    in_body = message | {"writeKey": collector.write_keys["web"]}
    assert collector.send("track", in_body, source=None).status_code == 200
    for write_key in collector.write_keys.values():
        graphql = httpx.post(
            f"{collector.url}/graphql",
            json={"query": "{ sharedIdentifiers { edges { cursor } } }"},
            headers={"Authorization": f"Bearer {write_key}"},
            timeout=30,
        )
        assert graphql.status_code == 401
        assert "/v1" in graphql.json()["errors"][0]["message"]
        metrics = httpx.get(
            f"{collector.url}/metrics", headers={"Authorization": f"Bearer {write_key}"}
        )
        assert metrics.status_code == 401
