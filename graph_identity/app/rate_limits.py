"""Rate limits are counted per service process (api/governance.py ``RateLimiter``): with
``serve --workers N`` a key may read N times its ``rate_limit``. :func:`per_process_warning`
says so at start-up, key by key, so the operator sizes the limits (docs/limits.md)."""

from __future__ import annotations

from graph_identity.keys import parse_api_keys
from graph_identity.settings import Settings


def per_process_warning(settings: Settings, workers: int) -> str | None:
    """The start-up warning for ``workers`` processes, or None when no limit multiplies."""
    limited = [k for k in parse_api_keys(settings.api_keys, settings.api_keys_file) if k.rate_limit]
    if workers <= 1 or not limited:
        return None
    each = "; ".join(
        f"{k.label or k.role}: {k.rate_limit} a minute per process, "
        f"up to {k.rate_limit * workers} in all"
        for k in limited
        if k.rate_limit
    )
    return (
        f"rate limits are counted per process, and {workers} workers serve: {each}. "
        f"To allow a total of T persons a minute, set rate_limit to T / {workers}."
    )
