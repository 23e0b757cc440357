"""The access log on the admin view, in a real browser: reads an agent made through the API appear
(newest first, paged), the caller filter narrows them, an opened person lists who read it, an
erased person's entries keep their count; rows and the constraints table read as words (person
ids behind a click, human headers, local times); an agent key sees no access log and the API
refuses it."""

from __future__ import annotations

import re
from typing import Any

from tests.console.conftest import ConsoleApp, Tab
from tests.console.test_admin_view import RESOLVE, a_person

ACCESS = """query($personId: ID, $caller: String) {
  accessLog(personId: $personId, caller: $caller, first: 20) {
    edges { node { at caller role operation personIds personCount } }
    pageInfo { hasNextPage } } }"""
#: an ISO-8601 timestamp as the API sends it: pages show local times instead
ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
FORGET = (
    """mutation($id: ID!) { forgetPerson(personId: $id, reason: "erasure request") { personId } }"""
)


def access(console: ConsoleApp, **filters: str) -> dict[str, Any]:
    log: dict[str, Any] = console.data(ACCESS, filters)["accessLog"]
    return log


def agent_reads(console: ConsoleApp, person: dict[str, Any], times: int) -> str:
    """Resolve the person's email with the agent key `times` times; the agent's caller."""
    for _ in range(times):
        found = console.data(
            RESOLVE, {"i": {"type": "EMAIL", "value": person["EMAIL"]}}, role="agent"
        )["resolve"]["person"]
        assert found["id"] == person["id"]
    entries = [e["node"] for e in access(console, personId=person["id"])["edges"]]
    mine = [e for e in entries if e["role"] == "agent" and e["operation"] == "resolve"]
    assert len(mine) == min(times, 20), entries
    caller: str = mine[0]["caller"]
    assert caller.startswith("api-key:agent:")
    return caller


def rows(tab: Tab, table: str) -> list[str]:
    """Each row's text, the person ids folded behind a click included."""
    return tab.page.locator(f"{table} tbody tr").all_text_contents()


def test_admin_sees_the_access_log_filters_it_and_pages(tab: Tab, console: ConsoleApp) -> None:
    person = a_person(console)
    caller = agent_reads(console, person, 21)
    console.data(RESOLVE, {"i": {"type": "PHONE", "value": person["PHONE"]}})  # the admin's read
    tab.sign_in(console.keys["admin"], "admin")
    page = tab.page
    tab.goto("/console#/admin")
    # newest first: of this person's reads, the admin's, then the agent's last one (the sign-in's
    # own probe reads, of other persons, are newer still)
    page.wait_for_selector(f"#access tbody tr:has-text('{caller}')")
    first, second = [r for r in rows(tab, "#access") if person["id"] in r][:2]
    assert "api-key:admin:" in first and person["id"] in first
    assert caller in second and "resolve" in second and person["id"] in second
    assert person["EMAIL"] not in page.inner_text("#access")
    assert person["PHONE"] not in page.inner_text("#access")
    # the caller filter narrows the log to the agent's reads, as the API does
    page.fill("#access-caller", caller)
    page.click("#access button:text('Show')")
    page.wait_for_function(
        "c => [...document.querySelectorAll('#access tbody tr')]"
        ".every(r => r.innerText.includes(c))",
        arg=caller,
    )
    shown = rows(tab, "#access")
    expected = access(console, caller=caller)
    assert len(shown) == len(expected["edges"]) == 20
    assert all(caller in r for r in shown)
    assert expected["pageInfo"]["hasNextPage"]
    # Older entries adds the next page below
    page.click("#access button:text('Older entries')")
    page.wait_for_selector("#access tbody tr >> nth=20")
    assert all(caller in r for r in rows(tab, "#access"))
    # a person id in the log opens that person, with who read it
    page.fill("#access-caller", "")
    page.fill("#access-person", person["id"])
    page.click("#access button:text('Show')")
    page.wait_for_selector("#access tbody tr:has-text('api-key:admin:')")
    assert all(person["id"] in r for r in rows(tab, "#access"))
    page.click("#access tbody tr >> nth=0 >> summary")
    page.click(f"#access tbody tr >> nth=0 >> button:text('{person['id']}')")
    page.wait_for_selector("#person-access tbody tr")
    assert page.locator("#person-card").count() == 1
    agent_rows = page.locator(f"#person-access tbody tr:has-text('{caller}')")
    assert agent_rows.count() >= 1 and len(rows(tab, "#person-access")) == 20
    assert "resolve" in agent_rows.first.inner_text()


def test_an_erased_persons_reads_keep_their_count(tab: Tab, console: ConsoleApp) -> None:
    person = a_person(console)
    caller = agent_reads(console, person, 1)
    console.data(FORGET, {"id": person["id"]})
    tab.sign_in(console.keys["admin"], "admin")
    page = tab.page
    tab.goto("/console#/admin")
    page.fill("#access-caller", caller)
    page.click("#access button:text('Show')")
    newest = page.locator("#access tbody tr >> nth=0")
    newest.locator("text=erased").wait_for()
    text = newest.inner_text()
    assert "1 person (erased)" in text and person["id"] not in newest.text_content()


def test_agent_key_has_no_access_log(tab: Tab, console: ConsoleApp) -> None:
    tab.sign_in(console.keys["agent"], "agent")
    page = tab.page
    tab.goto("/console#/admin")
    page.wait_for_selector("text=may not use")
    assert page.locator("#access, #access-caller, #person-access").count() == 0
    assert tab.forced("{ accessLog(first: 1) { edges { node { caller } } } }") == ["FORBIDDEN"]


def test_the_access_log_fits_a_phone(phone: Tab, console: ConsoleApp) -> None:
    person = a_person(console)
    agent_reads(console, person, 1)
    phone.sign_in(console.keys["admin"], "admin")
    page = phone.page
    phone.goto("/console#/admin")
    page.wait_for_function(
        "p => [...document.querySelectorAll('#access tbody tr')]"
        ".some(r => r.textContent.includes(p))",
        arg=person["id"],
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px phone"
    # keyboard: the caller filter is reachable and submits with Enter
    page.focus("#access-person")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "access-caller"
    page.keyboard.type("nobody")
    page.keyboard.press("Enter")
    page.wait_for_selector("#access .status:text('No reads recorded.')")
    assert page.locator("#access tbody tr").count() == 0


def test_access_log_and_constraints_read_as_words(tab: Tab, console: ConsoleApp) -> None:
    """Each access-log row says when, who, why and what, with a count of persons and their ids
    behind a click; the constraints table has human headers and local times, no ISO stamps."""
    person = a_person(console)
    caller = agent_reads(console, person, 1)
    tab.sign_in(console.keys["admin"], "admin")
    page = tab.page
    tab.goto("/console#/admin")
    page.fill("#access-caller", caller)
    page.click("#access button:text('Show')")
    row = page.locator(f"#access tbody tr:has-text('{caller}') >> nth=0")
    row.wait_for()
    headers = page.locator("#access thead th").all_text_contents()
    assert headers == ["When", "Caller", "Role", "Purpose", "Operation", "Persons read"], headers
    text = row.inner_text()
    assert "Looked up an identifier" in text and "1 person" in text and "SERVICE" in text, text
    assert person["id"] not in text  # behind a click
    assert not ISO.search(text), text
    row.locator("summary").click()
    assert person["id"] in row.inner_text()
    # the demo's split left a cannot-link constraint
    page.wait_for_selector("#constraints tbody tr")
    heads = page.locator("#constraints thead th").all_text_contents()
    assert heads == ["Made", "Kind", "In force", "Identifiers", "Reason", "Audit entry"], heads
    table = page.inner_text("#constraints")
    assert "CREATEDAT" not in table.upper().replace("CREATED AT", "") and not ISO.search(table)
    assert "Keep apart" in table and "tom@example.com apart from" in table, table
    made = page.locator("#constraints tbody tr >> nth=0 >> time")
    stamp = made.get_attribute("datetime")
    local = page.evaluate(
        "iso => new Date(iso).toLocaleString(undefined, {dateStyle: 'medium', timeStyle: 'short'})",
        stamp,
    )
    assert made.inner_text() == local
