"""Guards start-up validation of settings: a malformed structured variable stops the process
when the settings are made, and the error names the variable (not a request, later)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from graph_identity.settings import Settings

CASES = [
    ("GRAPH_IDENTITY_LIMITS", "EMAIL:many"),
    ("GRAPH_IDENTITY_LIMITS", "SSN:3"),
    ("GRAPH_IDENTITY_API_KEYS", "root:k1"),
    ("GRAPH_IDENTITY_API_KEYS", "admin"),
    ("GRAPH_IDENTITY_SCORING", "{not json"),
    ("GRAPH_IDENTITY_SCORING", '{"strength_login": 7}'),
    ("GRAPH_IDENTITY_INGEST_MODE", "fast"),
    ("GRAPH_IDENTITY_BACKLOG_BATCH", "0"),
    ("GRAPH_IDENTITY_BACKLOG_POLL_SECONDS", "-1"),
    ("GRAPH_IDENTITY_NEO4J_PAGECACHE", "2 GB"),
    ("GRAPH_IDENTITY_RECONCILE_INTERVAL", "-1"),
    ("GRAPH_IDENTITY_RECONCILE_INTERVAL", "soon"),
    ("GRAPH_IDENTITY_MAX_QUERY_COST", "0"),
    ("GRAPH_IDENTITY_MAX_QUERY_COST", "lots"),
    ("GRAPH_IDENTITY_QUERY_DEADLINE_SECONDS", "0"),
]


@pytest.mark.parametrize(("variable", "value"), CASES, ids=[f"{v}={x}" for v, x in CASES])
def test_bad_settings_fail_at_start_naming_the_variable(variable: str, value: str) -> None:
    with pytest.raises(ValidationError, match=variable):
        Settings(**{variable: value})  # type: ignore[arg-type]


def test_good_settings_parse() -> None:
    settings = Settings(
        GRAPH_IDENTITY_LIMITS="EMAIL:3",
        GRAPH_IDENTITY_API_KEYS="admin:k1,agent:k2",
        GRAPH_IDENTITY_SCORING='{"strength_login": 0.9}',
    )
    assert settings.resolution().scoring.strength_login == 0.9


def test_empty_secrets_are_unset() -> None:
    settings = Settings(GRAPH_IDENTITY_ERASURE_KEY="", GRAPH_IDENTITY_METRICS_KEY=" ")
    assert settings.erasure_key_bytes() is None
    assert settings.metrics_key_bytes() is None
    assert Settings(GRAPH_IDENTITY_METRICS_KEY="m-1").metrics_key_bytes() == b"m-1"
