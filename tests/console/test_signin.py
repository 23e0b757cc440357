"""Sign-in: a wrong key is refused with the API's reason, OIDC signs in with the authorization
code flow and PKCE against the configured issuer, signing out forgets the token, and signing
in reads no person (nothing in the access log)."""

from __future__ import annotations

import hashlib

from tests.console.conftest import ConsoleApp, Idp, Tab

SHARED = "{ sharedIdentifiers(first: 1) { edges { node { value personCount } } } }"


def test_a_wrong_key_is_refused(tab: Tab, console: ConsoleApp, idp: Idp) -> None:
    page = tab.page
    tab.goto("/console")
    assert page.inner_text("#oidc-issuer") == idp.issuer
    tab.shoot("signin")
    page.fill("#api-key", "not-a-key")
    page.click("#key-signin")
    page.wait_for_selector(".status.error")
    assert "UNAUTHENTICATED" in page.inner_text(".status.error")
    assert page.evaluate("sessionStorage.getItem('graph-identity.token')") is None
    # chromium logs the refused request itself; that 401 is the point of this test
    tab.errors = [e for e in tab.errors if "status of 401" not in e]


def test_oidc_sign_in_with_pkce(tab: Tab, console: ConsoleApp, idp: Idp) -> None:
    idp.role = "fraud"
    before = len(idp.exchanged)
    tab.goto("/console")
    tab.page.click("#oidc-signin")
    tab.page.wait_for_selector("#role:text-is('fraud')")
    assert idp.exchanged[before:] == ["fraud"]
    assert "code=" not in tab.page.url  # the code is not left in the address bar
    assert tab.page.locator("#nav a").all_inner_texts() == ["Agent", "Fraud"]


def test_sign_out_forgets_the_token(tab: Tab, console: ConsoleApp) -> None:
    tab.sign_in(console.keys["admin"], "admin")
    tab.page.click("text=Sign out")
    tab.page.wait_for_selector("#api-key")
    assert tab.page.evaluate("sessionStorage.getItem('graph-identity.token')") is None
    tab.goto("/console#/admin")
    tab.page.wait_for_selector("#api-key")


def test_an_ingest_key_is_told_there_is_nothing_to_see(tab: Tab, console: ConsoleApp) -> None:
    tab.goto("/console")
    tab.page.fill("#api-key", console.keys["ingest"])
    tab.page.click("#key-signin")
    tab.page.wait_for_selector("text=it may only ingest events")
    assert tab.page.locator("#nav a").count() == 0


def test_a_token_that_stops_working_returns_to_sign_in(tab: Tab, console: ConsoleApp) -> None:
    tab.sign_in(console.keys["agent"], "agent")
    tab.page.evaluate("sessionStorage.setItem('graph-identity.token', 'revoked')")
    tab.page.fill("#q", "someone@example.org")
    tab.page.press("#q", "Enter")
    tab.page.wait_for_selector("text=Your session ended")
    assert tab.page.locator("#api-key").is_visible()
    assert tab.page.evaluate("sessionStorage.getItem('graph-identity.token')") is None
    tab.errors = [e for e in tab.errors if "status of 401" not in e]


def test_signing_in_reads_no_person(tab: Tab, console: ConsoleApp) -> None:
    """Probing which role a key has reads nobody, so the access log gains no entry: signing in
    as fraud or admin, on the page the console opens, logs nothing for that caller."""
    log = """query($caller: String) { accessLog(caller: $caller, first: 50) {
      edges { node { operation personCount } } } }"""
    for role in ("fraud", "admin"):
        key = console.keys[role]
        caller = f"api-key:{role}:{hashlib.sha256(key.encode()).hexdigest()[:8]}"
        before = console.data(log, {"caller": caller})["accessLog"]["edges"]
        tab.sign_in(key, role)
        tab.page.wait_for_load_state("networkidle")
        after = console.data(log, {"caller": caller})["accessLog"]["edges"]
        assert after == before, (role, after)
        tab.page.click("text=Sign out")
        tab.page.wait_for_selector("#api-key")
        # the caller is the one the log names: a real read of persons by this key is logged
        console.data(SHARED, role=role)
        assert len(console.data(log, {"caller": caller})["accessLog"]["edges"]) == len(after) + 1
