"""Bulk loads: a JSON Lines file (``graph-identity ingest``) or the demo world (``demo``).

Events go straight to the store in-process, in batches, exactly as ``ingest`` over GraphQL
would take them: same shape (docs/events.md), same normalisation and rejections, and a
LOGIN's ``idToken`` is verified the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from graph_identity.api.auth import Authenticator
from graph_identity.api.id_tokens import verified_logins
from graph_identity.app.backlog import drain
from graph_identity.app.server import Runtime, open_runtime
from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.event_json import BadLine, raw_event
from graph_identity.domain.events import RawEvent
from graph_identity.domain.identifiers import Identifier, IdentifierType, normalise
from graph_identity.domain.views import IngestOutcome
from graph_identity.settings import Settings
from graph_identity.store.service import IdentityService

#: How many bad lines and rejections the summary lists before it only counts them.
SHOWN = 20


async def _ingest(
    service: IdentityService, auth: Authenticator, batch: list[RawEvent], totals: IngestOutcome
) -> None:
    outcome = await service.ingest(batch, verified_ids=await verified_logins(auth, batch))
    totals.accepted += outcome.accepted
    totals.duplicates += outcome.duplicates
    totals.rejected.extend(outcome.rejected)


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    with path.open("rb") as handle:
        yield from enumerate(handle, start=1)


def _summary(console: Console, totals: IngestOutcome, bad: list[tuple[int, str]]) -> None:
    table = Table(title="ingest summary", show_header=False)
    table.add_row("accepted", str(totals.accepted))
    table.add_row("duplicates", str(totals.duplicates))
    table.add_row("rejected", str(len(totals.rejected)))
    table.add_row("unreadable lines", str(len(bad)))
    console.print(table)
    for number, message in bad[:SHOWN]:
        console.print(f"[red]line {number}[/red]: {message}")
    if len(bad) > SHOWN:
        console.print(f"... and {len(bad) - SHOWN} more unreadable lines")
    for event_id, reason in totals.rejected[:SHOWN]:
        console.print(f"[yellow]rejected[/yellow] {event_id}: {reason}")
    if len(totals.rejected) > SHOWN:
        console.print(f"... and {len(totals.rejected) - SHOWN} more rejections")


async def ingest_file(
    settings: Settings, path: Path, *, batch_size: int = 500, console: Console | None = None
) -> int:
    """Load a JSON Lines file of events; 0 when every line was stored cleanly, else 1.

    Unreadable lines are skipped and reported with their line numbers; the rest is loaded.
    """
    console = console or Console(stderr=True)
    auth = Authenticator(settings)
    totals = IngestOutcome()
    bad: list[tuple[int, str]] = []
    batch: list[RawEvent] = []
    async with open_runtime(settings) as runtime:
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%  {task.fields[events]} events"),
            TimeRemainingColumn(),
            console=console,
        ) as progress:
            task = progress.add_task(path.name, total=path.stat().st_size, events=0)
            for number, line in _lines(path):
                progress.advance(task, len(line))
                if not line.strip():
                    continue
                try:
                    batch.append(raw_event(_json(line)))
                except BadLine as exc:
                    bad.append((number, str(exc)))
                    continue
                if len(batch) >= batch_size:
                    await _ingest(runtime.service, auth, batch, totals)
                    progress.update(task, events=totals.accepted + totals.duplicates)
                    batch = []
            if batch:
                await _ingest(runtime.service, auth, batch, totals)
            progress.update(task, events=totals.accepted + totals.duplicates)
        await _resolve_backlog(runtime, settings, console)
    _summary(console, totals, bad)
    return 0 if not bad and not totals.rejected else 1


async def _resolve_backlog(runtime: Runtime, settings: Settings, console: Console) -> None:
    """A bulk load ends resolved, in either ingest mode (the asynchronous one stores first)."""
    if runtime.store.deferred:
        with console.status("resolving the loaded events ..."):
            resolved = await drain(runtime.store, settings.backlog_batch)
        console.print(f"{resolved} events resolved from the backlog")


def _json(line: bytes) -> object:
    try:
        return json.loads(line)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadLine(f"not JSON: {exc}") from exc


async def load_demo(
    settings: Settings,
    *,
    households: int = 40,
    seed: int = 7,
    batch_size: int = 500,
    console: Console | None = None,
) -> IngestOutcome:
    """Generate the simulator's demo world and ingest it; prints what was loaded."""
    from graph_identity.simulator.world import WorldConfig, iter_events

    console = console or Console()
    auth = Authenticator(settings)
    totals = IngestOutcome()
    config = WorldConfig(seed=seed, households=households)
    async with open_runtime(settings) as runtime:
        with console.status("loading the demo world ...") as status:
            batch: list[RawEvent] = []
            for event in iter_events(config):
                batch.append(raw_event(event))
                if len(batch) >= batch_size:
                    await _ingest(runtime.service, auth, batch, totals)
                    status.update(f"loading the demo world ... {totals.accepted} events")
                    batch = []
            if batch:
                await _ingest(runtime.service, auth, batch, totals)
            await _load_doc_story(runtime.service, auth, totals, settings)
        await _resolve_backlog(runtime, settings, console)
        shared = await runtime.service.shared_identifiers(2, None, None, 5, None)
    console.print(
        f"demo world (households={households}, seed={seed}): {totals.accepted} events accepted, "
        f"{totals.duplicates} duplicates, {len(totals.rejected)} identifiers or events rejected "
        "(the simulator writes some placeholders and invalid values on purpose)"
    )
    for _, item in shared.items:
        console.print(f"  shared {item.type.value} {item.value}: {item.person_count} persons")
    return totals


async def _load_doc_story(
    service: IdentityService, auth: Authenticator, totals: IngestOutcome, settings: Settings
) -> None:
    """The customers README.md and docs/api.md talk about, and the admin split they show."""
    from graph_identity.simulator import doc_story

    await _ingest(service, auth, [raw_event(e) for e in doc_story.EVENTS], totals)
    moved, holder, reason = doc_story.SPLIT
    config = settings.resolution()
    owner = await service.resolve(_identifier(holder, config), None)
    target = _identifier(moved, config)
    if owner.person and any(
        (i.type, i.value) == (target.type, target.value) and not i.shared
        for i in owner.person.identifiers
    ):  # not split yet (loading the demo twice changes nothing)
        await service.split_person(owner.person.id, [target], reason, "demo-loader")


def _identifier(raw: dict[str, str], config: ResolutionConfig) -> Identifier:
    return normalise(
        IdentifierType(raw["type"]), raw["value"], default_region=config.default_region
    )
