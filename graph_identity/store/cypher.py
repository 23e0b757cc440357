"""Every Cypher statement lives in ``cypher/`` as a file; this is the one way to read them.

``query("persons/read_person")`` returns ``cypher/queries/persons/read_person.cypher``.
:func:`check_all` is called at start-up so a missing statement fails the service at once, not
on the first request that needs it: it reads every file and every name the package source
uses (:func:`used_names`), so a deleted file is found too, and a file that no name uses (dead
text that reads as if it ran) fails it as well. Statements under ``testing/`` serve the test
suite only and are not required to be used by the package. See docs/layout.md.

Where the files are: inside the installed package as ``graph_identity._cypher`` (setup.py
ships the top-level ``cypher/`` directory there), else the source tree's ``cypher/``.
"""

from __future__ import annotations

import ast
import importlib.resources
import re
from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]


def _cypher_dir() -> Path:
    try:
        shipped = Path(str(importlib.resources.files("graph_identity._cypher")))
    except (ModuleNotFoundError, TypeError):
        shipped = None
    if shipped is not None and (shipped / "queries").is_dir():
        return shipped
    return PACKAGE_DIR.parent / "cypher"


CYPHER_DIR = _cypher_dir()
_NAME = re.compile(r"^[a-z0-9_]+(/[a-z0-9_]+)*$")

#: Labels that may be put into query text; everything else goes in as a $parameter.
IDENTIFIER_LABELS = frozenset({"Cookie", "Device", "Email", "Phone", "Account"})


#: Areas of statements that only the test suite runs (the package never names them).
TEST_AREAS = frozenset({"testing"})


class MissingStatement(LookupError):
    pass


class UnusedStatement(LookupError):
    """Statement files that no name in the package uses."""


@cache
def query(name: str) -> str:
    """The statement called ``name`` (a path under cypher/queries without the suffix)."""
    if not _NAME.match(name):
        raise MissingStatement(f"bad statement name {name!r}")
    path = CYPHER_DIR / "queries" / f"{name}.cypher"
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise MissingStatement(f"no Cypher statement {name!r} at {path}") from exc


def schema_statements() -> list[tuple[str, str]]:
    """(file name, statement) for every schema file, in order; files may hold several
    statements separated by ``;``."""
    statements: list[tuple[str, str]] = []
    for path in sorted((CYPHER_DIR / "schema").glob("*.cypher")):
        lines = path.read_text(encoding="utf-8").splitlines()
        code = "\n".join(line for line in lines if not line.strip().startswith("//"))
        statements += [(path.name, part.strip()) for part in code.split(";") if part.strip()]
    return statements


def used_names(package: Path = PACKAGE_DIR, areas: frozenset[str] | None = None) -> set[str]:
    """Statement names the package source spells out: string literals shaped like a name
    (``area/verb``) whose area is a directory under cypher/queries (so ``"n/a"`` is not one)."""
    if areas is None:
        areas = frozenset(p.name for p in (CYPHER_DIR / "queries").iterdir() if p.is_dir())
    found: set[str] = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
                if "/" in text and _NAME.match(text) and text.split("/")[0] in areas:
                    found.add(text)
    return found


def statement_files(queries: Path | None = None) -> set[str]:
    """The name of every statement file under ``queries`` (cypher/queries by default)."""
    queries = queries or CYPHER_DIR / "queries"
    return {p.relative_to(queries).with_suffix("").as_posix() for p in queries.rglob("*.cypher")}


def check_all(package: Path = PACKAGE_DIR, queries: Path | None = None) -> int:
    """Read every statement file and every name the code uses once; raises MissingStatement
    when one is missing or the directory is empty, and UnusedStatement naming every file (out
    of ``testing/``) that no name in ``package`` uses."""
    queries = queries or CYPHER_DIR / "queries"
    files = statement_files(queries)
    if not files:
        raise MissingStatement(f"no statements under {queries}")
    used = used_names(package, frozenset(p.name for p in queries.iterdir() if p.is_dir()))
    missing = sorted(used - files)
    if missing:
        raise MissingStatement(f"no Cypher statement for {', '.join(missing)} under {queries}")
    unused = sorted(n for n in files - used if n.split("/")[0] not in TEST_AREAS)
    if unused:
        raise UnusedStatement(
            f"Cypher statements no code uses: {', '.join(unused)} (under {queries}; "
            "delete them or use them)"
        )
    for name in sorted(files):
        (queries / f"{name}.cypher").read_text(encoding="utf-8")
    return len(files)


def identifier_label(type_name: str) -> str:
    """The node label for an identifier type, from the allowlist only."""
    label = type_name.capitalize()
    if label not in IDENTIFIER_LABELS:
        raise ValueError(f"not an identifier label: {type_name!r}")
    return label
