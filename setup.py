"""Packaging beyond what pyproject.toml can say: the top-level ``cypher/`` directory ships
inside the wheel as ``graph_identity._cypher`` (without moving it in the repository), so a
regular ``pip install .`` carries every statement; graph_identity/store/cypher.py reads it
with importlib.resources and falls back to the source tree."""

from setuptools import find_packages, setup

setup(
    packages=[
        *find_packages(include=["graph_identity", "graph_identity.*"]),
        "graph_identity._cypher",
    ],
    package_dir={"graph_identity._cypher": "cypher"},
    package_data={
        "graph_identity._cypher": ["*/*.cypher", "*/*/*.cypher", "*/*/*/*.cypher"],
        "graph_identity.console": ["static/*", "static/*/*", "static/*/*/*"],
        "graph_identity.collect": ["static/*"],
    },
    include_package_data=False,
)
