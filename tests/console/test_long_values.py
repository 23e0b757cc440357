"""A 10,000-character attribute in a real browser: the agent's page stays as wide as the window
(the value is cut, not spread), and "show all" opens the whole value."""

from __future__ import annotations

from tests.console.conftest import ConsoleApp, Tab

LONG = "x" * 9_000 + "y" * 1_000
INGEST = "mutation($e: [EventInput!]!) { ingest(events: $e) { accepted } }"
WHO = "query($i: IdentifierInput!) { resolve(identifier: $i) { person { id } } }"


def test_a_long_attribute_does_not_widen_the_page(tab: Tab, console: ConsoleApp) -> None:
    email = {"type": "EMAIL", "value": "long.values@example.com"}
    event = {"id": "long-1", "at": "2026-01-05T10:00:00Z", "type": "CHAT",
             "identifiers": [email], "attributes": {"note": LONG}}  # fmt: skip
    assert console.data(INGEST, {"e": [event]}, role="ingest")["ingest"]["accepted"] == 1
    person = console.data(WHO, {"i": email}, role="agent")["resolve"]["person"]["id"]
    tab.sign_in(console.keys["agent"], "agent")
    page = tab.page
    tab.goto(f"/console#/agent?person={person}")
    page.wait_for_selector("#timeline details.long")
    sizes = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert sizes[0] <= sizes[1], sizes
    page.click("#timeline details.long summary")
    whole = page.inner_text("#timeline details.long .long-all")
    assert whole == f"note: {LONG}"
    sizes = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert sizes[0] <= sizes[1], sizes
    assert not tab.errors and not tab.outside
