"""The console under test: the real app on loopback with the demo world, and Debian's chromium.

``console`` loads the simulator's demo world into the session's Neo4j through the real loader
and serves the real app (an API key per role, OIDC pointed at ``idp``). ``idp`` is a tiny
identity provider on 127.0.0.1 that speaks the authorization-code flow with PKCE. ``page`` is a
fresh browser tab that fails its test on any console error, page error, or request that leaves
the loopback address (nothing may come from the internet).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import io
import json
import secrets
import shutil
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import jwt
import neo4j
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from rich.console import Console

from graph_identity.app.loader import load_demo
from graph_identity.settings import Settings
from graph_identity.store.cypher import query
from graph_identity.store.schema import migrate
from tests.conftest import neo4j_settings, serving

if TYPE_CHECKING:
    from tests.conftest import Neo4jServer

ROLES = ("ingest", "agent", "fraud", "admin")
CLIENT_ID = "graph-identity-console"
AUDIENCE = "graph-identity-api"
DEMO_HOUSEHOLDS = 40
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
BROWSERS = ("chromium", "chromium-browser")
FORCE = """async (query) => {
  const response = await fetch("/graphql", {method: "POST", headers: {
    "Content-Type": "application/json",
    Authorization: "Bearer " + sessionStorage.getItem("graph-identity.token")},
    body: JSON.stringify({query})});
  return ((await response.json()).errors || []).map(e => e.extensions.code);
}"""


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class Idp:
    """A loopback OIDC provider: discovery, /authorize (signs in at once), /token (checks PKCE)."""

    issuer: str
    key: rsa.RSAPrivateKey
    #: The role the next signed-in user gets.
    role: str = "fraud"
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    exchanged: list[str] = field(default_factory=list)

    def authorize(self, params: dict[str, str]) -> str:
        code = secrets.token_urlsafe(16)
        self.codes[code] = params | {"role": self.role}
        query_text = urllib.parse.urlencode({"code": code, "state": params["state"]})
        return f"{params['redirect_uri']}?{query_text}"

    def token(self, form: dict[str, str]) -> dict[str, Any] | None:
        asked = self.codes.pop(form.get("code", ""), None)
        if asked is None or form.get("client_id") != asked["client_id"]:
            return None
        challenge = _b64url(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
        if challenge != asked["code_challenge"] or asked["code_challenge_method"] != "S256":
            return None
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": "console-user",
            "aud": AUDIENCE,
            "iat": now,
            "exp": now + 300,
            "roles": [asked["role"]],
        }
        self.exchanged.append(asked["role"])
        token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "console-idp"})
        return {"access_token": token, "token_type": "Bearer", "expires_in": 300}


def _idp_handler(idp_ref: list[Idp], documents: dict[str, bytes]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            if url.path == "/authorize":
                params = dict(urllib.parse.parse_qsl(url.query))
                self._send(302, b"", {"Location": idp_ref[0].authorize(params)})
                return
            body = documents.get(url.path)
            self._send(200 if body else 404, body or b"{}", {"Content-Type": "application/json"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            answer = idp_ref[0].token(form)
            body = json.dumps(answer or {"error": "invalid_grant"}).encode()
            self._send(200 if answer else 400, body, {"Content-Type": "application/json"})

        def do_OPTIONS(self) -> None:
            self._send(204, b"", {"Access-Control-Allow-Headers": "Content-Type"})

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture(scope="session")
def idp() -> Iterator[Idp]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update({"kid": "console-idp", "use": "sig", "alg": "RS256"})
    ref: list[Idp] = []
    documents: dict[str, bytes] = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _idp_handler(ref, documents))
    issuer = f"http://127.0.0.1:{server.server_address[1]}"
    ref.append(Idp(issuer=issuer, key=key))
    documents["/.well-known/openid-configuration"] = json.dumps(
        {
            "issuer": issuer,
            "jwks_uri": f"{issuer}/jwks.json",
            "authorization_endpoint": f"{issuer}/authorize",
            "token_endpoint": f"{issuer}/token",
        }
    ).encode()
    documents["/jwks.json"] = json.dumps({"keys": [jwk]}).encode()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ref[0]
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class ConsoleApp:
    """The running app with the demo world: its URL, a key per role, its settings."""

    url: str
    keys: dict[str, str]
    settings: Settings

    def data(
        self, text: str, variables: dict[str, Any] | None = None, *, role: str = "admin"
    ) -> dict[str, Any]:
        """Ask the API directly (to set up and pick test subjects, and to check what a page did)."""
        response = httpx.post(
            f"{self.url}/graphql",
            json={"query": text, "variables": variables or {}},
            headers={"Authorization": f"Bearer {self.keys[role]}"},
            timeout=60,
        )
        body: dict[str, Any] = response.json()
        assert not body.get("errors"), body
        data: dict[str, Any] = body["data"]
        return data


async def _fresh_demo_world(settings: Settings) -> None:
    auth = (settings.neo4j_user, settings.neo4j_password)
    async with neo4j.AsyncGraphDatabase.driver(settings.neo4j_uri, auth=auth) as driver:
        async with driver.session(database=settings.neo4j_database) as session:
            await (await session.run(query("testing/delete_all"))).consume()
        await migrate(driver, settings.neo4j_database)
    quiet = Console(file=io.StringIO())
    await load_demo(settings, households=DEMO_HOUSEHOLDS, console=quiet)


@pytest.fixture(scope="session")
def console(neo4j_server: Neo4jServer, idp: Idp) -> Iterator[ConsoleApp]:
    keys = {role: f"{role}-{secrets.token_urlsafe(12)}" for role in ROLES}
    settings = neo4j_settings(
        neo4j_server,
        GRAPH_IDENTITY_API_KEYS=",".join(f"{role}:{key}" for role, key in keys.items()),
        GRAPH_IDENTITY_OIDC_ISSUER=idp.issuer,
        GRAPH_IDENTITY_OIDC_AUDIENCE=AUDIENCE,
        GRAPH_IDENTITY_CONSOLE_CLIENT_ID=CLIENT_ID,
    )
    # A thread of its own: pytest-asyncio may be running its loop while fixtures are set up.
    loader = threading.Thread(target=asyncio.run, args=(_fresh_demo_world(settings),))
    loader.start()
    loader.join()
    with serving(settings) as url:
        yield ConsoleApp(url=url, keys=keys, settings=settings)


def chromium_path() -> str:
    """Debian's chromium; the run fails (never skips) without one, saying how to get it."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.fail(
        "no chromium for the console's browser tests: run scripts/install_browser "
        "(as root: apt-get install -y chromium); playwright's own download is not used",
        pytrace=False,
    )


# Module scope, not session: the sync driver keeps an event loop running in this thread while
# it is open, and the async tests of the other directories need the thread free again.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(
        executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu"]
    )
    try:
        yield launched
    finally:
        launched.close()


@dataclass
class Tab:
    """A browser tab on the console, and everything that went wrong in it."""

    page: Page
    base: str
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def goto(self, path: str) -> None:
        self.page.goto(self.base + path)

    def sign_in(self, key: str, role: str) -> None:
        """Paste a key on the sign-in page and wait until the console shows the role."""
        self.goto("/console")
        self.page.fill("#api-key", key)
        self.page.click("#key-signin")
        self.page.wait_for_selector(f"#role:text-is('{role}')")

    def forced(self, text: str) -> list[str]:
        """The error codes of a request made with the page's own token, bypassing the console."""
        codes: list[str] = self.page.evaluate(FORCE, text)
        return codes

    def shoot(self, name: str, *, full_page: bool = True) -> None:
        """Save what the tab shows to docs/screenshots/<name>.png (the README shows them)."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def _open_tab(browser: Browser, base: str, **context_args: Any) -> Iterator[Tab]:
    context = browser.new_context(**context_args)
    page = context.new_page()
    page.set_default_timeout(15_000)
    tab = Tab(page=page, base=base)
    page.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: tab.errors.append(f"page error: {exc}"))

    def keep_local(route: Any) -> None:
        host = urllib.parse.urlsplit(route.request.url).hostname
        if host == "127.0.0.1" or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            tab.outside.append(route.request.url)
            route.abort()

    context.route("**/*", keep_local)
    try:
        yield tab
    finally:
        context.close()
    assert tab.outside == [], f"requests that left this machine: {tab.outside}"
    assert tab.errors == [], f"browser console errors: {tab.errors}"


@pytest.fixture
def tab(browser: Browser, console: ConsoleApp) -> Iterator[Tab]:
    """A laptop-sized tab; the test fails on a console error or an outside request."""
    yield from _open_tab(browser, console.url, viewport={"width": 1280, "height": 860})


@pytest.fixture
def phone(browser: Browser, console: ConsoleApp) -> Iterator[Tab]:
    """A phone-sized tab (touch, 390 px wide)."""
    yield from _open_tab(
        browser,
        console.url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
