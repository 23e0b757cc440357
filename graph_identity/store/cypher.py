"""Every Cypher statement lives in ``cypher/`` as a file; this is the one way to read them.

``query("persons/read_person")`` returns ``cypher/queries/persons/read_person.cypher``.
:func:`check_all` is called at start-up so a missing statement fails the service at once, not
on the first request that needs it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

CYPHER_DIR = Path(__file__).resolve().parents[2] / "cypher"
_NAME = re.compile(r"^[a-z0-9_]+(/[a-z0-9_]+)*$")

#: Labels that may be put into query text; everything else goes in as a $parameter.
IDENTIFIER_LABELS = frozenset({"Cookie", "Device", "Email", "Phone", "Account"})


class MissingStatement(LookupError):
    pass


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


def check_all() -> int:
    """Read every statement once; raises MissingStatement if the directory is incomplete."""
    names = [
        p.relative_to(CYPHER_DIR / "queries").with_suffix("").as_posix()
        for p in (CYPHER_DIR / "queries").rglob("*.cypher")
    ]
    if not names:
        raise MissingStatement(f"no statements under {CYPHER_DIR / 'queries'}")
    for name in names:
        query(name)
    return len(names)


def identifier_label(type_name: str) -> str:
    """The node label for an identifier type, from the allowlist only."""
    label = type_name.capitalize()
    if label not in IDENTIFIER_LABELS:
        raise ValueError(f"not an identifier label: {type_name!r}")
    return label
