"""Import direction (docs/layout.md): `domain` imports no database, GraphQL or web code nor any
outer layer; `store` imports nothing from `api`/`app` or the web stack; `api` nothing from
`app`, `console` or `bench`; `bench` nothing from `app` (which runs it: `graph-identity bench`),
so the two meet only in `connect.py`; the configuration
(`settings`, `keys`) and `simulator` nothing from `store`/`api`/`app`. Every rule holds for what
a module reaches through the package's other modules too (the transitive closure), so a leak
cannot hide one import away. Checked by parsing the sources with `ast`, never importing."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "graph_identity"

WEB = ("strawberry", "starlette", "uvicorn")
OUTER = (
    "graph_identity.api",
    "graph_identity.app",
    "graph_identity.console",
    "graph_identity.bench",
)

RULES = [
    ("domain", ("neo4j", *WEB, "graph_identity.store", "graph_identity.settings", *OUTER)),
    # the Segment Spec mapping is as pure as the domain (the HTTP source is app/collect.py)
    ("collect", ("neo4j", *WEB, "pydantic_settings", "graph_identity.store",
                 "graph_identity.settings", *OUTER)),
    ("store", (*WEB, "graph_identity.settings", *OUTER)),
    ("api", ("uvicorn", "graph_identity.app", "graph_identity.console", "graph_identity.bench")),
    ("bench", ("graph_identity.app", "graph_identity.api", "graph_identity.console")),
    ("settings", ("neo4j", *WEB, "graph_identity.store", *OUTER)),
    ("keys", ("neo4j", *WEB, "graph_identity.store", *OUTER)),
    ("simulator", ("neo4j", "graph_identity.store", *OUTER)),
    # The console reaches the data only through /graphql with the user's token (docs/console.md).
    ("console", ("neo4j", "strawberry", "graph_identity.store", "graph_identity.api",
                 "graph_identity.app", "graph_identity.bench")),
]  # fmt: skip


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
    """The files of a package (``store``) or of a top-level module (``settings``)."""
    if (PACKAGE / f"{layer}.py").is_file():
        return [PACKAGE / f"{layer}.py"]
    return sorted((PACKAGE / layer).rglob("*.py"))


def import_graph() -> dict[str, set[str]]:
    """Every module of the package and the names its source imports."""
    return {
        module_name(path): imports(
            path.read_text(), module_name(path), is_package=path.name == "__init__.py"
        )
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def own_module(name: str, graph: Mapping[str, set[str]]) -> str | None:
    """The package's module that importing ``name`` runs (``a.b.func`` -> ``a.b``), if any."""
    while name:
        if name in graph:
            return name
        name = name.rpartition(".")[0]
    return None


def reached(start: str, graph: Mapping[str, set[str]]) -> dict[str, list[str]]:
    """Every module ``start`` imports directly or through other modules of the package (and
    the packages above each, whose ``__init__`` runs first), with the chain that gets there."""
    chains = {start: [start]}
    todo = [start]
    while todo:
        current = todo.pop()
        for name in sorted(graph[current]):
            target = own_module(name, graph)
            while target and target not in chains:
                chains[target] = [*chains[current], target]
                todo.append(target)
                target = own_module(target.rpartition(".")[0], graph)
    return chains


def offences(
    modules: list[str], forbidden: tuple[str, ...], graph: Mapping[str, set[str]]
) -> list[str]:
    """``a -> b -> c imports x`` for every forbidden ``x`` the modules reach."""
    found = set()
    for module in modules:
        for target, chain in reached(module, graph).items():
            found |= {
                f"{' -> '.join(chain)} imports {name}"
                for name in graph[target]
                if violates(name, forbidden)
            }
    return sorted(found)


@pytest.mark.parametrize(("layer", "forbidden"), RULES, ids=[r[0] for r in RULES])
def test_layer_imports_point_inwards(layer: str, forbidden: tuple[str, ...]) -> None:
    files = sources(layer)
    assert files, f"no sources under graph_identity/{layer}"
    assert offences([module_name(p) for p in files], forbidden, import_graph()) == []


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


#: A small package for the transitive checks: ``pkg.inner.a`` reaches ``neo4j`` only through
#: ``pkg.config`` (a function's import) and ``pkg.inner.b``; ``pkg.web`` runs ``pkg.outer``'s
#: ``__init__``, which imports starlette, by importing a module under it.
GRAPH = {
    "pkg": set(),
    "pkg.inner": set(),
    "pkg.inner.a": {"pkg.inner.b", "pkg.inner.b.helper", "json"},
    "pkg.inner.b": {"pkg.config"},
    "pkg.config": {"neo4j.exceptions"},
    "pkg.clean": {"pkg.inner", "json"},
    "pkg.outer": {"starlette"},
    "pkg.outer.x": set(),
    "pkg.web": {"pkg.outer.x"},
}


@pytest.mark.parametrize(
    ("description", "module", "forbidden", "expected"),
    [
        (
            "two steps away",
            "pkg.inner.a",
            ("neo4j",),
            ["pkg.inner.a -> pkg.inner.b -> pkg.config imports neo4j.exceptions"],
        ),
        ("a forbidden module of the package, reached", "pkg.inner.a", ("pkg.config",), [
            "pkg.inner.a -> pkg.inner.b imports pkg.config"
        ]),
        ("a package's __init__ runs first", "pkg.web", ("starlette",), [
            "pkg.web -> pkg.outer imports starlette"
        ]),
        ("nothing forbidden reached", "pkg.clean", ("neo4j", "starlette"), []),
        ("a cycle ends", "pkg.inner", ("neo4j",), []),
    ],
)  # fmt: skip
def test_the_checker_follows_imports_through_the_package(
    description: str, module: str, forbidden: tuple[str, ...], expected: list[str]
) -> None:
    assert offences([module], forbidden, GRAPH) == expected, description


def test_the_checker_finds_a_leak_in_this_package() -> None:
    """A rule that the package breaks today is reported: the checker reads the real sources."""
    graph = import_graph()
    assert offences(["graph_identity.app.cli"], ("graph_identity.store",), graph)
    assert offences(["graph_identity.api.schema"], ("neo4j",), graph)
