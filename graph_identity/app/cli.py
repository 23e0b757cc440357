"""The ``graph-identity`` command line. Each command is thin and delegates to its module; its
help text is written for the people who run it (``HELP`` and each command's first line)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from typing import Annotated

import typer

from graph_identity.settings import Settings

HELP = "Identity resolution on Neo4j: run the service, load events, inspect and repair the graph."

app = typer.Typer(no_args_is_help=True, add_completion=False, help=HELP)


def _register_servers() -> None:
    from graph_identity.kafka_local import kafka_app
    from graph_identity.neo4j_local import neo4j_app

    app.add_typer(neo4j_app, name="neo4j", help="Run a local Neo4j 5.26 LTS server.")
    app.add_typer(kafka_app, name="kafka", help="Run a local Apache Kafka 4 broker (KRaft).")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port", envvar="PORT")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="service processes on the port, each with its own driver")
    ] = 1,
) -> None:
    """Serve the GraphQL API and the web console."""
    from graph_identity.app.server import run

    run(Settings(), host=host, port=port, workers=workers)


@app.command()
def migrate() -> None:
    """Set up the database schema; safe to run again."""
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
    """Load events from a file, one JSON event a line."""
    from graph_identity.app.loader import ingest_file

    raise typer.Exit(asyncio.run(ingest_file(Settings(), file, batch_size=batch_size)))


@app.command()
def demo(
    households: Annotated[int, typer.Option(min=1, help="size of the demo world")] = 40,
    seed: Annotated[int, typer.Option(help="random seed")] = 7,
) -> None:
    """Load demo customers to try the service on."""
    from graph_identity.app.loader import load_demo

    asyncio.run(load_demo(Settings(), households=households, seed=seed))


@app.command()
def rebuild() -> None:
    """Recompute every person from the stored events."""
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
    """Check the graph for inconsistencies (exit 1 if any).

    With --exact, also when a rebuild would change anything. Hubs awaiting reconciliation are
    reported, not failed."""
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
    """Count or resolve events stored but not resolved yet.

    See README "Ingest modes"."""
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
    """Update the persons around busy shared devices now.

    Recomputes the regions ingest resolved around hubs, exactly as a rebuild would, as the
    server does every GRAPH_IDENTITY_RECONCILE_INTERVAL seconds."""
    from graph_identity.app.tasks import reconcile as do_reconcile

    done = asyncio.run(do_reconcile(Settings(), limit=limit))
    typer.echo(f"reconciled: {done.summary()}")


@app.command()
def consume(
    topic: Annotated[
        str, typer.Option(help="the topic of events to read")
    ] = "graph-identity.events",
    group: Annotated[str, typer.Option(help="the consumer group to join")] = "graph-identity",
    metrics_port: Annotated[
        int, typer.Option(min=0, max=65535, help="serve /metrics on 127.0.0.1:PORT (0: off)")
    ] = 0,
) -> None:
    """Ingest events from a Kafka topic as one consumer of a group, until stopped.

    GRAPH_IDENTITY_KAFKA_BOOTSTRAP names the brokers; messages that can never be stored go to
    TOPIC.dlq (docs/kafka.md)."""
    from graph_identity.app.consume import consume as run_consumer

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    totals = asyncio.run(run_consumer(Settings(), topic, group, metrics_port=metrics_port or None))
    typer.echo(
        f"consumed {totals.messages} messages in {totals.batches} batches: {totals.accepted} "
        f"events stored, {totals.duplicates} duplicates, {totals.dead_letters} dead-lettered"
    )


@app.command()
def bench(
    households: Annotated[int, typer.Option(min=1, help="world size")] = 50,
    seed: Annotated[int, typer.Option(help="random seed")] = 7,
    requests: Annotated[int, typer.Option(min=10, help="resolve requests per level")] = 2000,
    out: Annotated[Path | None, typer.Option(help="JSON file for the figures")] = None,
    reads: Annotated[
        bool, typer.Option("--reads", help="only the reads benchmark (resolve, timelines)")
    ] = False,
    collect: Annotated[
        bool, typer.Option("--collect", help="only the collection benchmark (/v1/batch)")
    ] = False,
    stream: Annotated[
        bool, typer.Option("--stream", help="only the realistic stream benchmark (ingest)")
    ] = False,
    kafka: Annotated[
        bool, typer.Option("--kafka", help="only the Kafka benchmark (consume, lag)")
    ] = False,
) -> None:
    """Measure the service's speed (erases the database)."""
    from graph_identity.bench.cli import bench as run_bench
    from graph_identity.bench.cli import bench_collect, bench_reads

    if collect:
        bench_collect(Settings(), households=households, seed=seed, out=out)
        return
    if stream:
        from graph_identity.bench.realistic import report

        report(Settings(), households=households, seed=seed, out=out)
        return
    if kafka:
        from graph_identity.bench.kafka import report as kafka_report

        kafka_report(Settings(), households=households, out=out)
        return
    run = bench_reads if reads else run_bench
    run(Settings(), households=households, seed=seed, requests=requests, out=out)


def main() -> None:
    _register_servers()
    app()


if __name__ == "__main__":
    main()
