"""What the benchmarks read off the machine: the load average, a process's CPU time, and which
process is Neo4j (found by its Bolt port, so any local server counts, however it was started).

Every figure is printed with the load average, and CPU per request or per batch is given beside
latency because it hardly depends on what else the machine runs.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from urllib.parse import urlparse

from graph_identity.settings import Settings

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def load_average() -> list[float]:
    """The 1, 5 and 15 minute load averages, rounded."""
    return [round(x, 2) for x in os.getloadavg()]


def process_cpu_seconds(pid: int | None) -> float:
    """User + system CPU of ``pid`` and its live child processes (the workers), from /proc;
    0 when ``pid`` is None."""
    if pid is None:
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def listening_pid(port: int) -> int | None:
    """The process listening on loopback TCP ``port`` (Neo4j's Bolt port), from /proc; None
    when it is not visible (another user's, or in a container)."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(f"socket:[{fields[9]}]")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if any(os.readlink(fd) in inodes for fd in (entry / "fd").iterdir()):
                return int(entry.name)
    return None


def neo4j_pid(settings: Settings) -> int | None:
    """The Neo4j process behind ``NEO4J_URI`` when it runs on this machine, else None."""
    uri = urlparse(settings.neo4j_uri)
    if uri.hostname not in LOOPBACK:
        return None
    return listening_pid(uri.port or 7687)
