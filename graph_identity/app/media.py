"""GraphQL over HTTP (the GraphQL-over-HTTP spec): answer in the media type the client asked
for, with the status codes that media type promises.

A client that accepts ``application/graphql-response+json`` gets that content type, and a
request that never executed (the document does not parse or validate, a variable does not
coerce) is HTTP 400 with no ``data`` entry. Everyone else keeps ``application/json``, where
the spec wants HTTP 200 for any well-formed GraphQL response.
"""

from __future__ import annotations

import json

from starlette.responses import Response

GRAPHQL_RESPONSE = "application/graphql-response+json"


def wants_graphql_response(accept: str | None) -> bool:
    """Whether ``Accept`` lists the GraphQL response media type with a non-zero quality."""
    for part in (accept or "").split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if media.lower() != GRAPHQL_RESPONSE:
            continue
        quality = next((p[2:] for p in params if p.lower().startswith("q=")), "1")
        try:
            return float(quality) > 0
        except ValueError:
            return False
    return False


def is_request_error(body: object) -> bool:
    """A response to a request that never executed: no data, and no error belongs to a field
    (field errors carry a ``path``; parse, validation and coercion errors do not)."""
    if not isinstance(body, dict) or body.get("data") is not None:
        return False
    errors = body.get("errors")
    if not isinstance(errors, list) or not errors:
        return False
    return all(isinstance(e, dict) and "path" not in e for e in errors)


def as_graphql_response(response: Response) -> Response:
    """``response`` (strawberry's JSON answer) in the GraphQL response media type."""
    if not response.headers.get("content-type", "").startswith("application/json"):
        return response  # GraphiQL, plain-text HTTP errors: not a GraphQL response
    body = json.loads(bytes(response.body))
    status = response.status_code
    if status == 200 and is_request_error(body):
        status = 400
        body.pop("data", None)
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
    headers["content-type"] = GRAPHQL_RESPONSE + "; charset=utf-8"
    return Response(json.dumps(body), status_code=status, headers=headers)
