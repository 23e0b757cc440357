"""The browser side of collection: the snippet at ``/collect/gi.js`` and the demo shop at
``/shop`` (only when GRAPH_IDENTITY_SHOP_WRITE_KEY names a write key). Files are read from the
package when the routes are built, never at import time (docs/collect.md)."""

from __future__ import annotations

import html
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from graph_identity.settings import Settings

STATIC = Path(__file__).resolve().parents[1] / "collect" / "static"
#: the shop runs only this origin's scripts; styles are inline in its one page
SHOP_POLICY = (
    "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'"
)


def _script(text: str) -> Response:
    return Response(
        text,
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"},
    )


def collect_pages(settings: Settings) -> list[BaseRoute]:
    """The snippet, and the shop when a shop write key is configured."""
    snippet = (STATIC / "gi.js").read_text(encoding="utf-8")

    async def gi_js(request: Request) -> Response:
        return _script(snippet)

    routes: list[BaseRoute] = [Route("/collect/gi.js", gi_js, methods=["GET"])]
    key = settings.shop_write_key.get_secret_value() if settings.shop_write_key else ""
    if not key:
        return routes
    page = (STATIC / "shop.html").read_text(encoding="utf-8")
    page = page.replace("{{WRITE_KEY}}", html.escape(key, quote=True))
    shop_js = (STATIC / "shop.js").read_text(encoding="utf-8")

    async def shop(request: Request) -> Response:
        return HTMLResponse(page, headers={"Content-Security-Policy": SHOP_POLICY})

    async def shop_script(request: Request) -> Response:
        return _script(shop_js)

    return [
        *routes,
        Route("/collect/shop.js", shop_script, methods=["GET"]),
        Route("/shop", shop, methods=["GET"]),
        Route("/shop/{path:path}", shop, methods=["GET"]),
    ]
