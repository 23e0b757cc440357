"""Guards the bulk loaders (app/loader.py) against the test Neo4j: a JSON Lines file loads in
batches with bad lines reported by number, and the demo world loads."""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

import pytest
from rich.console import Console

from graph_identity.app.loader import ingest_file, load_demo
from graph_identity.domain.event_json import BadLine, raw_event

if TYPE_CHECKING:
    from pathlib import Path

    from graph_identity.settings import Settings
    from tests.api.conftest import Api


def line(n: int, **extra: Any) -> str:
    event = {
        "id": f"f-{n}",
        "at": f"2026-01-05T10:{n:02d}:00+00:00",
        "type": "PAGE_VIEW",
        "identifiers": [{"type": "COOKIE", "value": "ck-file"}],
        **extra,
    }
    return json.dumps(event)


def console() -> Console:
    return Console(file=io.StringIO(), width=200, force_terminal=False)


def output(of: Console) -> str:
    assert isinstance(of.file, io.StringIO)
    return of.file.getvalue()


async def test_file_loads_and_reports_bad_lines(
    api: Api, clean_db: None, settings: Settings, tmp_path: Path
) -> None:
    lines = [
        line(1),
        "{not json",
        line(2),
        "",
        line(3, at="2026-01-05T10:03:00"),
        line(4, type="CLICK"),
        line(5, identifiers=[{"type": "EMAIL", "value": "bad email"}]),
        line(6),
    ]
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = console()
    assert await ingest_file(settings, path, batch_size=2, console=out) == 1
    text = output(out)
    assert "line 2" in text and "not JSON" in text
    assert "line 5" in text and "needs a UTC offset" in text
    assert "line 6" in text and "CLICK" in text
    assert "rejected f-5" in text
    assert await ingest_file(settings, path, batch_size=500, console=console()) == 1
    found = await api.data(
        "query($i: IdentifierInput!) { resolve(identifier: $i) { person { events { edges "
        "{ node { id } } } } } }",
        {"i": {"type": "COOKIE", "value": "ck-file"}},
    )
    ids = {e["node"]["id"] for e in found["resolve"]["person"]["events"]["edges"]}
    assert {"f-1", "f-2", "f-6"} <= ids


async def test_clean_file_exits_0(clean_db: None, settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(line(n) for n in range(1, 8)) + "\n", encoding="utf-8")
    out = console()
    assert await ingest_file(settings, path, batch_size=3, console=out) == 0
    assert "accepted" in output(out)


@pytest.mark.parametrize(
    ("description", "obj", "message"),
    [
        ("not an object", [1], "not a JSON object"),
        ("no id", {"at": "2026-01-05T10:00:00Z", "type": "CHAT", "identifiers": []}, "id"),
        ("bad time", {"id": "x", "at": "yesterday", "type": "CHAT", "identifiers": []}, "at"),
        ("bad identifier", {"id": "x", "at": "2026-01-05T10:00:00Z", "type": "CHAT",
                            "identifiers": [{"type": "IBAN", "value": "x"}]}, "identifiers[0]"),
    ],
)  # fmt: skip
def test_bad_lines(description: str, obj: object, message: str) -> None:
    with pytest.raises(BadLine, match=message.replace("[", r"\[").replace("]", r"\]")):
        raw_event(obj)


def test_good_line() -> None:
    event = raw_event(json.loads(line(1, idToken="t", channel="web", attributes={"a": 1})))
    assert event.id == "f-1"
    assert event.id_token == "t"
    assert event.attributes == {"a": 1}
    assert event.at.utcoffset() is not None


async def test_demo_world_loads(clean_db: None, settings: Settings) -> None:
    out = console()
    totals = await load_demo(settings, households=2, seed=3, console=out)
    assert totals.accepted > 50
    assert "events accepted" in output(out)
