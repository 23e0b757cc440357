"""The access log on the admin view, in a real browser: reads an agent made through the API appear
(newest first, paged), the caller filter narrows them, an opened person lists who read it, an
erased person's entries keep their count; an agent key sees no access log and the API refuses it."""

from __future__ import annotations

from typing import Any

from tests.console.conftest import ConsoleApp, Tab
from tests.console.test_admin_view import RESOLVE, a_person

ACCESS = """query($personId: ID, $caller: String) {
  accessLog(personId: $personId, caller: $caller, first: 20) {
    edges { node { at caller role operation personIds personCount } }
    pageInfo { hasNextPage } } }"""
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
    return tab.page.locator(f"{table} tbody tr").all_inner_texts()


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
    assert "1 erased (1 read)" in text and person["id"] not in text


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
    page.wait_for_selector(f"#access tbody tr:has-text('{person['id']}')")
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
