"""Guards the statement loader's start-up check: every statement name the package source uses
exists as a file, and every file (out of the test suite's ``testing/``) is used; a name used but
missing, or a file no code uses, fails ``check_all`` at once (not on the first request that
needs it, nor never)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph_identity.store.cypher import (
    CYPHER_DIR,
    PACKAGE_DIR,
    MissingStatement,
    UnusedStatement,
    check_all,
    statement_files,
    used_names,
)


def test_every_used_name_has_its_file() -> None:
    names = used_names()
    assert {"ingest/lock", "admin/forget_apply", "writeback/memberships"} <= names
    missing = sorted(n for n in names if not (CYPHER_DIR / "queries" / f"{n}.cypher").is_file())
    assert missing == []
    assert check_all() == len(statement_files()) >= len(names)


def test_every_file_is_used_by_the_package_or_only_by_tests() -> None:
    unused = statement_files() - used_names()
    assert unused and all(name.startswith("testing/") for name in unused), sorted(unused)


@pytest.fixture
def queries(tmp_path: Path) -> Path:
    """A copy of cypher/queries that a test may add files to."""
    copy = tmp_path / "queries"
    shutil.copytree(CYPHER_DIR / "queries", copy)
    return copy


def test_a_file_no_code_uses_fails_the_check(queries: Path) -> None:
    assert check_all(PACKAGE_DIR, queries) == len(statement_files())
    (queries / "writeback" / "nobody_calls_me.cypher").write_text("RETURN 1", encoding="utf-8")
    (queries / "graph" / "nor_me.cypher").write_text("RETURN 2", encoding="utf-8")
    with pytest.raises(UnusedStatement, match="graph/nor_me, writeback/nobody_calls_me"):
        check_all(PACKAGE_DIR, queries)


def test_a_statement_for_the_tests_only_passes_the_check(queries: Path) -> None:
    (queries / "testing" / "only_tests_run_me.cypher").write_text("RETURN 1", encoding="utf-8")
    assert check_all(PACKAGE_DIR, queries) == len(statement_files()) + 1


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
