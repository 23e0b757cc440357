"""Reading a GraphQL request body: bounded in size, strict JSON, the right shape.

Everything here answers a client mistake with a 4xx and a short reason, never an exception
that would surface as a 500: a body over the configured size is 413 (checked against
``Content-Length`` first, then counted while it streams, so it is never read whole); invalid
UTF-8, ``NaN``/``Infinity``, integers too long for Python (over 4300 digits) and nesting deeper
than the parser's recursion limit (about 1000 levels) are 400; so is any top-level value but an
object. Shallower nesting is harmless: declared input types bound it, and event ``attributes``
(the one free-form value) are limited per event (domain/values.py).
"""

from __future__ import annotations

import json
from typing import Any

from cross_web import HTTPException
from starlette.requests import Request


class BodyTooLarge(Exception):
    """The request body is larger than the configured limit."""


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, or BodyTooLarge as soon as more than ``limit`` bytes are announced or
    have arrived. The body is kept on the request, so later readers get it from memory."""
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > limit):
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    body = b"".join(chunks)
    request._body = body  # Starlette's own cache: Request.body() returns it from now on
    return body


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def decode_json(data: str | bytes) -> object:
    """Strict JSON for request bodies and the ``variables`` of a GET; HTTPException(400)."""
    try:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        text = raw.decode("utf-8")
    except UnicodeError as exc:  # invalid UTF-8, or a lone surrogate in a str
        raise HTTPException(400, "the request body must be UTF-8") from exc
    try:
        return json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise HTTPException(400, "the request body is not acceptable JSON") from exc


def check_shape(data: object) -> None:
    """A GraphQL-over-HTTP request is one JSON object whose ``operationName`` is a string."""
    if not isinstance(data, dict):
        raise HTTPException(400, "the request body must be a JSON object")
    if not isinstance(data.get("operationName"), str | None):
        raise HTTPException(400, "operationName must be a string or null")
