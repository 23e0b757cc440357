"""What the app serves for the console, without a browser: every asset from this app (no URL
to elsewhere), a strict Content-Security-Policy, only public settings in the page, the
vendored libraries with their licences, and package data that ships every static file."""

from __future__ import annotations

import asyncio
import re
import threading
from pathlib import Path

import httpx

from graph_identity.app.server import create_app
from graph_identity.console.routes import STATIC
from graph_identity.settings import Settings
from tests.console.conftest import ConsoleApp

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("index.html", "graphiql.html")


def test_console_page_is_served_with_a_strict_policy(console: ConsoleApp) -> None:
    response = httpx.get(f"{console.url}/console")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert f"connect-src 'self' {console.settings.oidc_issuer}" in policy
    assert console.settings.oidc_issuer in response.text
    for secret in console.keys.values():
        assert secret not in response.text


def test_without_an_issuer_the_page_offers_no_sso() -> None:
    app = create_app(Settings(GRAPH_IDENTITY_API_KEYS="admin:k", GRAPH_IDENTITY_OIDC_ISSUER=None))

    async def fetch() -> httpx.Response:  # no lifespan (no Neo4j) is needed: the page is static
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://console.test") as client:
            return await client.get("/console")

    answers: list[httpx.Response] = []
    # a thread of its own: the session's browser driver keeps an event loop in this one
    worker = threading.Thread(target=lambda: answers.append(asyncio.run(fetch())))
    worker.start()
    worker.join()
    response = answers[0]
    assert '"oidcIssuer": null' in response.text
    assert "connect-src 'self';" in response.headers["content-security-policy"]


def test_every_asset_is_served_by_the_app(console: ConsoleApp) -> None:
    with httpx.Client() as client:
        for name in PAGES:
            text = (STATIC / name).read_text()
            assert not re.search(r"(src|href)=\"https?:", text), name
            for path in re.findall(r"(?:src|href)=\"(/console/static/[^\"]+)\"", text):
                response = client.get(console.url + path)
                assert response.status_code == 200, path
        for script in sorted((STATIC / "js").glob("*.js")):
            response = client.get(f"{console.url}/console/static/js/{script.name}")
            assert "javascript" in response.headers["content-type"], script.name
            for imported in re.findall(r'from "(\.[^"]+)"', script.read_text()):
                assert (script.parent / imported).resolve().is_file(), (script.name, imported)


def test_graphiql_page_is_ours(console: ConsoleApp) -> None:
    response = httpx.get(f"{console.url}/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "/console/static/vendor/graphiql.min.js" in response.text
    assert "unpkg.com" not in response.text


def test_graphiql_page_has_the_console_policy(console: ConsoleApp) -> None:
    page = httpx.get(f"{console.url}/graphql", headers={"Accept": "text/html"})
    reference = httpx.get(f"{console.url}/console")
    for header in ("content-security-policy", "x-content-type-options", "referrer-policy"):
        assert page.headers.get(header) == reference.headers[header], header
    assert "default-src 'self'" in page.headers["content-security-policy"]


def test_vendored_files_carry_their_licences() -> None:
    vendor = STATIC / "vendor"
    for built in [*vendor.glob("*.min.js"), *vendor.glob("*.min.css")]:
        package = built.name.split(".")[0]
        licence = vendor / f"{package}.LICENSE"
        assert licence.is_file(), built.name
        assert "Permission is hereby granted" in licence.read_text()
        assert built.name in (vendor / "VENDOR.md").read_text()
