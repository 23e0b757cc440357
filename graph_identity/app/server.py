"""The HTTP application: ``/graphql``, ``/healthz``, ``/readyz`` and ``/metrics``.

:func:`create_app` only wires things together; the lifespan opens the one Neo4j driver,
checks the Cypher files, applies the schema and builds the store, and closes the driver on
the way out. Every GraphQL request needs ``Authorization: Bearer <token>`` (HTTP 401
otherwise); only a browser's plain GET of ``/graphql`` gets GraphiQL without one.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TypedDict

import neo4j
import uvicorn
from cross_web import HTTPException
from neo4j.exceptions import ServiceUnavailable
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from graph_identity.api.auth import Authenticator, AuthError
from graph_identity.api.context import Context
from graph_identity.api.metrics import ApiMetrics
from graph_identity.api.schema import build_schema
from graph_identity.domain.config import ResolutionConfig
from graph_identity.settings import Settings
from graph_identity.store.service import IdentityService

log = logging.getLogger(__name__)

#: How long start-up waits for Neo4j to answer (a container may still be booting).
CONNECT_WAIT_SECONDS = 30.0
READY_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class Runtime:
    """What lives as long as the process: the driver and the store built on it."""

    driver: neo4j.AsyncDriver
    database: str
    service: IdentityService


class AppState(TypedDict):
    """The lifespan's state, copied into every request's ``request.state``."""

    runtime: Runtime


def runtime_of(request: Request) -> Runtime:
    runtime = request.state.runtime
    if not isinstance(runtime, Runtime):  # pragma: no cover - only without the lifespan
        raise RuntimeError("the application's lifespan has not run")
    return runtime


async def _wait_for_neo4j(driver: neo4j.AsyncDriver, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            await driver.verify_connectivity()
            return
        except ServiceUnavailable:
            if time.monotonic() >= deadline:
                raise
            await asyncio.sleep(1.0)


@asynccontextmanager
async def open_runtime(
    settings: Settings, *, connect_wait: float = CONNECT_WAIT_SECONDS
) -> AsyncIterator[Runtime]:
    """One driver, the schema applied, the store: for the server and for bulk loads."""
    from graph_identity.store import cypher
    from graph_identity.store.neo4j_store import Neo4jIdentityStore
    from graph_identity.store.schema import migrate

    statements = cypher.check_all()
    driver = neo4j.AsyncGraphDatabase.driver(
        settings.neo4j_uri,
        auth=(settings.neo4j_user, settings.neo4j_password),
        # "unknown label or relationship type" is what every read says on a fresh database,
        # and "index already exists" what every start-up migration says: neither is news
        notifications_disabled_classifications=[
            neo4j.NotificationDisabledClassification.UNRECOGNIZED
        ],
        notifications_min_severity=neo4j.NotificationMinimumSeverity.WARNING,
    )
    try:
        await _wait_for_neo4j(driver, connect_wait)
        applied = await migrate(driver, settings.neo4j_database)
        log.info("%d Cypher statements checked, %d schema statements applied", statements, applied)
        store = Neo4jIdentityStore(driver, settings.neo4j_database, settings.resolution())
        yield Runtime(driver=driver, database=settings.neo4j_database, service=store)
    finally:
        await driver.close()


class GraphQLEndpoint(GraphQL[Context, None]):
    """Strawberry's ASGI view behind bearer authentication; no websockets (no subscriptions)."""

    def __init__(
        self,
        settings: Settings,
        authenticator: Authenticator,
        config: ResolutionConfig,
        metrics: ApiMetrics,
    ) -> None:
        super().__init__(build_schema(settings.max_query_depth), graphql_ide="graphiql")
        self.authenticator = authenticator
        self.config = config
        self.metrics = metrics
        self.max_batch_events = settings.max_batch_events

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await WebSocket(scope, receive, send).close(code=1008)
            return
        request = Request(scope, receive)
        if self.should_render_graphql_ide(self.request_adapter_class(request)):
            await super().__call__(scope, receive, send)  # GraphiQL itself needs no token
            return
        try:
            principal = await self.authenticator.authenticate(request.headers.get("authorization"))
        except AuthError as exc:
            self.metrics.unauthenticated.inc()
            await _unauthenticated(str(exc))(scope, receive, send)
            return
        context = Context(
            service=runtime_of(request).service,
            principal=principal,
            config=self.config,
            id_tokens=self.authenticator,
            max_batch_events=self.max_batch_events,
            metrics=self.metrics,
        )
        response: Response
        try:
            response = await self.run(request, context=context)
        except HTTPException as exc:
            response = PlainTextResponse(exc.reason, status_code=exc.status_code)
        await response(scope, receive, send)


def _unauthenticated(message: str) -> Response:
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]},
        status_code=401,
        headers={"WWW-Authenticate": 'Bearer realm="graph-identity"'},
    )


async def healthz(request: Request) -> Response:
    """The process is up (liveness)."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    """Neo4j answers and the schema in cypher/schema is applied (readiness)."""
    from graph_identity.store.schema import schema_applied

    runtime = runtime_of(request)
    try:
        async with asyncio.timeout(READY_TIMEOUT_SECONDS):
            await runtime.driver.verify_connectivity()
            applied = await schema_applied(runtime.driver, runtime.database)
    except Exception as exc:  # any failure to get an answer means "not ready"
        reason = f"neo4j unreachable: {type(exc).__name__}: {exc}".strip()
        return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)
    if not applied:
        return JSONResponse(
            {"status": "unavailable", "reason": "schema not applied"}, status_code=503
        )
    return JSONResponse({"status": "ready"})


def create_app(settings: Settings) -> Starlette:
    """The ASGI application. Nothing connects until the lifespan starts."""
    metrics = ApiMetrics()
    graphql = GraphQLEndpoint(settings, Authenticator(settings), settings.resolution(), metrics)

    async def metrics_endpoint(request: Request) -> Response:
        body, content_type = metrics.exposition()
        return Response(body, headers={"Content-Type": content_type})

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[AppState]:
        async with open_runtime(settings) as runtime:
            yield {"runtime": runtime}

    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", metrics_endpoint, methods=["GET"]),
        ],
        lifespan=lifespan,
    )


def app_from_environment() -> Starlette:
    """The app factory each ``serve --workers N`` process calls: every worker reads the
    environment and opens its own driver, store and caches (nothing is shared but Neo4j)."""
    return create_app(Settings())


def run(settings: Settings, *, host: str, port: int, workers: int = 1) -> None:
    """Serve the API with uvicorn until interrupted; ``workers`` > 1 runs that many processes
    on one socket, each built from the environment by :func:`app_from_environment`."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, lifespan="on", ws="none")
        return
    uvicorn.run(
        f"{__name__}:app_from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        lifespan="on",
        ws="none",
    )
