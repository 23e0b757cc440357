"""``python -m graph_identity.simulator``: generate a world, time it, optionally write it out.

    python -m graph_identity.simulator --identifiers 1000000
    python -m graph_identity.simulator --households 40 --events demo.jsonl --truth truth.json

``--identifiers`` sizes the world from a small pilot run (identifiers per household). The
garbage collector is paused while generating: the simulator makes no reference cycles, and
collections over millions of young objects cost a fifth of the run.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path
from typing import TextIO

from graph_identity.simulator.truth import TruthBuilder
from graph_identity.simulator.world import WorldConfig, iter_events

PILOT_HOUSEHOLDS = 400


def households_for(identifiers: int, seed: int) -> int:
    """How many households give about ``identifiers`` identifiers."""
    builder = TruthBuilder()
    pilot = WorldConfig(households=PILOT_HOUSEHOLDS, seed=seed)
    for _ in iter_events(pilot, truth=builder):
        pass
    truth = builder.build()
    per_household = (len(truth.person_of) + len(truth.shared)) / PILOT_HOUSEHOLDS
    return max(1, round(identifiers / per_household))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graph_identity.simulator")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--households", type=int, help="number of households (default 40)")
    size.add_argument("--identifiers", type=int, help="aim at about this many identifiers")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--namespace", default="")
    parser.add_argument("--events", type=Path, help="write the events here as JSON lines")
    parser.add_argument("--truth", type=Path, help="write the ground truth here as JSON")
    args = parser.parse_args(argv)

    households = args.households or 40
    if args.identifiers:
        households = households_for(args.identifiers, args.seed)
    config = WorldConfig(
        households=households, seed=args.seed, days=args.days, namespace=args.namespace
    )
    builder = TruthBuilder()
    out: TextIO | None = args.events.open("w") if args.events else None
    events = 0
    gc.disable()
    started, cpu = time.perf_counter(), time.process_time()
    try:
        for event in iter_events(config, truth=builder):
            events += 1
            if out is not None:
                out.write(json.dumps(event, separators=(",", ":")) + "\n")
        truth = builder.build()
    finally:
        gc.enable()
        if out is not None:
            out.close()
    elapsed, cpu_used = time.perf_counter() - started, time.process_time() - cpu
    if args.truth:
        args.truth.write_text(json.dumps(truth.to_dict()))
    identifiers = len(truth.person_of) + len(truth.shared)
    print(
        f"{households} households, {len(truth.persons)} people, {identifiers} identifiers "
        f"({len(truth.shared)} shared), {events} events "
        f"({len(truth.touchpoints)} touchpoints, {len(truth.attributable_events)} attributable) "
        f"in {elapsed:.2f}s ({cpu_used:.2f}s CPU)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
