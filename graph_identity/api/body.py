"""Reading a GraphQL request body: bounded in size, strict JSON, the right shape.

Everything here answers a client mistake with a 4xx and a short reason, never an exception
that would surface as a 500: a body over the configured size is 413 (checked against
``Content-Length`` first, then counted while it streams, so it is never read whole); invalid
UTF-8, ``NaN``/``Infinity``, integers of more than :data:`MAX_INT_DIGITS` digits and nesting
deeper than :data:`MAX_NESTING` are 400; so is any top-level value but an object.
"""

from __future__ import annotations

import json
from typing import Any

from cross_web import HTTPException
from starlette.requests import Request

MAX_INT_DIGITS = 64
MAX_NESTING = 64


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


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"integers have at most {MAX_INT_DIGITS} digits")
    return int(text)


def _depth_ok(value: object) -> bool:
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_NESTING:
            return False
        if isinstance(item, dict):
            stack.extend((inner, depth + 1) for inner in item.values())
        elif isinstance(item, list):
            stack.extend((inner, depth + 1) for inner in item)
    return True


def decode_json(data: str | bytes) -> object:
    """Strict JSON for request bodies and the ``variables`` of a GET; HTTPException(400)."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        text.encode("utf-8")  # a lone surrogate in a str cannot be stored or echoed
        value = json.loads(text, parse_constant=_no_constant, parse_int=_bounded_int)
    except (ValueError, RecursionError) as exc:
        reason = "must be UTF-8" if isinstance(exc, UnicodeError) else "is not acceptable JSON"
        raise HTTPException(400, f"the request body {reason}") from exc
    if not _depth_ok(value):
        raise HTTPException(400, f"the request body is nested deeper than {MAX_NESTING} levels")
    return value


def check_shape(data: object) -> None:
    """A GraphQL-over-HTTP request is one JSON object whose ``operationName`` is a string."""
    if not isinstance(data, dict):
        raise HTTPException(400, "the request body must be a JSON object")
    if not isinstance(data.get("operationName"), str | None):
        raise HTTPException(400, "operationName must be a string or null")
