"""The Segment-compatible HTTP source: ``POST /v1/batch|identify|track|page|screen|alias|group``.

A request is answered in this order (docs/collect.md "Answers"): 403 for a page of an origin
that is not allowed, 400 for a body over 32 KB (500 KB for ``/v1/batch``) or not a JSON object,
401 without a write key (HTTP Basic user name, or ``writeKey`` in the body), 400 for a batch
message over 32 KB, 429 over a rate limit; then every message is mapped
(:mod:`graph_identity.collect`) and the events go through the same ingest as GraphQL's. A
message refused on its own is listed in ``rejected`` with its index, ``messageId`` and reason
while the others are stored; a single-message endpoint answers 400 when its one message stored
nothing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cross_web import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route, Router

from graph_identity.api.auth import Authenticator
from graph_identity.api.body import BodyTooLarge, decode_json, read_body
from graph_identity.api.governance import RateLimiter
from graph_identity.api.id_tokens import verified_logins
from graph_identity.api.metrics import ApiMetrics
from graph_identity.collect import Mapped, SpecMapping, map_message
from graph_identity.collect.settings import origins
from graph_identity.domain.views import IngestOutcome
from graph_identity.keys import ApiKey
from graph_identity.settings import Settings
from graph_identity.store.service import IdentityService

MESSAGE_LIMIT = 32 * 1024
BATCH_LIMIT = 500 * 1024
KINDS = ("batch", "identify", "track", "page", "screen", "alias", "group")


#: the ``code`` of each refusal, as the Segment SDKs read it beside ``message``
CODES = {400: "invalid_request", 401: "unauthorized", 403: "origin_not_allowed",
         404: "not_found", 429: "rate_limited"}  # fmt: skip


def _answer(
    status: int, message: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    """A refusal: ``{"success": false, "code": ..., "message": ...}`` and what ``extra`` adds."""
    body = {"success": False, "code": CODES[status], "message": message, **extra}
    return JSONResponse(body, status_code=status, headers=headers)


@dataclass
class CollectEndpoint:
    """Holds what every collection request needs; one per app."""

    authenticator: Authenticator
    mapping: SpecMapping
    allowed_origins: frozenset[str]
    address_limit: int
    max_batch_events: int
    metrics: ApiMetrics
    limiter: RateLimiter

    async def handle(self, request: Request) -> Response:
        kind = request.path_params["kind"]
        if kind not in KINDS:
            return _answer(404, f"no /v1/{kind}: one of {', '.join(KINDS)}")
        origin = request.headers.get("origin")
        own = f"{request.url.scheme}://{request.url.netloc}"
        if origin and origin != own and origin not in self.allowed_origins:
            return _answer(403, f"origin {origin} may not send here: it is not one of "
                           "GRAPH_IDENTITY_COLLECT_ORIGINS")  # fmt: skip
        limit = BATCH_LIMIT if kind == "batch" else MESSAGE_LIMIT
        try:
            payload = decode_json(await read_body(request, limit))
        except BodyTooLarge:
            too_big = f"request body larger than {limit // 1024} KB, the /v1/{kind} limit"
            return _answer(400, too_big)
        except HTTPException as exc:
            return _answer(400, exc.reason)
        if not isinstance(payload, dict):
            return _answer(400, "the request body must be a JSON object")
        key = self._write_key(request.headers.get("authorization"), payload.get("writeKey"))
        if key is None:
            return _answer(
                401, "a write key is needed: HTTP Basic with the write key as user name and an "
                "empty password, or writeKey in the body",
                headers={"WWW-Authenticate": 'Basic realm="graph-identity"'},
            )  # fmt: skip
        messages = payload.get("batch") if kind == "batch" else [payload]
        if not isinstance(messages, list) or not messages:
            return _answer(400, "batch: a non-empty list of messages is needed")
        for index, message in enumerate(messages):
            if len(json.dumps(message).encode()) > MESSAGE_LIMIT:
                return _answer(400, f"batch[{index}]: message larger than 32 KB")
        wait = self._over_limit(key, request, len(messages))
        if wait is not None:
            return _answer(429, wait[0], headers={"Retry-After": str(int(wait[1] + 0.999))})
        service: IdentityService = request.state.runtime.service
        answer = await self._ingest(service, key, kind, payload, messages)
        single_failed = kind != "batch" and answer["accepted"] + answer["duplicates"] == 0
        if single_failed and answer["rejected"] and not answer["ignored"]:
            return _answer(400, answer["rejected"][0]["reason"], rejected=answer["rejected"])
        return JSONResponse({"success": True, **answer})

    def _write_key(self, authorization: str | None, in_body: Any) -> ApiKey | None:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() == "basic":
            try:
                user = base64.b64decode(token.strip(), validate=True).decode().partition(":")[0]
            except (binascii.Error, UnicodeError):
                return None
            return self.authenticator.write_key(user)
        if not authorization and isinstance(in_body, str):
            return self.authenticator.write_key(in_body)
        return None

    def _over_limit(self, key: ApiKey, request: Request, count: int) -> tuple[str, float] | None:
        """(why, seconds to wait) when the key's or the address's minute is used up."""
        name = hashlib.sha256(key.key.encode()).hexdigest()[:16]
        address = request.client.host if request.client else "unknown"
        if self.address_limit:
            wait = self.limiter.charge(f"{name}@{address}", self.address_limit, count)
            if wait is not None:
                return f"rate limit: {self.address_limit} messages a minute per address", wait
        if key.rate_limit:
            wait = self.limiter.charge(name, key.rate_limit, count)
            if wait is not None:
                return f"rate limit: {key.rate_limit} messages a minute for this write key", wait
        return None

    async def _ingest(
        self, service: IdentityService, key: ApiKey, kind: str, payload: dict[str, Any],
        messages: list[Any],
    ) -> dict[str, Any]:  # fmt: skip
        received = datetime.now(UTC)
        hint, sent_at = (None, payload.get("sentAt")) if kind == "batch" else (kind, None)
        mapped = [
            map_message(m, received, source=key.source or "default", mapping=self.mapping,
                        type_hint=hint, batch_sent_at=sent_at)
            for m in messages
        ]  # fmt: skip
        events = [m.event for m in mapped if m.event is not None]
        total = IngestOutcome()
        for start in range(0, len(events), self.max_batch_events):
            chunk = events[start : start + self.max_batch_events]
            verified = await verified_logins(self.authenticator, chunk)
            outcome = await service.ingest(chunk, verified_ids=verified)
            total.accepted += outcome.accepted
            total.duplicates += outcome.duplicates
            total.pending += outcome.pending
            total.rejected += outcome.rejected
        self.metrics.record_ingest(total.accepted, total.duplicates, len(total.rejected))
        return {
            "accepted": total.accepted,
            "duplicates": total.duplicates,
            "pending": total.pending,
            "ignored": sum(m.ignored for m in mapped),
            "rejected": _rejections(mapped, total.rejected),
        }


def _rejections(mapped: list[Mapped], refused: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Each refusal with the index and messageId of its message: refused while mapping, or
    by the ingest (the whole event, or one identifier of it while the event is kept)."""
    index = {m.message_id: n for n, m in enumerate(mapped)}
    found = [
        {"index": n, "messageId": m.message_id, "reason": m.reason}
        for n, m in enumerate(mapped)
        if m.reason is not None
    ]
    found += [{"index": index.get(i), "messageId": i, "reason": r} for i, r in refused]
    return sorted(found, key=lambda r: (r["index"] is None, r["index"] or 0))


def collect_routes(
    settings: Settings, authenticator: Authenticator, metrics: ApiMetrics
) -> list[BaseRoute]:
    """``/v1/*`` behind CORS for the configured origins (none by default)."""
    allowed = origins(settings.collect_origins)
    endpoint = CollectEndpoint(
        authenticator=authenticator,
        mapping=settings.collect_mapping(),
        allowed_origins=frozenset(allowed),
        address_limit=settings.collect_address_limit,
        max_batch_events=settings.max_batch_events,
        metrics=metrics,
        limiter=RateLimiter(),
    )
    router = Router(routes=[Route("/{kind}", endpoint.handle, methods=["POST"])])
    cors = CORSMiddleware(
        router,
        allow_origins=allowed,
        allow_methods=["POST"],
        allow_headers=["Authorization", "Content-Type"],
        max_age=600,
    )
    return [Mount("/v1", app=cors)]
