"""Guards erasure end to end (docs/guarantees.md): after ``forgetPerson`` no erased value is left
in any string property of any node or relationship, in the ``auditLog`` answer or in the
service's logs; an ingest caller cannot tell an erased value from an unknown one; and the
access log never keeps a query string."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from typing import TYPE_CHECKING, Any

import httpx
import neo4j
import pytest
import uvicorn

from graph_identity.app.server import create_app, server_config
from tests.events import event as build

if TYPE_CHECKING:
    from tests.api.conftest import Api
    from tests.conftest import Neo4jServer

ERASED = {
    "ACCOUNT": "acct-sweep-7731",
    "EMAIL": "sweep.person@example.com",
    "PHONE": "+14155550177",
    "COOKIE": "ck-sweep-7731",
    "DEVICE": "dev-sweep-7731",
}
KEPT_EMAIL = "sweep.other@example.com"
AUDIT = "{ auditLog(first: 200) { edges { node { id actor action reason personIds details } } } }"
PERSON = "query($i: IdentifierInput!) { resolve(identifier: $i) { person { id } } }"


def ids(*types: str) -> list[dict[str, str]]:
    return [{"type": t, "value": ERASED[t]} for t in types]


def event(
    event_id: str, minute: int, kind: str, identifiers: list[dict[str, str]]
) -> dict[str, Any]:
    at = f"2026-02-01T10:{minute:02d}:00Z"
    return build(event_id, at, kind, *identifiers, attributes={"note": "sweep"})


async def person_of(api: Api, kind: str, value: str) -> str | None:
    data = await api.data(PERSON, {"i": {"type": kind, "value": value}})
    person = data["resolve"]["person"]
    return None if person is None else str(person["id"])


async def every_stored_string(driver: neo4j.AsyncDriver, database: str) -> list[str]:
    """Every string (and string in a list) held by any property of any node or relationship."""
    records, _, _ = await driver.execute_query(
        "MATCH (n) RETURN properties(n) AS p UNION ALL MATCH ()-[r]->() RETURN properties(r) AS p",
        database_=database,
    )
    found: list[str] = []
    for record in records:
        for value in record["p"].values():
            items = value if isinstance(value, list) else [value]
            found += [v for v in items if isinstance(v, str)]
    return found


async def test_forget_leaves_no_trace(
    api: Api,
    clean_db: None,
    driver: neo4j.AsyncDriver,
    neo4j_server: Neo4jServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    result = await api.ingest(
        [
            event("sw-1", 0, "LOGIN", ids("ACCOUNT", "COOKIE", "DEVICE")),
            event("sw-2", 1, "IDENTIFY", ids("ACCOUNT", "EMAIL", "PHONE")),
            event("sw-3", 2, "PAGE_VIEW", ids("COOKIE")),
            event("sw-4", 3, "FORM_SUBMIT", [{"type": "EMAIL", "value": KEPT_EMAIL}]),
        ]
    )
    assert result["rejected"] == []
    # GET requests carry values in the query string (the access log must not keep them)
    await api.get(
        "/graphql",
        params={"query": PERSON, "variables": json.dumps({"i": ids("EMAIL")[0]})},
        headers={"Authorization": f"Bearer {api.keys['admin']}"},
    )
    pid = await person_of(api, "EMAIL", ERASED["EMAIL"])
    other = await person_of(api, "EMAIL", KEPT_EMAIL)
    assert pid is not None and other is not None
    # split and merge back, so the audit log names the identifiers (split's named, merge's
    # members) and quotes one in a reason
    split = await api.data(
        "mutation($p: ID!, $i: [IdentifierInput!]!, $r: String!) "
        "{ splitPerson(personId: $p, identifiers: $i, reason: $r) { split { id } } }",
        {"p": pid, "i": ids("EMAIL", "PHONE"), "r": f"caller said {ERASED['EMAIL']} is hers"},
    )
    apart = split["splitPerson"]["split"]["id"]
    await api.data(
        "mutation($ids: [ID!]!) "
        '{ mergePersons(personIds: $ids, reason: "same", overrideCannotLink: true) { id } }',
        {"ids": [pid, apart]},
    )
    before = json.dumps(await api.data(AUDIT))
    assert ERASED["EMAIL"] in before  # the sweep below would prove nothing otherwise

    forgotten = await api.data(
        'mutation($p: ID!) { forgetPerson(personId: $p, reason: "erasure request 88") '
        "{ personId } }",
        {"p": pid},
    )
    assert forgotten["forgetPerson"]["personId"] == pid

    stored = await every_stored_string(driver, neo4j_server.database)
    assert any(KEPT_EMAIL in s for s in stored), "the sweep reads the stored values"
    audit = json.dumps(await api.data(AUDIT))
    for value in ERASED.values():
        assert not [s for s in stored if value in s], value
        assert value not in audit, value
        assert value not in caplog.text, value
    assert "erasure request 88" in audit and pid in audit, "who, when, why and ids stay"

    # an ingest caller learns nothing: an event of only erased values is answered like one of
    # unknown values, and a replay like any replay
    for events in (
        [event("sw-9", 9, "PAGE_VIEW", ids("EMAIL"))],
        [event("sw-10", 9, "PAGE_VIEW", [{"type": "EMAIL", "value": "new@example.com"}])],
    ):
        first, again = await api.ingest(events), await api.ingest(events)
        assert (first, again) == (
            {"accepted": 1, "duplicates": 0, "rejected": []},
            {"accepted": 0, "duplicates": 1, "rejected": []},
        )  # fmt: skip
    assert await person_of(api, "EMAIL", ERASED["EMAIL"]) is None


async def test_access_log_keeps_no_query_string(api: Api) -> None:
    captured: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            captured.append(record.getMessage())

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(server_config(create_app(api.settings), port=port))
    handler = Collect()
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
            time.sleep(0.05)
        logging.getLogger("uvicorn.access").addHandler(handler)
        async with httpx.AsyncClient(timeout=30) as client:
            await client.get(
                f"http://127.0.0.1:{port}/graphql",
                params={"query": "{ __typename }", "email": "leak.check@example.com"},
            )
            await client.get(f"http://127.0.0.1:{port}/healthz?phone=%2B14155550199")
    finally:
        logging.getLogger("uvicorn.access").removeHandler(handler)
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
    assert any("/graphql" in line for line in captured), captured
    assert any("/healthz" in line for line in captured), captured
    assert not [line for line in captured if "?" in line or "leak.check" in line], captured
