"""A local Neo4j 5.26 LTS Community server on loopback, for development and tests, without Docker.

The official server tarball is not on Maven Central, so on first use ``mvn`` copies the jars of
``org.neo4j.app:neo4j-server`` and ``org.neo4j:neo4j`` into ``<cache>/dist/<version>/lib``,
shared by every server home. Each home (``<cache>/server`` by default) holds its own conf/,
data/, logs/ and run/, and the real server entry point, ``CommunityEntryPoint``, runs detached
from it. The pid file in run/ is how :func:`stop` knows which process is ours. See docs/neo4j.md.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

import neo4j
import typer
from neo4j.exceptions import AuthError, DriverError, Neo4jError
from rich.console import Console

from graph_identity import jvm
from graph_identity.settings import Settings

NEO4J_VERSION = "5.26.30"
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
#: Small on purpose: several servers (a developer's, each test session's) share one machine.
JVM_OPTIONS = ("-Xms256m", "-Xmx1g", "-XX:+ExitOnOutOfMemoryError", "-Dfile.encoding=UTF-8")
#: For short-lived servers (test sessions): C1-only JIT starts Neo4j on about half the CPU time;
#: long runs and benchmarks want the default tiered JIT.
QUICK_START_JVM_OPTIONS = (*JVM_OPTIONS, "-XX:TieredStopAtLevel=1")
HINT = "or use `docker compose up`"

_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.graph-identity</groupId>
  <artifactId>neo4j-dist</artifactId>
  <version>{v}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.neo4j.app</groupId><artifactId>neo4j-server</artifactId>
      <version>{v}</version></dependency>
    <dependency><groupId>org.neo4j</groupId><artifactId>neo4j</artifactId>
      <version>{v}</version></dependency>
  </dependencies>
</project>
"""

_CONF = """# Rewritten by graph-identity on every start (graph_identity/neo4j_local.py).
server.default_listen_address=127.0.0.1
server.bolt.listen_address=127.0.0.1:{port}
server.http.enabled=false
server.https.enabled=false
server.memory.heap.initial_size=256m
server.memory.heap.max_size={heap}
server.memory.pagecache.size={pagecache}
server.directories.data=data
server.directories.logs=logs
server.directories.plugins=plugins
server.directories.run=run
dbms.usage_report.enabled=false
# Bolt otherwise idles 5 s, twice, before exiting; nothing here needs a graceful drain.
internal.dbms.bolt.netty_server_shutdown_quiet_period=0
"""

_BOLT_PORT = re.compile(r"^server\.bolt\.listen_address=.*:(\d+)\s*$", re.MULTILINE)

Progress = jvm.Progress


#: The local server cannot be installed, started or reached; the message says why.
Neo4jLocalError = jvm.LocalServerError
java_major = jvm.java_major


@dataclass(frozen=True)
class Memory:
    """The server's JVM heap ceiling and page cache, as neo4j.conf sizes ("1g", "256m")."""

    heap: str = "1g"
    pagecache: str = "256m"


@dataclass(frozen=True)
class LocalNeo4j:
    """A running local server: its Bolt URI, JVM pid, server home and Bolt port."""

    uri: str
    pid: int
    home: Path
    port: int


def install(cache: Path, progress: Progress | None = None) -> Path:
    """The lib/ folder of Neo4j's jars under ``cache``, fetched with Maven on first use."""
    dist = cache / "dist" / NEO4J_VERSION
    pom = _POM.format(v=NEO4J_VERSION)
    return jvm.maven_jars(dist, pom, "neo4j-server-*.jar", f"Neo4j {NEO4J_VERSION}", HINT, progress)


def _pid_file(home: Path) -> Path:
    return home / "run" / "graph-identity.pid"


def _read_pid(home: Path) -> int | None:
    return jvm.read_pid(_pid_file(home))


def _port_of(home: Path) -> int | None:
    try:
        match = _BOLT_PORT.search((home / "conf" / "neo4j.conf").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return int(match.group(1)) if match else None


def _is_ours(pid: int, home: Path) -> bool:
    """True when ``pid`` is a live CommunityEntryPoint for ``home`` (a recycled pid is not)."""
    return jvm.runs(pid, ENTRY_POINT, f"--home-dir={home}")


_answers = jvm.answers


def _bolt_uri(port: int) -> str:
    return f"bolt://127.0.0.1:{port}"


def status(home: Path) -> LocalNeo4j | None:
    """The server running from ``home``, or None: pid file, live process that really is our
    entry point for this home, and its Bolt port answering."""
    home = home.resolve()
    pid, port = _read_pid(home), _port_of(home)
    if pid is None or port is None or not _is_ours(pid, home) or not _answers(port):
        return None
    return LocalNeo4j(uri=_bolt_uri(port), pid=pid, home=home, port=port)


def _check_login(uri: str, user: str, password: str, home: Path) -> bool:
    """True once Bolt serves queries; False while it is still starting. A wrong password is an
    error at once (Neo4j locks an account after a few failed attempts)."""
    try:
        with neo4j.GraphDatabase.driver(uri, auth=(user, password), connection_timeout=2) as drv:
            drv.verify_connectivity()
    except AuthError as exc:
        raise Neo4jLocalError(
            f"Neo4j in {home} rejects the password for {user!r}: this home was initialised with "
            "a different one. Set NEO4J_PASSWORD to it, or run `graph-identity neo4j stop` and "
            f"delete {home / 'data'} to start afresh with the new password."
        ) from exc
    except (DriverError, Neo4jError, OSError):
        return False
    return True


def _layout(home: Path, port: int, memory: Memory) -> None:
    for sub in ("conf", "data", "logs", "plugins", "run"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    conf = _CONF.format(port=port, heap=memory.heap, pagecache=memory.pagecache)
    (home / "conf" / "neo4j.conf").write_text(conf, encoding="utf-8")


def _admin_env(home: Path) -> dict[str, str]:
    return {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}


def _set_initial_password(java: str, lib: Path, home: Path, password: str) -> None:
    if (home / "data" / "dbms" / "auth.ini").exists() or (home / "data" / "databases").exists():
        return  # initialised before: the password is the one set then (checked at login)
    cmd = [java, "-cp", f"{lib}/*", "org.neo4j.cli.AdminTool"]
    cmd += ["dbms", "set-initial-password", password]
    done = subprocess.run(cmd, env=_admin_env(home), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise Neo4jLocalError(f"could not set the initial password:\n{done.stdout}{done.stderr}")


def jvm_heap(options: Sequence[str], memory: Memory) -> tuple[str, ...]:
    """``options`` with the heap ceiling of ``memory`` (the JVM's -Xmx wins over neo4j.conf)."""
    return (*(o for o in options if not o.startswith("-Xmx")), f"-Xmx{memory.heap}")


def _launch(java: str, lib: Path, home: Path, jvm_options: Sequence[str]) -> int:
    """Start the server detached (own session, not our child) and return its pid."""
    cmd = [java, *jvm_options, "-cp", f"{lib}/*", ENTRY_POINT]
    cmd += [f"--home-dir={home}", f"--config-dir={home / 'conf'}"]
    return jvm.launch(cmd, home / "logs" / "console.log", _pid_file(home))


def _log_tail(home: Path, lines: int = 25) -> str:
    return jvm.log_tail(home / "logs" / "console.log", lines)


def start(
    home: Path,
    port: int,
    password: str,
    *,
    timeout: float = 180,
    user: str = "neo4j",
    cache: Path | None = None,
    progress: Progress | None = None,
    jvm_options: Sequence[str] = JVM_OPTIONS,
    memory: Memory = Memory(),
) -> LocalNeo4j:
    """Start (installing on first use) the server of ``home`` on 127.0.0.1:``port`` and wait
    until Bolt accepts ``user``/``password``. Already running: returns it (its own port).
    ``cache`` holds the shared jars (default: ``Settings().neo4j_home``)."""
    home = home.resolve()
    running = status(home)
    if running:
        if not _check_login(running.uri, user, password, home):
            raise Neo4jLocalError(f"Neo4j in {home} runs (pid {running.pid}) but does not answer")
        return running
    pid = _read_pid(home)
    if pid is not None and _is_ours(pid, home):  # still starting, perhaps by another process
        launched = False
        port = _port_of(home) or port
    else:
        if _answers(port):
            raise Neo4jLocalError(
                f"127.0.0.1:{port} is in use by another process; pick another port"
            )
        java = jvm.java("Neo4j 5", HINT)
        lib = install(cache or Settings().neo4j_home, progress)
        _layout(home, port, memory)
        _set_initial_password(java, lib, home, password)
        if progress:
            progress(f"Starting Neo4j {NEO4J_VERSION} on 127.0.0.1:{port}")
        pid, launched = _launch(java, lib, home, jvm_heap(jvm_options, memory)), True
    uri = _bolt_uri(port)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _is_ours(pid, home):
            raise Neo4jLocalError(f"Neo4j exited while starting; {home}/logs:\n{_log_tail(home)}")
        try:
            if _answers(port) and _check_login(uri, user, password, home):
                return LocalNeo4j(uri=uri, pid=pid, home=home, port=port)
        except Neo4jLocalError:
            if launched:
                stop(home)
            raise
        time.sleep(0.5)
    if launched:
        stop(home)
    raise Neo4jLocalError(
        f"Neo4j did not answer on {uri} within {timeout:.0f}s:\n{_log_tail(home)}"
    )


def stop(home: Path, *, grace: float = 60) -> bool:
    """Stop the server started from ``home`` (SIGTERM, then SIGKILL after ``grace`` seconds).
    Only the pid in our pid file, and only if it really is our server. True if one was stopped."""
    home = home.resolve()
    pid = _read_pid(home)
    if pid is None:
        return False
    stopped = False
    if _is_ours(pid, home):
        jvm.terminate(pid, lambda: _is_ours(pid, home), grace)
        stopped = True
    _pid_file(home).unlink(missing_ok=True)
    return stopped


# -- command line: `graph-identity neo4j start|stop|status` --------------------------------

neo4j_app = typer.Typer(no_args_is_help=True, add_completion=False)
HomeOption = Annotated[
    Path | None, typer.Option(help="server home (default: $GRAPH_IDENTITY_NEO4J_HOME/server)")
]


def _home(settings: Settings, home: Path | None) -> Path:
    return home or settings.neo4j_home / "server"


def _settings_port(settings: Settings) -> int:
    parts = urlsplit(settings.neo4j_uri)
    if parts.hostname not in {"127.0.0.1", "localhost"}:
        raise Neo4jLocalError(
            f"NEO4J_URI is {settings.neo4j_uri}: a local server only listens on 127.0.0.1"
        )
    return parts.port or 7687


@neo4j_app.command("start")
def start_command(home: HomeOption = None) -> None:
    """Start the local server (installing Neo4j on first use); prints its bolt URI."""
    settings = Settings()
    console = Console(stderr=True)
    try:
        port = _settings_port(settings)
        with console.status("Neo4j ...") as spinner:
            server = start(
                _home(settings, home),
                port,
                settings.neo4j_password,
                user=settings.neo4j_user,
                cache=settings.neo4j_home,
                progress=lambda text: spinner.update(text + " ..."),
                memory=Memory(settings.neo4j_heap, settings.neo4j_pagecache),
            )
    except Neo4jLocalError as exc:
        console.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from exc
    console.print(f"Neo4j {NEO4J_VERSION} running (pid {server.pid}, home {server.home})")
    typer.echo(server.uri)


@neo4j_app.command("status")
def status_command(home: HomeOption = None) -> None:
    """Say whether the local server runs; exits 1 when it does not."""
    server_home = _home(Settings(), home)
    server = status(server_home)
    if server is None:
        typer.echo(f"not running (home {server_home.resolve()})")
        raise typer.Exit(1)
    typer.echo(f"running: {server.uri} (pid {server.pid}, home {server.home})")


@neo4j_app.command("stop")
def stop_command(home: HomeOption = None) -> None:
    """Stop the local server started from the home, if it runs."""
    server_home = _home(Settings(), home)
    typer.echo("stopped" if stop(server_home) else f"not running (home {server_home.resolve()})")
