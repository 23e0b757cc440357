"""Guards `graph-identity serve`'s port: `--port`, else the `PORT` environment variable (as
documented in README's configuration table), else 8000."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from graph_identity.app import server
from graph_identity.app.cli import app


@pytest.mark.parametrize(
    ("description", "args", "env", "expected"),
    [
        ("default", [], {}, 8000),
        ("from PORT", [], {"PORT": "9123"}, 9123),
        ("--port wins over PORT", ["--port", "9001"], {"PORT": "9123"}, 9001),
    ],
)
def test_serve_port(
    monkeypatch: pytest.MonkeyPatch,
    description: str,
    args: list[str],
    env: dict[str, str],
    expected: int,
) -> None:
    monkeypatch.delenv("PORT", raising=False)
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(server, "run", lambda settings, **kw: calls.append(kw))
    result = CliRunner().invoke(app, ["serve", *args], env=env)
    assert result.exit_code == 0, result.output
    assert calls == [{"host": "127.0.0.1", "port": expected, "workers": 1}], description
