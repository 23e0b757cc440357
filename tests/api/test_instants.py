"""Guards instants across the documented range (years 1900 to 2199, UTC), fractions of a second
included, before 1970 too: a GraphQL ingest and ``graph-identity ingest`` store every one of
them, and the timeline and the identifiers' periods give them back to the microsecond."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from typer.testing import CliRunner

from graph_identity.app.cli import app

if TYPE_CHECKING:
    from pathlib import Path

    from graph_identity.settings import Settings
    from tests.api.conftest import Api

#: the range's edges, the epoch's neighbours and a famous pre-1970 instant with a fraction
INSTANTS = [
    "1900-01-01T00:00:00Z",
    "1900-01-01T00:00:00.000001Z",
    "1899-12-31T23:00:00.25-01:00",  # 1900-01-01T00:00:00.25Z
    "1969-07-20T20:17:40.5Z",
    "1969-12-31T23:59:59.999999Z",
    "1970-01-01T00:00:00Z",
    "1970-01-01T00:00:00.000001Z",
    "2026-01-05T10:00:00.123456+01:00",
    "2199-12-31T23:59:59.999999Z",
]
PERSON = """
query($i: IdentifierInput!) {
  resolve(identifier: $i) {
    person {
      events(first: 50) { edges { node { id at } } }
      identifiers { value firstSeen lastSeen }
    }
  }
}
"""


def events(prefix: str) -> list[dict[str, Any]]:
    cookie = {"type": "COOKIE", "value": f"{prefix}-cookie"}
    return [
        {"id": f"{prefix}-{n}", "at": at, "type": "PAGE_VIEW", "identifiers": [cookie]}
        for n, at in enumerate(INSTANTS)
    ]


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def stored(api: Api, prefix: str) -> None:
    """The person of ``prefix``'s cookie holds every instant exactly."""
    cookie = {"type": "COOKIE", "value": f"{prefix}-cookie"}
    person = (await api.data(PERSON, {"i": cookie}, role="agent"))["resolve"]["person"]
    assert person is not None, f"{prefix}: nothing stored"
    got = {e["node"]["id"]: moment(e["node"]["at"]) for e in person["events"]["edges"]}
    assert got == {f"{prefix}-{n}": moment(at) for n, at in enumerate(INSTANTS)}
    (held,) = person["identifiers"]
    assert moment(held["firstSeen"]) == moment(INSTANTS[0])
    assert moment(held["lastSeen"]) == moment(INSTANTS[-1])


async def test_graphql_ingest_stores_the_whole_range(api: Api, clean_db: None) -> None:
    result = await api.ingest(events("gql"))
    assert result["rejected"] == []
    assert result["accepted"] == len(INSTANTS)
    await stored(api, "gql")


async def test_one_pre_1970_fraction_alone(api: Api, clean_db: None) -> None:
    moon = [{"id": "moon", "at": "1969-07-20T20:17:40.5Z", "type": "PAGE_VIEW",
             "identifiers": [{"type": "EMAIL", "value": "neil@example.com"}]}]  # fmt: skip
    assert (await api.ingest(moon))["accepted"] == 1


async def test_bulk_loader_stores_the_whole_range(
    api: Api, clean_db: None, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "instants.jsonl"
    path.write_text("\n".join(json.dumps(e) for e in events("cli")) + "\n", encoding="utf-8")
    env = {
        "NEO4J_URI": settings.neo4j_uri,
        "NEO4J_USER": settings.neo4j_user,
        "NEO4J_PASSWORD": settings.neo4j_password,
        "NEO4J_DATABASE": settings.neo4j_database,
    }
    command = ["ingest", str(path), "--batch-size", "4"]
    # the command runs its own event loop: in a thread, as from a shell
    outcome = await asyncio.to_thread(CliRunner().invoke, app, command, env=env)
    assert outcome.exit_code == 0, outcome.output
    await stored(api, "cli")
