"""Guards a regular (non-editable) install: the wheel carries every Cypher statement and every
console asset, and the installed ``graph-identity migrate`` works from outside the repository
against a real Neo4j.

The wheel is built and installed without network (no build isolation, no dependencies): the
temporary virtualenv sees this environment's packages through a .pth line, while
``graph_identity`` itself comes from the wheel only."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import neo4j

if TYPE_CHECKING:
    from tests.conftest import Neo4jServer

REPO = Path(__file__).resolve().parent.parent


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


async def test_wheel_install_migrates(
    tmp_path: Path, neo4j_server: Neo4jServer, driver: neo4j.AsyncDriver
) -> None:
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
        REPO, "-w", dist, cwd=tmp_path)  # fmt: skip
    (wheel,) = dist.glob("graph_identity-*.whl")
    shipped = {n for n in zipfile.ZipFile(wheel).namelist() if n.endswith(".cypher")}
    in_repo = {
        p.relative_to(REPO / "cypher").as_posix() for p in (REPO / "cypher").rglob("*.cypher")
    }
    assert shipped == {f"graph_identity/_cypher/{n}" for n in in_repo}
    static = REPO / "graph_identity" / "console" / "static"
    console = {n for n in zipfile.ZipFile(wheel).namelist() if "/console/static/" in n}
    assert console == {
        f"graph_identity/console/static/{p.relative_to(static).as_posix()}"
        for p in static.rglob("*")
        if p.is_file()
    }
    collect = REPO / "graph_identity" / "collect" / "static"
    assert {n for n in zipfile.ZipFile(wheel).namelist() if "/collect/static/" in n} == {
        f"graph_identity/collect/static/{p.name}" for p in collect.iterdir()
    }

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--system-site-packages", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    venv_site = Path(run(python, "-c", "import site; print(site.getsitepackages()[0])",
                         cwd=tmp_path).strip())  # fmt: skip
    (venv_site / "zz_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    run(python, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", wheel,
        cwd=tmp_path)  # fmt: skip
    where = run(python, "-c", "import graph_identity.store.cypher as c; print(c.__file__); "
                "print(c.CYPHER_DIR); print(c.check_all())", cwd=tmp_path).split()  # fmt: skip
    assert all(Path(p).is_relative_to(venv) for p in where[:2]), where

    await driver.execute_query("MATCH (s:SchemaVersion) DETACH DELETE s")
    env = {
        **os.environ,
        "NEO4J_URI": neo4j_server.uri,
        "NEO4J_USER": neo4j_server.user,
        "NEO4J_PASSWORD": neo4j_server.password,
        "NEO4J_DATABASE": neo4j_server.database,
    }
    out = run(venv / "bin" / "graph-identity", "migrate", cwd=tmp_path, env=env)
    assert "schema applied" in out
    records, _, _ = await driver.execute_query("MATCH (s:SchemaVersion) RETURN count(s) AS n")
    assert records[0]["n"] == 1
