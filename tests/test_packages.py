"""Each layer's package says what it offers: its ``__init__.py`` docstring names every module
in it (docs/layout.md), so a newcomer reads the package's face before its rooms; and importing
the packages loads nothing heavy (no driver, no GraphQL or web library)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "graph_identity"
LAYERS = ["domain", "store", "api", "app"]


def unnamed_modules(package: Path) -> list[str]:
    """The modules and subpackages of ``package`` its docstring does not name (``name``)."""
    docstring = ast.get_docstring(ast.parse((package / "__init__.py").read_text())) or ""
    modules = [p.stem for p in package.glob("*.py") if p.name != "__init__.py"]
    modules += [p.name for p in package.iterdir() if (p / "__init__.py").is_file()]
    return sorted(
        m for m in modules if f"``{m}``" not in docstring and f"``{m}." not in docstring
        and f"``{m}/``" not in docstring
    )  # fmt: skip


@pytest.mark.parametrize("layer", LAYERS)
def test_the_package_names_its_modules(layer: str) -> None:
    assert unnamed_modules(PACKAGE / layer) == []


def test_the_check_sees_a_module_left_unnamed(tmp_path: Path) -> None:
    (tmp_path / "__init__.py").write_text('"""``named``: yes; ``sub/``: a package."""\n')
    for name in ("named.py", "forgotten.py"):
        (tmp_path / name).write_text("")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "__init__.py").write_text("")
    assert unnamed_modules(tmp_path) == ["forgotten"]


def test_importing_the_packages_loads_nothing_heavy() -> None:
    code = (
        "import sys\n"
        + "".join(f"import graph_identity.{layer}\n" for layer in LAYERS)
        + "print(sorted(m for m in ('neo4j', 'strawberry', 'starlette', 'uvicorn', 'graphql',"
        " 'numpy', 'scipy') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
