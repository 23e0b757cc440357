"""The collection benchmark runs end to end at the smoke size: the three ways in store the same
events, each has its figures, and its markdown section names the ingest mode. Asserts that
figures are there, never how fast."""

from __future__ import annotations

from datetime import datetime

from graph_identity.bench.collect import WAYS, as_inputs, markdown, run_collect, to_messages
from graph_identity.settings import Settings
from graph_identity.simulator.world import WorldConfig, generate_world


def test_the_world_becomes_messages_that_map_back() -> None:
    events = generate_world(WorldConfig(households=3, seed=7)).events
    messages = to_messages(events)
    inputs = as_inputs(messages)
    assert 0 < len(messages) == len(inputs) <= len(events)
    by_id = {e["id"]: e for e in events}
    for event in inputs:
        original = by_id[event["id"]]
        if original["type"] in ("LOGIN", "LOGOUT", "IDENTIFY", "PAGE_VIEW"):
            assert event["type"] == original["type"]
        else:
            assert event["type"] == "TRACK" and event["attributes"]["event"]
        assert datetime.fromisoformat(event["at"]) == datetime.fromisoformat(original["at"])


async def test_smoke_run_has_every_figure(settings: Settings, clean_db: None) -> None:
    result = await run_collect(settings, households=2, seed=7, log=lambda _: None)
    assert [phase.name for phase in result.phases] == list(WAYS)
    assert result.events > 20 and result.batch == 100
    for phase in result.phases:
        assert phase.events_per_second > 0 and len(phase.load_average) == 3
    assert all(p.service_cpu_seconds is not None for p in result.phases[1:])
    section = markdown(result)
    assert "ingest mode sync" in section and "| /v1/batch |" in section
