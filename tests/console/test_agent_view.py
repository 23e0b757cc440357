"""The agent's journey in a real browser: search an identifier (type guessed from its shape), read
the person card, the confidence in words and the timeline (paged, filtered); "not found" and
"ambiguous" states; and what an agent key must not see or do."""

from __future__ import annotations

from typing import Any

from tests.console.conftest import ConsoleApp, Tab

SUBJECTS = """
query { sharedIdentifiers(first: 5) { edges { node { type value personCount
  persons { id identifiers { type value shared }
            events(first: 30) { edges { node { id } } } } } } } }
"""


def subjects(console: ConsoleApp) -> tuple[dict[str, Any], dict[str, Any]]:
    """A shared identifier, and a person with an email of its own and a long journey."""
    shared = [e["node"] for e in console.data(SUBJECTS)["sharedIdentifiers"]["edges"]]
    persons = [p for s in shared for p in s["persons"]]
    person = max(persons, key=lambda p: len(p["events"]["edges"]))
    assert any(i["type"] == "EMAIL" and not i["shared"] for i in person["identifiers"])
    return shared[0], person


def test_agent_finds_a_customer_by_email(tab: Tab, console: ConsoleApp) -> None:
    _, person = subjects(console)
    email = next(
        i["value"] for i in person["identifiers"] if i["type"] == "EMAIL" and not i["shared"]
    )
    tab.sign_in(console.keys["agent"], "agent")
    page = tab.page
    page.fill("#q", email)
    assert page.inner_text("#q-guess") == "looks like EMAIL"
    page.click("button:text('Search')")
    page.wait_for_selector("#person-id")
    assert page.inner_text("#person-id") == person["id"]
    words = page.inner_text("#resolution-words")
    assert email in words and "% sure" in words
    assert "Known by" in page.inner_text("#person-summary")
    rows = page.locator("#person-card tbody tr")
    assert rows.count() == len(person["identifiers"])
    # the journey: newest first, a first page, then older events on request
    page.wait_for_selector("#timeline li time")
    times = page.locator("#timeline li time").evaluate_all("els => els.map(e => e.dateTime)")
    assert times == sorted(times, reverse=True)
    assert len(times) == 20
    page.click("#more-events")
    page.locator("#timeline li time").nth(20).wait_for()
    # filter by type: only that type is listed
    kinds = page.locator("#timeline li").evaluate_all("els => els.map(e => e.dataset.type)")
    page.select_option("#f-type", kinds[0])
    # with server-side filters the list is read again: wait until the new page is shown
    page.wait_for_function(
        "kind => { const els = [...document.querySelectorAll('#timeline li[data-type]')];"
        " return els.length > 0 && els.every(e => e.dataset.type === kind); }",
        arg=kinds[0],
    )
    shown = page.locator("#timeline li").evaluate_all("els => els.map(e => e.dataset.type)")
    assert shown and set(shown) == {kinds[0]}
    # clearing the filter reads the first page again (for the screenshot)
    with page.expect_response(lambda r: "ConsoleTimeline" in (r.request.post_data or "")):
        page.select_option("#f-type", "")
    page.wait_for_load_state("networkidle")
    tab.shoot("agent")


def test_agent_sees_not_found_and_ambiguous(tab: Tab, console: ConsoleApp) -> None:
    shared, _ = subjects(console)
    tab.sign_in(console.keys["agent"], "agent")
    page = tab.page
    page.fill("#q", "nobody-we-know@example.org")
    page.press("#q", "Enter")
    page.wait_for_selector("#not-found")
    assert "no person is known by EMAIL nobody-we-know@example.org" in page.inner_text(
        "#agent-result"
    )
    page.fill("#q", shared["value"])
    page.select_option("#q-type", shared["type"])
    page.click("button:text('Search')")
    page.wait_for_selector("#ambiguous")
    assert f"shared by {shared['personCount']} persons" in page.inner_text("#ambiguous")
    candidates = page.locator("#ambiguous tbody tr")
    assert candidates.count() == shared["personCount"]
    tab.shoot("agent-ambiguous")
    first = candidates.first.locator("code").inner_text()
    candidates.first.focus()  # keyboard: a candidate opens with Enter
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#person-id:text-is('{first}')")


def test_agent_on_a_phone(phone: Tab, console: ConsoleApp) -> None:
    _, person = subjects(console)
    phone.sign_in(console.keys["agent"], "agent")
    phone.goto(f"/console#/agent?person={person['id']}")
    phone.page.wait_for_selector("#timeline li time")
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px phone"
    phone.shoot("agent-phone", full_page=False)


def test_agent_key_sees_no_admin_or_fraud_and_the_api_refuses(
    tab: Tab, console: ConsoleApp
) -> None:
    tab.sign_in(console.keys["agent"], "agent")
    page = tab.page
    assert page.locator("#nav a").all_inner_texts() == ["Agent"]
    for view in ("admin", "fraud"):
        tab.goto(f"/console#/{view}")
        page.wait_for_selector("text=may not use")
        assert page.locator("form").count() == 0
    assert tab.forced(
        'mutation { forgetPerson(personId: "P", reason: "forced") { personId } }'
    ) == ["FORBIDDEN"]


GUESSES = [
    ("an email has an @", "Jane.Doe@Example.com", "EMAIL", "Jane.Doe@Example.com"),
    ("international phone", "+1 415 555 2671", "PHONE", "+1 415 555 2671"),
    ("national phone", "(415) 555-2671", "PHONE", "(415) 555-2671"),
    ("account prefix", "acct-0100046", "ACCOUNT", "acct-0100046"),
    ("a UUID is a cookie", "f3c3c741-58b5-43c9-a694-1d1e254fb473", "COOKIE", None),
    ("anything else is a device", "kiosk-1ec40e937db9d426", "DEVICE", None),
    ("short digits are no phone", "12345", "DEVICE", None),
    ("TYPE:value names the type", "cookie: abc-1", "COOKIE", "abc-1"),
    ("an unknown prefix is part of the value", "shop:42", "DEVICE", "shop:42"),
]


def test_type_is_guessed_from_the_shape(tab: Tab, console: ConsoleApp) -> None:
    tab.goto("/console")
    guesses = tab.page.evaluate(
        """async (texts) => {
          const { guessType } = await import("/console/static/js/dom.js");
          return texts.map(guessType);
        }""",
        [text for _, text, _, _ in GUESSES],
    )
    for (description, text, kind, value), guess in zip(GUESSES, guesses, strict=True):
        assert guess == {"type": kind, "value": value or text}, description


def test_the_two_percentages_say_which_question_they_answer(tab: Tab, console: ConsoleApp) -> None:
    """The family iPad answers with the session open on it at this moment; the card's table
    says how strongly it belongs to the person overall. Each is labelled so."""
    tab.sign_in(console.keys["agent"], "agent")
    page = tab.page
    page.fill("#q", "ipad-7")
    page.select_option("#q-type", "DEVICE")
    page.click("button:text('Search')")
    page.wait_for_selector("#person-id")
    words = page.inner_text("#resolution-words")
    assert "ipad-7" in words and "at this moment" in words and "% sure" in words, words
    assert "belongs to this person:" not in words
    headers = page.locator("#person-card thead th").all_text_contents()
    assert any("overall" in h for h in headers), headers
    row = page.locator("#person-card tbody tr:has-text('ipad-7')").inner_text()
    assert "%" in row and "shared" in row, row


def test_why_these_belong_together_reads_as_sentences(tab: Tab, console: ConsoleApp) -> None:
    tab.sign_in(console.keys["agent"], "agent")
    page = tab.page
    page.fill("#q", "ann@example.com")
    page.click("button:text('Search')")
    page.wait_for_selector("#explanation li")
    sentences = page.locator("#explanation li").all_inner_texts()
    text = "\n".join(sentences)
    assert "{" not in text and '"confidence"' not in text, text
    mail = next(s for s in sentences if s.startswith("EMAIL ann@example.com"))
    assert "belongs to this person" in mail and "seen with ACCOUNT cust-42" in mail, mail
    assert "identify" in mail and mail.endswith("."), mail
    shown = page.locator("#person-card tbody tr").count()
    assert len(sentences) == shown
