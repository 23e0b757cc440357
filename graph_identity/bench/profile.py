"""py-spy profiles of the server under load, summarised: top functions by own samples, own
samples by package, the share of named hotspots, and the share of each layer of a request
(HTTP, GraphQL parse / validate / execute, resolvers, access log, Neo4j driver)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

PROFILE_SECONDS = 8


def top_functions(raw: str, count: int = 10) -> list[tuple[str, float]]:
    """py-spy's collapsed stacks as (function, % of samples spent in it, not its callees)."""
    own: Counter[str] = Counter()
    for frames, samples in _frames(raw):
        name, _, where = frames[-1].partition(" (")
        own[f"{name} ({where.rsplit(':', 1)[0]})"] += samples
    total = sum(own.values()) or 1
    return [(name, round(100 * n / total, 1)) for name, n in own.most_common(count)]


#: the issue's hotspots: (label, frame name); their share counts the frame and its callees
HOTSPOTS = (
    ("Neo4j DateTime hydration", "hydrate_datetime"),
    ("GraphQL parsing", "parse_document"),
    ("persons/read conversion", "person_view"),
)


def _frames(raw: str) -> Iterator[tuple[list[str], int]]:
    for line in raw.splitlines():
        stack, _, samples = line.rpartition(" ")
        if stack and samples.isdigit():
            yield stack.split(";"), int(samples)


def by_package(raw: str, count: int = 8) -> list[tuple[str, float]]:
    """Own samples per top-level package of the leaf frame (neo4j, strawberry, asyncio...)."""
    own: Counter[str] = Counter()
    for frames, samples in _frames(raw):
        where = frames[-1].partition(" (")[2].rstrip(")")
        own[where.split("/", 1)[0].split(".py", 1)[0] or "?"] += samples
    total = sum(own.values()) or 1
    return [(name, round(100 * n / total, 1)) for name, n in own.most_common(count)]


#: (layer, path fragments): a sample belongs to the layer of the innermost frame that matches
#: one (json encoding called by strawberry's HTTP view counts as HTTP, for example)
LAYERS = (
    ("Neo4j driver", ("neo4j/",)),
    ("access log", ("graph_identity/store/access_log", "graph_identity/store/group_commit")),
    ("resolvers", ("graph_identity/api/guarded", "graph_identity/api/schema",
                   "graph_identity/api/types/", "graph_identity/api/governance",
                   "graph_identity/store/")),
    ("GraphQL parse", ("graphql/language/",)),
    ("GraphQL validate", ("graphql/validation/",)),
    ("HTTP", ("uvicorn/", "starlette/", "httptools", "h11/", "strawberry/http/",
              "strawberry/asgi/", "graph_identity/app/", "graph_identity/api/auth",
              "graph_identity/api/body", "graph_identity/api/media")),
    ("GraphQL execute", ("graphql/", "strawberry/")),
)  # fmt: skip


def by_layer(raw: str) -> list[tuple[str, float]]:
    """Share of samples per layer of the request (:data:`LAYERS`; the rest is the event loop,
    logging and the interpreter's own)."""
    counts: Counter[str] = Counter()
    for frames, samples in _frames(raw):
        counts[_layer(frames)] += samples
    total = sum(counts.values()) or 1
    return [(name, round(100 * n / total, 1)) for name, n in counts.most_common()]


def _layer(frames: list[str]) -> str:
    for frame in reversed(frames):
        where = frame.partition(" (")[2]
        for name, fragments in LAYERS:
            if any(f in where for f in fragments):
                return name
    return "other (event loop, logging)"


def hotspots(raw: str) -> list[tuple[str, float]]:
    """Share of samples with each of :data:`HOTSPOTS` anywhere on the stack."""
    total = 0
    hits: Counter[str] = Counter()
    for frames, samples in _frames(raw):
        total += samples
        names = {f.partition(" (")[0].rsplit(".", 1)[-1] for f in frames}
        for label, frame in HOTSPOTS:
            if frame in names:
                hits[label] += samples
    return [(label, round(100 * hits[label] / max(total, 1), 1)) for label, _ in HOTSPOTS]


async def profile_under_load(pid: int, load: Callable[[], Awaitable[Any]]) -> tuple[str, str]:
    """Run py-spy on ``pid`` for PROFILE_SECONDS while ``load`` runs; (collapsed stacks, note)."""
    spy = shutil.which("py-spy")
    if spy is None:
        return "", "py-spy not installed (pip install -e '.[dev]')"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "profile.txt"
        command = [spy, "record", "--gil", "-r", "200", "-f", "raw", "-o", str(out)]
        process = subprocess.Popen(
            [*command, "-d", str(PROFILE_SECONDS), "-p", str(pid)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        while process.poll() is None:
            await load()
        _, err = process.communicate()
        if process.returncode != 0 or not out.exists():
            return "", f"py-spy failed: {err.decode(errors='replace')[-300:]}"
        return out.read_text(), f"py-spy --gil, {PROFILE_SECONDS} s, 200 Hz"
