"""Guards the snippet in a real browser (Debian's chromium): a stranger browsing the demo shop
who signs up is one person with the pages seen before; after a logout on a shared browser the
next visitor's pages stay off the first person; in consent mode nothing is stored or sent
before consent."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.collect.conftest import Collector
from tests.console.conftest import Tab, _open_tab, browser, playwright

__all__ = ["browser", "playwright"]


@pytest.fixture
def shop(browser: Browser, collector: Collector) -> Iterator[Tab]:
    """A tab on the shop; the test fails on a console error or a request leaving loopback."""
    yield from _open_tab(browser, collector.url, viewport={"width": 1100, "height": 800})


def eventually(tab: Tab, check: Callable[[], Any], seconds: float = 15.0) -> Any:
    """``check()``'s first truthy answer (the snippet sends in the background). Waits through
    the page, never ``time.sleep``: the tab's requests pass the Python-side route that keeps
    them on loopback, which runs only while playwright is called."""
    deadline = time.monotonic() + seconds
    while True:
        answer = check()
        if answer or time.monotonic() > deadline:
            return answer
        tab.page.wait_for_timeout(250)


def pages_of(collector: Collector, kind: str, value: str) -> list[str]:
    person = collector.person_of(kind, value)
    if person is None:
        return []
    return sorted(
        e["node"]["attributes"].get("path", "")
        for e in person["events"]["edges"]
        if e["node"]["type"] == "PAGE_VIEW"
    )


def cookie_of(tab: Tab) -> str | None:
    found = [c["value"] for c in tab.page.context.cookies() if c["name"] == "gi_aid"]
    return found[0] if found else None


def sign_up(tab: Tab, email: str) -> None:
    tab.page.fill("#signup-email", email)
    tab.page.click("#signup button")
    tab.page.wait_for_selector(f"#who:text-is('Signed in as {email}')")


def test_a_stranger_who_signs_up_keeps_the_pages_seen_before(
    shop: Tab, collector: Collector
) -> None:
    email = f"{uuid.uuid4().hex[:10]}@example.com"
    shop.goto("/shop")
    shop.page.click("#view-kettle")
    shop.page.wait_for_selector("#add-kettle")
    shop.page.click("#add-kettle")
    anonymous = cookie_of(shop)
    assert anonymous is not None
    cookie = next(c for c in shop.page.context.cookies() if c["name"] == "gi_aid")
    assert cookie["sameSite"] == "Lax" and cookie["expires"] > time.time() + 300 * 86400
    assert eventually(shop, lambda: len(pages_of(collector, "COOKIE", anonymous)) == 2)
    assert collector.person_of("EMAIL", email) is None
    sign_up(shop, email)
    account = f"shop-{email}"
    seen = eventually(shop, lambda: pages_of(collector, "ACCOUNT", account))
    assert seen == ["/shop", "/shop/p/kettle"]
    person = collector.person_of("ACCOUNT", account)
    assert person is not None
    events = [e["node"] for e in person["events"]["edges"]]
    names = {e["attributes"].get("event") for e in events if e["type"] == "TRACK"}
    assert names == {"Product Added", "Signed Up"}
    assert "LOGIN" in {e["type"] for e in events}
    assert ("EMAIL", email) in {(i["type"], i["value"]) for i in person["identifiers"]}


def test_after_a_logout_the_next_visitor_is_a_stranger(shop: Tab, collector: Collector) -> None:
    email = f"{uuid.uuid4().hex[:10]}@example.com"
    account = f"shop-{email}"
    shop.goto("/shop")
    sign_up(shop, email)
    first = cookie_of(shop)
    shop.page.click("#view-mug")
    assert eventually(shop, lambda: "/shop/p/mug" in pages_of(collector, "ACCOUNT", account))
    shop.page.click("#logout")
    shop.page.wait_for_selector("#who:text-is('Browsing as a stranger')")
    assert eventually(shop, lambda: "LOGOUT" in types_of(collector, account))
    shop.goto("/shop")  # B, on the same browser
    shop.page.click("#view-teapot")
    second = cookie_of(shop)
    assert second is not None and second != first
    assert eventually(shop, lambda: "/shop/p/teapot" in pages_of(collector, "COOKIE", second))
    shop.page.wait_for_timeout(1000)  # anything still on its way would have arrived
    assert "/shop/p/teapot" not in pages_of(collector, "ACCOUNT", account)
    stranger = collector.person_of("COOKIE", second)
    owner = collector.person_of("ACCOUNT", account)
    assert stranger is not None and owner is not None and stranger["id"] != owner["id"]


def types_of(collector: Collector, account: str) -> set[str]:
    person = collector.person_of("ACCOUNT", account)
    return {e["node"]["type"] for e in person["events"]["edges"]} if person else set()


def test_consent_mode_sets_no_cookie_and_sends_nothing_before_consent(
    shop: Tab, collector: Collector
) -> None:
    sent: list[str] = []
    shop.page.on("request", lambda r: sent.append(r.url) if "/v1/" in r.url else None)
    shop.goto("/shop?consent=ask")
    shop.page.wait_for_selector("#consent-banner:visible")
    shop.page.click("#view-tea")
    shop.page.wait_for_timeout(1500)  # longer than the snippet's flush interval
    assert cookie_of(shop) is None
    assert sent == []
    assert shop.page.evaluate("() => localStorage.length") == 0
    shop.page.click("#consent-yes")
    cookie = eventually(shop, lambda: cookie_of(shop))
    assert cookie is not None
    assert eventually(shop, lambda: pages_of(collector, "COOKIE", cookie)) == [
        "/shop",
        "/shop/p/tea",
    ]
    assert sent


def test_the_snippet_is_served_small_and_standalone(collector: Collector) -> None:
    import httpx

    response = httpx.get(f"{collector.url}/collect/gi.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert len(response.content) < 8 * 1024  # docs/collect.md states the size
    assert "http" not in response.text.replace("https://YOUR-GRAPH-IDENTITY", "").replace(
        'location.protocol === "https:"', ""
    )  # no address of its own to fetch from


def test_a_page_going_away_hands_its_queue_to_send_beacon(shop: Tab, collector: Collector) -> None:
    shop.goto("/shop")
    cookie = eventually(shop, lambda: cookie_of(shop))
    assert eventually(shop, lambda: pages_of(collector, "COOKIE", cookie))
    # count the snippet's sendBeacon calls where the next page of this origin can read them
    shop.page.evaluate(COUNT_BEACONS)
    # queued, not yet flushed (the shop flushes after 300 ms): leaving the page must send it
    shop.page.evaluate("() => gi('track', 'Left Quickly', {})")
    shop.goto("/collect/gi.js")
    assert eventually(shop, lambda: "Left Quickly" in tracks_of(collector, cookie))
    assert shop.page.evaluate("() => localStorage.getItem('beacons')") == "1"


COUNT_BEACONS = """() => {
  const send = navigator.sendBeacon.bind(navigator);
  navigator.sendBeacon = (url, data) => {
    localStorage.setItem("beacons", String(Number(localStorage.getItem("beacons") || 0) + 1));
    return send(url, data);
  };
}"""


def test_a_failed_send_is_retried(shop: Tab, collector: Collector) -> None:
    failed: list[int] = []

    def fail_once(route: Any) -> None:
        if not failed:
            failed.append(1)
            route.fulfill(status=503, body="{}")
        else:
            route.continue_()

    shop.page.route("**/v1/batch", fail_once)
    shop.goto("/shop")
    cookie = eventually(shop, lambda: cookie_of(shop))
    assert eventually(shop, lambda: pages_of(collector, "COOKIE", cookie)) == ["/shop"]
    assert failed == [1]
    # the browser logs the 503 this test made; it is the only console error allowed here
    assert [e for e in shop.errors if "503" in e] != []
    shop.errors[:] = [e for e in shop.errors if "503" not in e]


def tracks_of(collector: Collector, cookie: str) -> set[str]:
    person = collector.person_of("COOKIE", cookie)
    if person is None:
        return set()
    return {
        e["node"]["attributes"]["event"]
        for e in person["events"]["edges"]
        if e["node"]["type"] == "TRACK"
    }
