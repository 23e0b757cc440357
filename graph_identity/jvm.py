"""What the local Neo4j and the local Kafka broker share: Java servers whose jars come from Maven
Central, launched detached from a home of their own and known by a pid file.

Each server module (:mod:`neo4j_local`, :mod:`kafka_local`) says which artifacts to fetch, how
to lay out its home and which entry point to run; this module fetches the jars once into a
shared cache, starts the JVM so that it outlives the command that started it, and tells whether
a pid is still that server (a recycled pid is not).
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

MIN_JAVA = 17

Progress = Callable[[str], None]


class LocalServerError(RuntimeError):
    """A local server cannot be installed, started or reached; the message says why."""


def java_major(version: str) -> int:
    """The major version from ``java -version`` output or a bare version ("1.8.0_292" is 8)."""
    quoted = re.search(r'"([^"]+)"', version)
    match = re.match(r"(\d+)(?:\.(\d+))?", (quoted.group(1) if quoted else version).strip())
    if not match:
        raise ValueError(f"not a Java version: {version!r}")
    major = int(match.group(1))
    return int(match.group(2)) if major == 1 and match.group(2) else major


def java(what: str, hint: str) -> str:
    """The ``java`` to run ``what`` with (JAVA_HOME first, else PATH), checked to be 17+."""
    java_home = os.environ.get("JAVA_HOME")
    found = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    if not found or not Path(found).exists():
        raise LocalServerError(
            f"Java {MIN_JAVA}+ is needed to run {what} locally: install it, {hint}"
        )
    out = subprocess.run([found, "-version"], capture_output=True, text=True, check=False)
    major = java_major(out.stderr or out.stdout)
    if major < MIN_JAVA:
        raise LocalServerError(
            f"{found} is Java {major}; {what} needs {MIN_JAVA}+: upgrade, {hint}"
        )
    return found


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive file lock (several processes may install or start at once)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def maven_jars(
    dist: Path, pom: str, marker: str, what: str, hint: str, progress: Progress | None
) -> Path:
    """``dist``/lib with the jars ``pom`` depends on, fetched by ``mvn`` on first use.

    ``marker`` is a glob that must match a jar of a good fetch (``neo4j-server-*.jar``);
    ``lib/.complete`` marks a finished install, so an interrupted one is redone."""
    lib = dist / "lib"
    with locked(dist.parent / f".{dist.name}.lock"):
        if (lib / ".complete").exists():
            return lib
        mvn = shutil.which("mvn")
        if not mvn:
            raise LocalServerError(
                f"Maven (mvn) is needed to fetch {what} on first use: install it, {hint}"
            )
        if progress:
            progress(f"Fetching {what} from Maven Central (first use only)")
        dist.mkdir(parents=True, exist_ok=True)
        (dist / "pom.xml").write_text(pom, encoding="utf-8")
        partial = dist / "lib.partial"
        shutil.rmtree(partial, ignore_errors=True)
        cmd = [mvn, "-q", "-B", "dependency:copy-dependencies", f"-DoutputDirectory={partial}"]
        done = subprocess.run(cmd, cwd=dist, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not any(partial.glob(marker)):
            tail = (done.stdout + done.stderr)[-2000:]
            raise LocalServerError(f"mvn could not fetch {what} ({hint}):\n{tail}")
        (partial / ".complete").touch()
        shutil.rmtree(lib, ignore_errors=True)
        partial.rename(lib)
    return lib


def read_pid(pid_file: Path) -> int | None:
    try:
        return int(pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def runs(pid: int, entry_point: str, home_argument: str) -> bool:
    """True when ``pid`` is a live JVM running ``entry_point`` with ``home_argument`` among its
    arguments (a recycled pid, or a zombie with an empty command line, is not)."""
    if Path("/proc/self").exists():
        try:
            raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return False
        args = raw.decode(errors="replace").split("\0")
        return entry_point in args and home_argument in args
    ps = subprocess.run(["ps", "-o", "args=", "-p", str(pid)], capture_output=True, text=True)
    return entry_point in ps.stdout and f"{home_argument} " in f"{ps.stdout} "


def answers(port: int) -> bool:
    """True when something accepts TCP connections on 127.0.0.1:``port``."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def launch(cmd: Sequence[str], log: Path, pid_file: Path) -> int:
    """Start ``cmd`` detached (own session, not our child), output appended to ``log``; writes
    and returns its pid."""
    # sh backgrounds the JVM and exits, so init adopts it: it outlives us and never lingers
    # as our zombie or unreaped child. ($! is the JVM's pid: the background child execs java.)
    script = 'log=$1; shift; "$@" >>"$log" 2>&1 </dev/null & echo $!'
    out = subprocess.run(
        ["sh", "-c", script, "sh", str(log), *cmd],
        capture_output=True,
        text=True,
        check=True,
        start_new_session=True,
    )
    pid = int(out.stdout.strip())
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    pid_file.write_text(f"{pid}\n")
    return pid


def terminate(pid: int, alive: Callable[[], bool], grace: float) -> None:
    """SIGTERM ``pid``, then SIGKILL once ``grace`` seconds pass while ``alive()`` holds."""
    with suppress(ProcessLookupError):  # it may exit on its own meanwhile
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while alive() and time.monotonic() < deadline:
            time.sleep(0.2)
        if alive():
            os.kill(pid, signal.SIGKILL)
            while alive():
                time.sleep(0.1)


def log_tail(log: Path, lines: int = 25) -> str:
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return f"(no {log.name})"
    return "\n".join(text.splitlines()[-lines:])
