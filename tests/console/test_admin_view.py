"""The admin's journey in a real browser, on persons made for each test: explain with the chain
of links, split with a preview of every person then undo from the audit log, merge, and forget
behind a typed confirmation. Each action is checked through the API, not only on the page."""

from __future__ import annotations

import secrets
from typing import Any

from tests.console.conftest import ConsoleApp, Tab

INGEST = """mutation($events: [EventInput!]!) {
  ingest(events: $events) { accepted rejected { reason } } }"""
RESOLVE = """query($i: IdentifierInput!) {
  resolve(identifier: $i) { person { id identifiers { type value } } } }"""


def a_person(console: ConsoleApp) -> dict[str, Any]:
    """A fresh person: an account, an email and a phone seen together; the identifiers by type."""
    tag = secrets.token_hex(4)
    ids = {
        "ACCOUNT": f"acct-console-{tag}",
        "EMAIL": f"console.{tag}@example.org",
        "PHONE": f"+1617555{int(tag, 16) % 10_000:04d}",
    }
    event = {
        "id": f"console-{tag}",
        "at": "2026-01-05T10:00:00+00:00",
        "type": "IDENTIFY",
        "channel": "crm",
        "identifiers": [{"type": t, "value": v} for t, v in ids.items()],
    }
    result = console.data(INGEST, {"events": [event]}, role="ingest")["ingest"]
    assert result == {"accepted": 1, "rejected": []}
    person = console.data(RESOLVE, {"i": {"type": "EMAIL", "value": ids["EMAIL"]}})["resolve"][
        "person"
    ]
    return {"id": person["id"], **ids}


def confirm(tab: Tab, typed: str | None = None) -> None:
    dialog = tab.page.locator("dialog[open]")
    if typed:
        dialog.locator("input").fill(typed)
    dialog.locator("button[type=submit]").click()


def test_admin_explains_why_two_identifiers_are_one(tab: Tab, console: ConsoleApp) -> None:
    person = a_person(console)
    tab.sign_in(console.keys["admin"], "admin")
    page = tab.page
    tab.goto("/console#/admin")
    page.fill("#explain-a", f"EMAIL:{person['EMAIL']}")
    page.fill("#explain-b", person["PHONE"])
    page.click("button:text('Explain')")
    page.wait_for_selector("#explain-result .notice")
    assert page.inner_text("#explain-result .notice").startswith("One person.")
    chain = page.inner_text("#explain-result .chain")
    assert "IDENTIFY" in chain and "Evidence: 1 event(s)" in chain


def test_admin_splits_with_a_preview_and_undoes_it(tab: Tab, console: ConsoleApp) -> None:
    person = a_person(console)
    tab.sign_in(console.keys["admin"], "admin")
    page = tab.page
    tab.goto(f"/console#/admin?person={person['id']}")
    page.wait_for_selector("#split-choices")
    page.check(f"input[aria-label='move PHONE:{person['PHONE']}']")
    page.click("#split-preview")
    preview = page.inner_text("#preview")
    assert person["id"] in preview and "(new person)" in preview and person["PHONE"] in preview
    page.fill("#split-reason", "two people share one CRM record")
    page.click("#split-choices ~ form button[type=submit]")
    confirm(tab)
    page.wait_for_selector("text=Split done.")
    # the open person is shown as the split left it: the phone moved out of its card and choices
    page.wait_for_function(
        "phone => !document.querySelector('#person-card tbody').innerText.includes(phone)",
        arg=person["PHONE"],
    )
    assert page.locator("#person-card tbody tr").count() == 2
    assert page.locator(f"input[aria-label='move PHONE:{person['PHONE']}']").count() == 0
    assert "Split done." in page.inner_text("#admin-person-result")
    moved = console.data(RESOLVE, {"i": {"type": "PHONE", "value": person["PHONE"]}})["resolve"][
        "person"
    ]
    assert moved["id"] != person["id"]
    # undo from the audit log
    page.wait_for_selector(f"#audit tr:has-text('{person['id']}') >> text=SPLIT")
    page.click(f"#audit tr:has-text('{person['id']}') button:text('Undo')")
    confirm(tab)
    page.wait_for_selector("#audit .status:has-text('Undone')")
    back = console.data(RESOLVE, {"i": {"type": "PHONE", "value": person["PHONE"]}})["resolve"][
        "person"
    ]
    assert back["id"] == person["id"]
    # the open person is shown again as it now is: whole, with nothing ticked
    page.wait_for_selector("#split-choices input:not(:checked) >> nth=2")
    assert page.locator("#person-card tbody tr").count() == 3
    page.check(f"input[aria-label='move PHONE:{person['PHONE']}']")
    page.click("#split-preview")
    tab.shoot("admin")


def test_admin_merges_then_forgets(tab: Tab, console: ConsoleApp) -> None:
    one, two = a_person(console), a_person(console)
    tab.sign_in(console.keys["admin"], "admin")
    page = tab.page
    tab.goto("/console#/admin")
    page.fill("#merge-ids", f"{one['id']}, {two['id']}")
    page.fill("#merge-reason", "same customer, two accounts")
    page.click("#merge-ids >> xpath=ancestor::form//button[@type='submit']")
    confirm(tab)
    done = page.wait_for_selector("#merge-done")
    assert done is not None
    survivor = done.inner_text().removeprefix("Merged into ").rstrip(".")
    assert survivor in (one["id"], two["id"])
    answer = console.data(RESOLVE, {"i": {"type": "EMAIL", "value": two["EMAIL"]}})["resolve"][
        "person"
    ]
    assert answer["id"] == survivor
    # forget: the confirmation needs the person's id typed in full
    tab.goto(f"/console#/admin?person={survivor}")
    page.wait_for_selector("#forget-reason")
    page.fill("#forget-reason", "erasure request")
    page.click("button:text('Forget…')")
    assert page.locator("dialog[open] button[type=submit]").is_disabled()
    confirm(tab, typed=survivor)
    page.wait_for_selector("#forget-done")
    for who in (one, two):
        gone = console.data(RESOLVE, {"i": {"type": "EMAIL", "value": who["EMAIL"]}})["resolve"]
        assert gone["person"] is None
