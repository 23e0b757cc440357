"""What a real pipeline does to events on their way: reorders, delays, repeats and batches them.

Every function is pure (a new list, the input untouched) and deterministic for its seed. A
duplicate is a deep copy with the same id and an identical payload, delivered after the
original, as an at-least-once queue would redeliver it.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Literal

from graph_identity.simulator.world import EventDict

Order = Literal["time", "shuffled", "late"]


def _instant(event: EventDict) -> datetime:
    return datetime.fromisoformat(event["at"])


def in_time_order(events: Iterable[EventDict]) -> list[EventDict]:
    """By timestamp (offsets honoured), then id."""
    return sorted(events, key=lambda e: (_instant(e), e["id"]))


def shuffled(events: Iterable[EventDict], seed: int) -> list[EventDict]:
    """A uniformly random order."""
    result = list(events)
    random.Random(seed).shuffle(result)
    return result


def delayed(
    events: Iterable[EventDict],
    seed: int,
    *,
    fraction: float = 0.1,
    min_delay: timedelta = timedelta(hours=1),
    max_delay: timedelta = timedelta(days=3),
) -> list[EventDict]:
    """Arrival order when ``fraction`` of the events arrive between min and max delay late.

    The others arrive at their own timestamp; ties are broken by id.
    """
    rng = random.Random(seed)
    low, high = min_delay.total_seconds(), max_delay.total_seconds()
    keyed = []
    for event in events:
        arrival = _instant(event)
        if rng.random() < fraction:
            arrival += timedelta(seconds=rng.uniform(low, high))
        keyed.append((arrival, event["id"], event))
    keyed.sort(key=lambda item: (item[0], item[1]))
    return [event for _, _, event in keyed]


def with_duplicates(
    events: Sequence[EventDict], seed: int, *, fraction: float = 0.05
) -> list[EventDict]:
    """Deliver ``fraction`` of the events a second time, at a random later position."""
    rng = random.Random(seed)
    n = len(events)
    keyed: list[tuple[float, int, EventDict]] = [(float(i), 0, e) for i, e in enumerate(events)]
    for i, event in enumerate(events):
        if rng.random() < fraction:
            keyed.append((rng.uniform(i, n), 1, copy.deepcopy(event)))
    keyed.sort(key=lambda item: (item[0], item[1]))
    return [event for _, _, event in keyed]


def batched(events: Iterable[EventDict], size: int) -> Iterator[list[EventDict]]:
    """Consecutive chunks of at most ``size`` events (the API takes up to 1000 a call)."""
    if size < 1:
        raise ValueError("batch size must be at least 1")
    batch: list[EventDict] = []
    for event in events:
        batch.append(event)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def deliver(
    events: Sequence[EventDict],
    *,
    seed: int = 0,
    order: Order = "time",
    late_fraction: float = 0.1,
    duplicate_fraction: float = 0.0,
    batch_size: int = 1000,
) -> list[list[EventDict]]:
    """Order the events (``time``, ``shuffled`` or ``late``), add duplicates, cut into batches."""
    if order == "time":
        ordered = in_time_order(events)
    elif order == "shuffled":
        ordered = shuffled(events, seed)
    else:
        ordered = delayed(events, seed, fraction=late_fraction)
    if duplicate_fraction:
        ordered = with_duplicates(ordered, seed + 1, fraction=duplicate_fraction)
    return list(batched(ordered, batch_size))
