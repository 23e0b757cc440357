"""A local Apache Kafka 4.1 broker on loopback, in KRaft mode (no ZooKeeper), for development,
the demo and the tests, managed the way :mod:`neo4j_local` manages Neo4j.

On first use ``mvn`` copies the jars of ``org.apache.kafka:kafka_2.13`` into
``<cache>/dist/<version>/lib`` (shared by every broker home). A home (``<cache>/server`` by
default) holds config/, data/, logs/ and run/. One JVM is both broker and controller: the
broker listens on the port of ``GRAPH_IDENTITY_KAFKA_BOOTSTRAP``, its controller on the next
one. The storage is formatted once with a fresh cluster id (``kafka.tools.StorageTool``), and
``kafka.Kafka`` runs detached. Point ``GRAPH_IDENTITY_KAFKA_BOOTSTRAP`` at your own cluster to
use it instead. See docs/kafka.md.
"""

from __future__ import annotations

import asyncio
import base64
import re
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from graph_identity import jvm
from graph_identity.settings import Settings

KAFKA_VERSION = "4.1.1"
ENTRY_POINT = "kafka.Kafka"
JVM_OPTIONS = ("-Xms128m", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError", "-Dfile.encoding=UTF-8")
HINT = "or point GRAPH_IDENTITY_KAFKA_BOOTSTRAP at a broker you run"

_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.graph-identity</groupId>
  <artifactId>kafka-dist</artifactId>
  <version>{v}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId>
      <version>{v}</version></dependency>
    <!-- the broker logs through slf4j 1.7; this routes it to log4j2 (logs/console.log) -->
    <dependency><groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-slf4j-impl</artifactId><version>2.24.3</version></dependency>
  </dependencies>
</project>
"""

_PROPERTIES = """# Rewritten by graph-identity on every start (graph_identity/kafka_local.py).
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:{controller}
listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller}
advertised.listeners=PLAINTEXT://127.0.0.1:{port}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs={data}
num.partitions=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
group.initial.rebalance.delay.ms=0
"""

_LOG4J = """status = warn
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.out.ref = OUT
logger.started.name = kafka.server.KafkaRaftServer
logger.started.level = INFO
"""

_PORT = re.compile(r"^listeners=PLAINTEXT://127\.0\.0\.1:(\d+),", re.MULTILINE)

KafkaLocalError = jvm.LocalServerError


@dataclass(frozen=True)
class LocalKafka:
    """A running local broker: its bootstrap address, JVM pid, home and port."""

    bootstrap: str
    pid: int
    home: Path
    port: int


def install(cache: Path, progress: jvm.Progress | None = None) -> Path:
    """The lib/ folder of the broker's jars under ``cache``, fetched with Maven on first use."""
    dist = cache / "dist" / KAFKA_VERSION
    pom = _POM.format(v=KAFKA_VERSION)
    what = f"Apache Kafka {KAFKA_VERSION}"
    return jvm.maven_jars(dist, pom, "kafka_2.13-*.jar", what, HINT, progress)


def _properties(home: Path) -> Path:
    return home / "config" / "server.properties"


def _pid_file(home: Path) -> Path:
    return home / "run" / "graph-identity.pid"


def _log(home: Path) -> Path:
    return home / "logs" / "console.log"


def _is_ours(pid: int, home: Path) -> bool:
    return jvm.runs(pid, ENTRY_POINT, str(_properties(home)))


def _port_of(home: Path) -> int | None:
    try:
        match = _PORT.search(_properties(home).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return int(match.group(1)) if match else None


def status(home: Path) -> LocalKafka | None:
    """The broker running from ``home``, or None (pid file, our live JVM, its port answering)."""
    home = home.resolve()
    pid, port = jvm.read_pid(_pid_file(home)), _port_of(home)
    if pid is None or port is None or not _is_ours(pid, home) or not jvm.answers(port):
        return None
    return LocalKafka(f"127.0.0.1:{port}", pid, home, port)


def _layout(home: Path, port: int) -> None:
    for sub in ("config", "data", "logs", "run"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    text = _PROPERTIES.format(port=port, controller=port + 1, data=home / "data")
    _properties(home).write_text(text, encoding="utf-8")
    (home / "config" / "log4j2.properties").write_text(_LOG4J, encoding="utf-8")


def _format_storage(java: str, lib: Path, home: Path) -> None:
    """Format the KRaft storage once, with a fresh cluster id (Kafka's 22-character form)."""
    if (home / "data" / "meta.properties").exists():
        return
    cluster = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
    cmd = [java, "-cp", f"{lib}/*", "kafka.tools.StorageTool", "format"]
    # "=" form: a base64url id may start with "-", which would read as an option
    cmd += [f"--cluster-id={cluster}", f"--config={_properties(home)}", "--ignore-formatted"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise KafkaLocalError(f"could not format Kafka's storage:\n{done.stdout}{done.stderr}")


def _ready(bootstrap: str) -> bool:
    """True once the broker answers a metadata request (a listening port is not enough)."""
    from aiokafka.admin import AIOKafkaAdminClient

    async def ask() -> bool:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=3000)
        try:
            await admin.start()
            await admin.list_topics()
            return True
        except Exception:  # any client failure while the broker starts means "not yet"
            return False
        finally:
            await admin.close()

    return asyncio.run(ask())


def start(
    home: Path,
    port: int,
    *,
    cache: Path | None = None,
    timeout: float = 120,
    progress: jvm.Progress | None = None,
) -> LocalKafka:
    """Start (installing on first use) the broker of ``home`` on 127.0.0.1:``port`` (its
    controller on ``port + 1``) and wait until it answers. Already running: returns it."""
    home = home.resolve()
    running = status(home)
    if running:
        return running
    for taken in (port, port + 1):
        if jvm.answers(taken):
            raise KafkaLocalError(
                f"127.0.0.1:{taken} is in use by another process; pick another port"
            )
    java = jvm.java("Kafka", HINT)
    lib = install(cache or Settings().kafka_home, progress)
    _layout(home, port)
    _format_storage(java, lib, home)
    if progress:
        progress(f"Starting Kafka {KAFKA_VERSION} on 127.0.0.1:{port}")
    log4j = f"-Dlog4j2.configurationFile={home / 'config' / 'log4j2.properties'}"
    cmd = [java, *JVM_OPTIONS, log4j, "-cp", f"{lib}/*", ENTRY_POINT, str(_properties(home))]
    pid = jvm.launch(cmd, _log(home), _pid_file(home))
    bootstrap = f"127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _is_ours(pid, home):
            raise KafkaLocalError(
                f"Kafka exited while starting; {_log(home)}:\n{jvm.log_tail(_log(home))}"
            )
        if jvm.answers(port) and _ready(bootstrap):
            return LocalKafka(bootstrap, pid, home, port)
        time.sleep(0.5)
    stop(home)
    raise KafkaLocalError(
        f"Kafka did not answer on {bootstrap} within {timeout:.0f}s:\n{jvm.log_tail(_log(home))}"
    )


def stop(home: Path, *, grace: float = 30) -> bool:
    """Stop the broker started from ``home`` (SIGTERM, then SIGKILL after ``grace`` seconds).
    Only the pid in our pid file, and only if it is our broker. True if one was stopped."""
    home = home.resolve()
    pid = jvm.read_pid(_pid_file(home))
    if pid is None:
        return False
    stopped = _is_ours(pid, home)
    if stopped:
        jvm.terminate(pid, lambda: _is_ours(pid, home), grace)
    _pid_file(home).unlink(missing_ok=True)
    return stopped


# -- command line: `graph-identity kafka start|stop|status` --------------------------------

kafka_app = typer.Typer(no_args_is_help=True, add_completion=False)
HomeOption = Annotated[
    Path | None, typer.Option(help="broker home (default: $GRAPH_IDENTITY_KAFKA_HOME/server)")
]


def _home(settings: Settings, home: Path | None) -> Path:
    return home or settings.kafka_home / "server"


def local_port(bootstrap: str) -> int:
    """The port of a loopback bootstrap address (a local broker only listens on 127.0.0.1)."""
    host, _, port = bootstrap.split(",")[0].strip().rpartition(":")
    if host not in {"127.0.0.1", "localhost"} or not port.isdigit():
        raise KafkaLocalError(
            f"GRAPH_IDENTITY_KAFKA_BOOTSTRAP is {bootstrap}: a local broker only listens on "
            "127.0.0.1:PORT"
        )
    return int(port)


@kafka_app.command("start")
def start_command(home: HomeOption = None) -> None:
    """Start the local broker (installing Kafka on first use); prints its bootstrap address."""
    settings = Settings()
    console = Console(stderr=True)
    try:
        port = local_port(settings.kafka_bootstrap)
        with console.status("Kafka ...") as spinner:
            broker = start(
                _home(settings, home),
                port,
                cache=settings.kafka_home,
                progress=lambda text: spinner.update(text + " ..."),
            )
    except KafkaLocalError as exc:
        console.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from exc
    console.print(f"Kafka {KAFKA_VERSION} running (pid {broker.pid}, home {broker.home})")
    typer.echo(broker.bootstrap)


@kafka_app.command("status")
def status_command(home: HomeOption = None) -> None:
    """Say whether the local broker runs; exits 1 when it does not."""
    broker_home = _home(Settings(), home)
    broker = status(broker_home)
    if broker is None:
        typer.echo(f"not running (home {broker_home.resolve()})")
        raise typer.Exit(1)
    typer.echo(f"running: {broker.bootstrap} (pid {broker.pid}, home {broker.home})")


@kafka_app.command("stop")
def stop_command(home: HomeOption = None) -> None:
    """Stop the local broker started from the home, if it runs."""
    broker_home = _home(Settings(), home)
    typer.echo("stopped" if stop(broker_home) else f"not running (home {broker_home.resolve()})")
