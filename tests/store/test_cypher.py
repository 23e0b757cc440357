"""Guards the statement loader's start-up check: every statement name the package source uses
exists as a file, and a name used but missing fails ``check_all`` at once (not on the first
request that needs it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_identity.store.cypher import CYPHER_DIR, MissingStatement, check_all, used_names


def test_every_used_name_has_its_file() -> None:
    names = used_names()
    assert {"ingest/lock", "admin/forget_apply", "writeback/memberships"} <= names
    missing = sorted(n for n in names if not (CYPHER_DIR / "queries" / f"{n}.cypher").is_file())
    assert missing == []
    assert check_all() >= len(names)


def test_a_missing_name_fails_the_check(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "mod.py").write_text(
        'BLOCKED = ["n/a"]\n'
        'STEPS = [("admin/no_such_statement", "rows")]\n'
        'async def f(tx):\n    await run(tx, "ingest/lock")\n',
        encoding="utf-8",
    )
    assert used_names(package) == {"admin/no_such_statement", "ingest/lock"}
    with pytest.raises(MissingStatement, match="admin/no_such_statement"):
        check_all(package)
