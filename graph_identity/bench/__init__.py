"""``graph-identity bench``: throughput, latency and rebuild figures beside same-run baselines."""

from graph_identity.bench.runner import Result, run

__all__ = ["Result", "run"]
