"""Routes of the console: the page, its static files (vendored libraries included), GraphiQL.

Pages are read from the package when the routes are built, not at import time, and are sent
with a Content-Security-Policy that allows only this origin (plus the OIDC issuer for the
sign-in exchange): a page cannot fetch anything from the internet even by mistake.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from graph_identity.settings import Settings

STATIC = Path(__file__).resolve().parent / "static"
#: Where the static files are served; the pages refer to their assets under this prefix.
STATIC_PREFIX = "/console/static"


def _policy(connect: str = "") -> str:
    # Cytoscape sets style attributes, hence 'unsafe-inline' for styles only; no inline script.
    return (
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
        f"font-src 'self' data:; connect-src 'self'{connect}; frame-ancestors 'none'; "
        "base-uri 'none'; form-action 'self'"
    )


def public_config(settings: Settings) -> dict[str, str | int | None]:
    """What the browser may know of the settings: nothing secret."""
    return {
        "oidcIssuer": settings.oidc_issuer,
        "oidcClientId": settings.console_client_id,
        "oidcScope": settings.console_scope,
        "hubPersons": settings.hub_persons,
    }


def _embed(config: dict[str, str | int | None]) -> str:
    # Inside <script type="application/json">, "</" would end the element early.
    return json.dumps(config).replace("<", "\\u003c")


@cache
def _page(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def graphiql_html() -> str:
    """GraphiQL with every asset served by this app (strawberry's page loads them from a CDN)."""
    return _page("graphiql.html")


def page_headers(settings: Settings) -> dict[str, str]:
    """The headers every page is sent with (the console's and GraphiQL's alike)."""
    issuer = settings.oidc_issuer
    return {
        "Content-Security-Policy": _policy(f" {issuer}" if issuer else ""),
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


def console_routes(settings: Settings) -> list[BaseRoute]:
    """``/console`` (the single-page console) and ``/console/static/...``."""
    config = public_config(settings)
    headers = page_headers(settings)
    page = _page("index.html").replace("__CONSOLE_CONFIG__", _embed(config))

    async def console(request: Request) -> Response:
        return HTMLResponse(page, headers=headers)

    return [
        Route("/console", console, methods=["GET"]),
        Route("/console/", console, methods=["GET"]),
        Mount(STATIC_PREFIX, StaticFiles(directory=STATIC), name="console-static"),
    ]
