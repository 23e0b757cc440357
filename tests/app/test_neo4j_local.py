"""Guards the local Neo4j manager: Java checks, status that tells the truth, idempotent start,
and a stop that leaves no server process behind."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from graph_identity import neo4j_local
from graph_identity.neo4j_local import (
    QUICK_START_JVM_OPTIONS,
    Neo4jLocalError,
    java_major,
    neo4j_app,
    start,
    status,
    stop,
)
from tests.conftest import free_port

if TYPE_CHECKING:  # conftest is pytest's to import; only its type is needed here
    from tests.conftest import Neo4jServer


def _processes_for(home: Path) -> list[int]:
    """Every live process whose command line names ``home`` (a pgrep that ignores zombies)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if f"--home-dir={home}" in cmdline.split("\0"):
            found.append(int(entry.name))
    return found


@pytest.mark.parametrize(
    ("description", "text", "expected"),
    [
        ("modern three-part version", "17.0.15", 17),
        ("legacy 1.x numbering", "1.8.0_292", 8),
        ("bare major", "21", 21),
        ("early access suffix", "22-ea", 22),
        ("java -version first line", 'openjdk version "17.0.15" 2025-04-15', 17),
        ("old java -version line", 'java version "1.8.0_292"', 8),
    ],
)
def test_java_major_parses_versions(description: str, text: str, expected: int) -> None:
    assert java_major(text) == expected, description


def test_java_major_rejects_garbage() -> None:
    with pytest.raises(ValueError, match="not a Java version"):
        java_major("command not found")


def test_status_reports_the_running_test_server(neo4j_server: Neo4jServer, tmp_path: Path) -> None:
    assert status(tmp_path / "never-started") is None
    # a session using an external or Docker Neo4j has no local home to ask about; the
    # round trip below starts a local server of its own either way
    if neo4j_server.home is not None:
        server = status(neo4j_server.home)
        assert server is not None
        assert server.uri == neo4j_server.uri
        assert server.home == neo4j_server.home
        assert server.pid in _processes_for(neo4j_server.home)


def test_status_ignores_a_pid_file_naming_another_process(tmp_path: Path) -> None:
    with socket.socket() as listener:  # the port answers, but the process is not Neo4j
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        (tmp_path / "conf").mkdir()
        (tmp_path / "run").mkdir()
        (tmp_path / "conf" / "neo4j.conf").write_text(
            f"server.bolt.listen_address=127.0.0.1:{port}\n"
        )
        (tmp_path / "run" / "graph-identity.pid").write_text("1\n")
        assert status(tmp_path) is None
        assert stop(tmp_path) is False


def test_stop_without_a_server_is_a_no_op(tmp_path: Path) -> None:
    assert stop(tmp_path) is False


def test_start_refuses_a_port_someone_else_holds(tmp_path: Path) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        with pytest.raises(Neo4jLocalError, match="in use by another process"):
            start(tmp_path / "home", listener.getsockname()[1], "a-password")


def test_status_command_says_not_running(tmp_path: Path) -> None:
    result = CliRunner().invoke(neo4j_app, ["status", "--home", str(tmp_path)])
    assert result.exit_code == 1
    assert "not running" in result.output


def test_start_stop_round_trip_leaves_no_process(tmp_path: Path) -> None:
    home = (tmp_path / "home").resolve()
    port = free_port()
    try:
        server = start(home, port, "round-trip-pw", jvm_options=QUICK_START_JVM_OPTIONS)
        assert server.uri == f"bolt://127.0.0.1:{port}"
        assert status(home) == server
        assert start(home, port, "round-trip-pw").pid == server.pid  # idempotent
        with pytest.raises(Neo4jLocalError, match="initialised with a different one"):
            start(home, port, "not-the-password")
        assert status(home) == server  # a wrong password does not stop a running server
    finally:
        stopped = stop(home)
    assert stopped is True
    assert status(home) is None
    assert _processes_for(home) == []


def test_conf_carries_the_configured_memory(tmp_path: Path) -> None:
    neo4j_local._layout(tmp_path, 17777, neo4j_local.Memory(heap="2g", pagecache="1500m"))
    conf = (tmp_path / "conf" / "neo4j.conf").read_text(encoding="utf-8")
    assert "server.memory.heap.max_size=2g\n" in conf
    assert "server.memory.pagecache.size=1500m\n" in conf
    assert "server.bolt.listen_address=127.0.0.1:17777\n" in conf
    # the JVM is launched directly: its -Xmx is what sets the heap, so it follows too
    options = neo4j_local.jvm_heap(QUICK_START_JVM_OPTIONS, neo4j_local.Memory(heap="2g"))
    assert [o for o in options if o.startswith("-Xmx")] == ["-Xmx2g"]
    assert "-XX:TieredStopAtLevel=1" in options
