"""Import direction (STYLE.md rule 1): `domain` imports no database, GraphQL or web code nor any
outer layer; `store` imports nothing from `api`/`app` or the web stack; `simulator` imports
nothing from `store`/`api`/`app`. Checked by parsing the sources with `ast`, never importing."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "graph_identity"

RULES = [
    (
        "domain",
        (
            "neo4j",
            "strawberry",
            "starlette",
            "uvicorn",
            "graph_identity.store",
            "graph_identity.api",
            "graph_identity.app",
        ),
    ),
    # the Segment Spec mapping is as pure as the domain (the HTTP source is app/collect.py)
    (
        "collect",
        (
            "neo4j",
            "strawberry",
            "starlette",
            "uvicorn",
            "pydantic_settings",
            "graph_identity.store",
            "graph_identity.api",
            "graph_identity.app",
            "graph_identity.settings",
        ),
    ),
    ("store", ("strawberry", "starlette", "uvicorn", "graph_identity.api", "graph_identity.app")),
    ("simulator", ("graph_identity.store", "graph_identity.api", "graph_identity.app")),
    # The console reaches the data only through /graphql with the user's token (issue 10).
    (
        "console",
        ("neo4j", "strawberry", "graph_identity.store", "graph_identity.api", "graph_identity.app"),
    ),
]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Absolute names of every module ``source`` imports, wherever the import statement is."""
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            found.add(prefix)
            # `from graph_identity import store` imports graph_identity.store
            found |= {f"{prefix}.{alias.name}" for alias in node.names if alias.name != "*"}
    return found


def violates(name: str, forbidden: tuple[str, ...]) -> bool:
    return any(name == f or name.startswith(f + ".") for f in forbidden)


def sources(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


@pytest.mark.parametrize(("layer", "forbidden"), RULES, ids=[r[0] for r in RULES])
def test_layer_imports_point_inwards(layer: str, forbidden: tuple[str, ...]) -> None:
    files = sources(layer)
    assert files, f"no sources under graph_identity/{layer}"
    offences = []
    for path in files:
        module = module_name(path)
        names = imports(path.read_text(), module, is_package=path.name == "__init__.py")
        offences += [f"{module} imports {n}" for n in sorted(names) if violates(n, forbidden)]
    assert offences == []


@pytest.mark.parametrize(
    ("description", "source", "module", "expected"),
    [
        ("plain import", "import neo4j.exceptions", "graph_identity.domain.x", True),
        ("from import", "from starlette.requests import Request", "graph_identity.domain.x", True),
        (
            "inside a function",
            "def f():\n    import strawberry\n",
            "graph_identity.domain.x",
            True,
        ),
        (
            "under TYPE_CHECKING",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from neo4j import Driver\n",
            "graph_identity.domain.x",
            True,
        ),
        (
            "outer layer by name",
            "from graph_identity import store",
            "graph_identity.domain.x",
            True,
        ),
        ("outer layer, relative", "from ..store import cypher", "graph_identity.domain.x", True),
        ("outer layer, relative", "from ..api.schema import s", "graph_identity.domain.x", True),
        ("same layer, relative", "from .events import Event", "graph_identity.domain.x", False),
        ("a name that only starts alike", "import neo4jx", "graph_identity.domain.x", False),
        ("stdlib", "import json\nfrom datetime import UTC", "graph_identity.domain.x", False),
        (
            "inner layer",
            "from graph_identity.domain import events",
            "graph_identity.store.x",
            False,
        ),
    ],
)
def test_the_checker_sees_every_kind_of_import(
    description: str, source: str, module: str, expected: bool
) -> None:
    forbidden = dict(RULES)["domain"]
    found = imports(source, module)
    assert any(violates(n, forbidden) for n in found) is expected, (description, found)
