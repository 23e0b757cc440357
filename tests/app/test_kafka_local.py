"""Guards the local Kafka manager: status tells the truth, start is idempotent, a bootstrap
address it cannot serve is refused naming the variable, and the CLI reports as documented."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph_identity import kafka_local
from graph_identity.kafka_local import KafkaLocalError, kafka_app, local_port, status
from tests.app.conftest import Broker


def test_status_reports_the_running_test_broker(kafka_broker: Broker, tmp_path: Path) -> None:
    assert status(tmp_path / "never-started") is None
    if kafka_broker.home is not None:  # a broker you run has no local home to ask about
        running = status(kafka_broker.home)
        assert running is not None
        assert running.bootstrap == kafka_broker.bootstrap
        again = kafka_local.start(kafka_broker.home, kafka_broker.port)  # already running
        assert again.pid == running.pid


def test_cli_status_of_a_home_without_a_broker_exits_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(kafka_app, ["status", "--home", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "not running" in result.output


@pytest.mark.parametrize(
    ("description", "bootstrap", "expected"),
    [
        ("loopback address", "127.0.0.1:9092", 9092),
        ("localhost name", "localhost:19092", 19092),
        ("first of a list", "127.0.0.1:9200,127.0.0.1:9300", 9200),
    ],
)
def test_local_port_of_a_loopback_bootstrap(
    description: str, bootstrap: str, expected: int
) -> None:
    assert local_port(bootstrap) == expected, description


def test_a_remote_bootstrap_cannot_be_a_local_broker() -> None:
    with pytest.raises(KafkaLocalError, match="GRAPH_IDENTITY_KAFKA_BOOTSTRAP"):
        local_port("kafka.example.net:9092")
