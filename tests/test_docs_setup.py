"""Guards what a new user reads and runs before any query: the README's configuration table
renders as one table, `graph-identity --help` speaks to users, and docker-compose.yml uses the
README's development keys and loads the demo world its examples answer from."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    return README.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_configuration_table_is_one_table_with_every_variable() -> None:
    text = section("Configuration")
    documented = re.findall(r"^\| `([A-Z0-9_]+)`", text, flags=re.M)
    assert "PORT" in documented and "NEO4J_URI" in documented
    tokens = MarkdownIt().enable("table").parse(text)
    tables = [t for t in tokens if t.type == "table_open"]
    assert len(tables) == 1, f"the configuration table renders as {len(tables)} tables"
    cells = [
        t.content
        for n, t in enumerate(tokens)
        if t.type == "inline" and tokens[n - 1].type == "td_open"
    ]
    for variable in documented:
        assert any(cell.startswith(f"`{variable}`") for cell in cells), variable


def cli_help(*args: str) -> str:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    done = subprocess.run(
        [sys.executable, "-m", "graph_identity.app.cli", *args, "--help"],
        capture_output=True, text=True, env=env, timeout=60, check=True,
    )  # fmt: skip
    return done.stdout


def test_cli_help_gives_each_command_a_users_one_liner() -> None:
    top = cli_help()
    assert "``" not in top and "delegates" not in top and "module" not in top, top
    rows = re.findall(r"^[│|]\s+([a-z0-9-]+)\s{2,}(.+?)\s*[│|]$", top, flags=re.M)
    commands = dict(rows)
    expected = {"serve", "migrate", "ingest", "demo", "rebuild", "check", "backlog", "reconcile"}
    assert expected <= set(commands), top
    for name, line in commands.items():
        assert line.endswith("."), (name, line)  # one whole sentence on one line
        assert "``" not in line and "cypher/" not in line and "README" not in line, (name, line)
    for name in expected:
        assert "``" not in cli_help(name), name


def test_compose_uses_the_readme_keys_and_loads_the_demo() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    service = compose["services"]["graph-identity"]
    keys = service["environment"]["GRAPH_IDENTITY_API_KEYS"]
    default = re.fullmatch(r"\$\{GRAPH_IDENTITY_API_KEYS:-(.*)\}", keys)
    assert default, keys
    pairs = dict(pair.split(":", 1) for pair in default.group(1).split(","))
    for role in ("admin", "agent", "fraud", "ingest"):
        assert f"dev-{role}" in section("Two commands"), role
        assert pairs[role] == f"dev-{role}", pairs
    command = " ".join(service["command"])
    assert re.search(r"graph-identity demo && exec graph-identity serve", command), command
