"""The rebuild-at-scale bench runs end to end on a small world: raw load, rebuild (its own
figures per phase), the components pass over the same graph, and a clean check after.

Asserts that each figure is there and the graph is sound, never how fast anything was.
"""

from __future__ import annotations

from graph_identity.bench.rebuild_scale import components_here, drop_persons, load, rebuild_here
from graph_identity.settings import Settings


async def test_rebuild_scale_reports_every_figure(settings: Settings, clean_db: None) -> None:
    loaded = await load(settings, households=5, seed=7, batch=100)
    assert loaded["events"] > 0

    rebuilt = await rebuild_here(settings)
    for phase in ("read", "components", "resolve", "write"):
        assert rebuilt[f"{phase}_s"] > 0, phase
    assert rebuilt["persons"] > 0 and rebuilt["peak_rss_mb"] >= rebuilt["base_rss_mb"] > 0

    split = await components_here(settings)
    assert split["identifiers"] > 0 and split["components"] > 0
    assert 0 < split["plain_event_share"] <= 1
    assert split["problems"] == 0

    await drop_persons(settings)
    again = await rebuild_here(settings)
    assert again["persons"] == rebuilt["persons"]
    assert (await components_here(settings))["problems"] == 0
