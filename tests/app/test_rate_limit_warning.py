"""Guards the start-up warning that rate limits are counted per process: with
``serve --workers 2`` a key limited to 30 persons a minute may read 60, and the log says so,
with the figure to set instead (docs/limits.md)."""

from __future__ import annotations

import json

from graph_identity.app.rate_limits import per_process_warning
from graph_identity.settings import Settings

KEYS = json.dumps(
    [
        {"key": "k-assistant", "role": "agent", "label": "assistant", "rate_limit": 30},
        {"key": "k-admin", "role": "admin"},
    ]
)


def test_two_workers_name_the_multiplied_limit() -> None:
    warning = per_process_warning(Settings(GRAPH_IDENTITY_API_KEYS=KEYS), 2)
    assert warning is not None
    assert "assistant: 30 a minute per process, up to 60 in all" in warning
    assert "rate_limit to T / 2" in warning


def test_one_worker_or_no_limit_is_quiet() -> None:
    assert per_process_warning(Settings(GRAPH_IDENTITY_API_KEYS=KEYS), 1) is None
    assert per_process_warning(Settings(GRAPH_IDENTITY_API_KEYS="admin:k"), 4) is None
