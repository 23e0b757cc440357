"""The ``graph-identity`` command line. Each command is thin and delegates to its module."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from typing import Annotated

import typer

from graph_identity.settings import Settings

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)


def _register_neo4j() -> None:
    from graph_identity.app.neo4j_local import neo4j_app

    app.add_typer(neo4j_app, name="neo4j", help="Run a local Neo4j 5.26 LTS server.")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port", envvar="PORT")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="service processes on the port, each with its own driver")
    ] = 1,
) -> None:
    """Serve the GraphQL API (applies the schema in cypher/ first)."""
    from graph_identity.app.server import run

    run(Settings(), host=host, port=port, workers=workers)


@app.command()
def migrate() -> None:
    """Apply the schema in cypher/schema to Neo4j."""
    from graph_identity.app.tasks import migrate as do_migrate

    count = asyncio.run(do_migrate(Settings()))
    typer.echo(f"schema applied: {count} statements")


@app.command()
def ingest(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="events, one JSON a line")
    ],
    batch_size: Annotated[int, typer.Option(min=1, max=1000)] = 500,
) -> None:
    """Bulk-load events from a JSON Lines file, with a progress bar and a summary."""
    from graph_identity.app.loader import ingest_file

    raise typer.Exit(asyncio.run(ingest_file(Settings(), file, batch_size=batch_size)))


@app.command()
def demo(
    households: Annotated[int, typer.Option(min=1, help="size of the demo world")] = 40,
    seed: Annotated[int, typer.Option(help="random seed")] = 7,
) -> None:
    """Load the simulator's demo world (households, shared tablets, a kiosk, ...)."""
    from graph_identity.app.loader import load_demo

    asyncio.run(load_demo(Settings(), households=households, seed=seed))


@app.command()
def rebuild() -> None:
    """Recompute every person from the stored evidence."""
    from graph_identity.app.tasks import rebuild as do_rebuild

    persons = asyncio.run(do_rebuild(Settings()))
    typer.echo(f"rebuilt: {persons} persons")


@app.command()
def check(
    exact: Annotated[
        bool,
        typer.Option(
            "--exact", help="also compare with what a rebuild would store (reads everything)"
        ),
    ] = False,
) -> None:
    """Verify the graph's invariants; exits 1 when any is broken (with --exact, also when a
    rebuild would change anything). Hubs awaiting reconciliation are reported, not failed."""
    from graph_identity.app.tasks import inspect

    problems, marked = asyncio.run(inspect(Settings(), exact=exact))
    for problem in problems:
        typer.echo(problem)
    if marked:
        typer.echo(f"{marked} hub(s) await reconciliation (graph-identity reconcile)")
    typer.echo("graph OK" if not problems else f"{len(problems)} problem(s)")
    raise typer.Exit(1 if problems else 0)


@app.command()
def backlog(
    resolve: Annotated[
        bool, typer.Option("--resolve", help="resolve every pending event now")
    ] = False,
    follow: Annotated[
        bool,
        typer.Option("--follow", help="keep resolving new pending events until interrupted"),
    ] = False,
    retry: Annotated[
        bool,
        typer.Option("--retry", help="put the events set aside as unresolved back first"),
    ] = False,
) -> None:
    """Events an asynchronous ingest stored and not resolved yet (README "Ingest modes")."""
    from graph_identity.app.tasks import backlog as do_backlog
    from graph_identity.app.tasks import follow_backlog

    if follow:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(follow_backlog(Settings()))
        return
    resolved, pending = asyncio.run(do_backlog(Settings(), resolve=resolve, retry=retry))
    if resolve:
        typer.echo(f"resolved: {resolved} events")
    typer.echo(f"pending: {pending} events")


@app.command()
def reconcile(
    limit: Annotated[int, typer.Option(min=1, help="marked hubs to take in this run")] = 100,
) -> None:
    """Recompute the regions ingest resolved around hubs, exactly as a rebuild would (what the
    server does every GRAPH_IDENTITY_RECONCILE_INTERVAL seconds)."""
    from graph_identity.app.tasks import reconcile as do_reconcile

    done = asyncio.run(do_reconcile(Settings(), limit=limit))
    typer.echo(f"reconciled: {done.summary()}")


@app.command()
def bench(
    households: Annotated[int, typer.Option(min=1, help="world size")] = 50,
    seed: Annotated[int, typer.Option(help="random seed")] = 7,
    requests: Annotated[int, typer.Option(min=10, help="resolve requests per level")] = 2000,
    out: Annotated[Path | None, typer.Option(help="JSON file for the figures")] = None,
    reads: Annotated[
        bool, typer.Option("--reads", help="only the reads benchmark (resolve, timelines)")
    ] = False,
    stream: Annotated[
        bool, typer.Option("--stream", help="only the realistic stream benchmark (ingest)")
    ] = False,
) -> None:
    """Measure ingest, resolve and rebuild beside same-run baselines (WIPES the database)."""
    from graph_identity.bench.cli import bench as run_bench
    from graph_identity.bench.cli import bench_reads

    if stream:
        from graph_identity.bench.realistic import report

        report(Settings(), households=households, seed=seed, out=out)
        return
    run = bench_reads if reads else run_bench
    run(Settings(), households=households, seed=seed, requests=requests, out=out)


def main() -> None:
    _register_neo4j()
    app()


if __name__ == "__main__":
    main()
