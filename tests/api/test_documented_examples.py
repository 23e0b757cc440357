"""Guards the documentation: every GraphQL example in README.md and docs/, run against the
demo world (`graph-identity demo`), answers something and no error. Admin mutations that name
person or audit ids (`"p_4f1c..."`) are templates: they must validate against the schema."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphql import parse, validate
from rich.console import Console

from graph_identity.api.schema import schema
from graph_identity.app.loader import load_demo

if TYPE_CHECKING:
    from tests.api.conftest import Api

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: ids only a live database knows: an example naming one is a template
PLACEHOLDER = re.compile(r'"(p_[0-9a-f]{4}\.\.\.|p_\.\.\.|p_[ab]|a_17\.\.\.)"')
VARIABLES = {"Caller": {"email": "ann@example.com"}}


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def operations(block: str) -> list[str]:
    """The top-level operations of a block (comments dropped), split where braces close."""
    text = "\n".join(line.split("#", 1)[0] for line in block.splitlines())
    found, depth, start = [], 0, 0
    for n, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                found.append(text[start : n + 1].strip())
                start = n + 1
    return found


def examples() -> list[tuple[str, str]]:
    return [
        (path.name, op)
        for path in DOCS
        for block in blocks(path.read_text(encoding="utf-8"), "graphql")
        for op in operations(block)
    ]


def documented_events() -> list[dict[str, Any]]:
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    body = next(b for b in blocks(text, "json") if '"events"' in b)
    events: list[dict[str, Any]] = json.loads(body)["events"]
    for event in events:
        event.pop("idToken", None)  # a placeholder token: verifying it is not the point here
    return events


def answered(name: str, value: Any) -> bool:
    """Whether a root field's value says something (not null, not an empty page or list)."""
    if value is None or value == []:
        return False
    if isinstance(value, dict):
        if "edges" in value:
            return bool(value["edges"])
        if "candidates" in value:
            return value.get("person") is not None or bool(value["candidates"])
        for key in ("steps", "nodes"):
            if key in value:
                return bool(value[key])
    return True


async def test_every_documented_example_answers(api: Api, clean_db: None) -> None:
    await load_demo(api.settings, console=Console(quiet=True))
    found = examples()
    assert len(found) >= 20, "the examples were not found"
    ran = 0
    for where, op in found:
        document = parse(op)
        assert validate(schema._schema, document) == [], (where, op)
        if PLACEHOLDER.search(op):
            continue
        name = re.match(r"(?:query|mutation)\s+(\w+)", op)
        variables = VARIABLES.get(name.group(1), {}) if name else {}
        if "$events" in op:
            variables = {"events": documented_events()}
        body = await api.gql(op, variables, role="admin")
        assert not body.get("errors"), (where, op, body["errors"])
        for field, value in body["data"].items():
            assert answered(field, value), (where, op, body["data"])
        ran += 1
    assert ran >= 15
