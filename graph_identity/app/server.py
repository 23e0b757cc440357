"""The HTTP application: ``/graphql``, ``/healthz``, ``/readyz``, ``/metrics`` and ``/console``.

:func:`create_app` only wires things together; the lifespan opens the one Neo4j driver,
checks the Cypher files, applies the schema and builds the store, and closes the driver on
the way out. Every GraphQL request needs ``Authorization: Bearer <token>`` (HTTP 401
otherwise); only a browser's plain GET of ``/graphql`` gets GraphiQL without one (served with
its assets from graph_identity.console, nothing from a CDN).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypedDict

import neo4j
import orjson
import uvicorn
from cross_web import HTTPException
from neo4j.exceptions import ServiceUnavailable
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from graph_identity.api.auth import Authenticator, AuthError, Role
from graph_identity.api.body import BodyTooLarge, check_shape, decode_json, read_body
from graph_identity.api.context import Context
from graph_identity.api.cost import past_deadline
from graph_identity.api.errors import CONTENTION, UNAVAILABLE
from graph_identity.api.governance import Governance, Rules
from graph_identity.api.metrics import ApiMetrics
from graph_identity.api.schema import build_schema
from graph_identity.app.access_log import buffered_access_log, log_config
from graph_identity.app.backlog import resolving_backlog
from graph_identity.app.collect import collect_routes
from graph_identity.app.collect_pages import collect_pages
from graph_identity.app.media import as_graphql_response, wants_graphql_response
from graph_identity.app.rate_limits import per_process_warning
from graph_identity.console import console_routes, graphiql_html, page_headers
from graph_identity.domain.config import ResolutionConfig
from graph_identity.settings import Settings
from graph_identity.store.access_log import AccessLog
from graph_identity.store.availability import driver_options
from graph_identity.store.background import in_background
from graph_identity.store.consent import ConsentReads
from graph_identity.store.db_state import DATABASE, cause_of
from graph_identity.store.neo4j_store import Neo4jIdentityStore
from graph_identity.store.service import IdentityService

log = logging.getLogger(__name__)

#: How long start-up waits for Neo4j to answer (a container may still be booting).
CONNECT_WAIT_SECONDS = 30.0
READY_TIMEOUT_SECONDS = 5.0
#: how often expired access-log entries are purged in the background (besides at start-up)
ACCESS_LOG_PURGE_SECONDS = 60.0


#: this request's body and what it parsed to, so that strawberry does not parse it again
_checked_body: ContextVar[tuple[bytes, object] | None] = ContextVar("checked_body", default=None)


@dataclass(frozen=True)
class Runtime:
    """What lives as long as the process: the driver and the store built on it."""

    driver: neo4j.AsyncDriver
    database: str
    store: Neo4jIdentityStore
    consent: ConsentReads
    access_log: AccessLog

    @property
    def service(self) -> IdentityService:
        """The store as the API sees it: every read and write it needs, nothing more."""
        return self.store


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
    settings: Settings, *, connect_wait: float = CONNECT_WAIT_SECONDS, background: bool = False
) -> AsyncIterator[Runtime]:
    """One driver, the schema applied, the store: for the server and for bulk loads. With
    ``background`` (the server), hub regions are reconciled every
    GRAPH_IDENTITY_RECONCILE_INTERVAL seconds while the runtime lives (store/reconcile.py), and
    the asynchronous ingest's backlog is resolved (app/backlog.py)."""
    from graph_identity.store import cypher
    from graph_identity.store.reconcile import reconciling
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
        **driver_options(
            settings.neo4j_connect_timeout,
            settings.neo4j_acquire_timeout,
            settings.neo4j_retry_seconds,
        ),
    )
    try:
        await _wait_for_neo4j(driver, connect_wait)
        applied = await migrate(driver, settings.neo4j_database)
        log.info("%d Cypher statements checked, %d schema statements applied", statements, applied)
        store = Neo4jIdentityStore(
            driver,
            settings.neo4j_database,
            settings.resolution(),
            erasure_key=settings.erasure_key_bytes(),
            deferred=settings.ingest_mode == "async",
        )
        await store.check_erasure_key()
        access_log = AccessLog(
            driver, settings.neo4j_database, timedelta(days=settings.access_log_days)
        )
        purged = await access_log.purge()
        if purged:
            log.info("%d access log entries older than the retention purged", purged)
        retention = access_log.retain(ACCESS_LOG_PURGE_SECONDS) if background else None
        async with (
            reconciling(store, settings.reconcile_interval if background else 0),
            resolving_backlog(store, settings, background),
            in_background(retention, "access-log-retention"),
        ):
            yield Runtime(
                driver=driver,
                database=settings.neo4j_database,
                store=store,
                consent=ConsentReads(driver, settings.neo4j_database),
                access_log=access_log,
            )
            await access_log.group.aclose()
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
        self.query_deadline = settings.query_deadline_seconds
        super().__init__(
            build_schema(settings.max_query_depth, settings.max_query_cost, self.query_deadline),
            graphql_ide="graphiql",
        )
        self.authenticator = authenticator
        self.config = config
        self.metrics = metrics
        self.max_batch_events = settings.max_batch_events
        self.rules = Rules(
            consent=settings.consent_policy(),
            assurance=settings.assurance_policy(),
            default_purpose=settings.default_purpose,
        )
        self.max_body_bytes = settings.max_body_bytes
        self.retry_after = str(settings.retry_after_seconds)
        self.page_headers = page_headers(settings)  # GraphiQL gets the console's policy

    def decode_json(self, data: str | bytes) -> object:
        checked = _checked_body.get()
        if checked is not None and checked[0] is data:
            return checked[1]  # the body __call__ parsed and checked already: not parsed twice
        return decode_json(data)

    def encode_json(self, data: object) -> str | bytes:
        """orjson: the same JSON as strawberry's json.dumps, several times faster (what it cannot
        encode, such as an integer beyond 64 bits in an event's attributes, falls back)."""
        try:
            return orjson.dumps(data)
        except TypeError:
            return super().encode_json(data)

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        """HTTP 503 with Retry-After when Neo4j could not answer (``UNAVAILABLE``), 409 with
        Retry-After when other writers held the records a write needed (``CONTENTION``)."""
        response = super().create_response(response_data, sub_response)
        errors = response_data.get("errors") if isinstance(response_data, dict) else None
        codes = {(e.get("extensions") or {}).get("code") for e in errors or []}
        if UNAVAILABLE in codes:
            DATABASE.unreachable("a request got 503", "a request")
            response.status_code = 503
            response.headers["Retry-After"] = self.retry_after
        elif CONTENTION in codes:
            response.status_code = 409
            response.headers["Retry-After"] = self.retry_after
        return response

    async def _run_within_deadline(self, request: Request, context: Context) -> Response:
        """Runs the operation; a query past its deadline (api/cost.py starts it) is cut."""
        deadline = asyncio.timeout(None)
        context.deadline = deadline
        try:
            async with deadline:
                return await self.run(request, context=context)
        except TimeoutError:
            if not deadline.expired():
                raise
            log.warning("a query ran past its deadline and was cut")
            return JSONResponse(past_deadline(self.query_deadline))

    @property
    def graphql_ide_html(self) -> str:
        return graphiql_html()  # served with its assets; strawberry's page needs a CDN

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(self.graphql_ide_html, headers=self.page_headers)

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
        runtime = runtime_of(request)
        governance = Governance(
            rules=self.rules,
            principal=principal,
            consent_reads=runtime.consent,
            access_log=runtime.access_log,
            purpose_header=request.headers.get("x-purpose"),
        )
        context = Context(
            service=runtime.service,
            principal=principal,
            config=self.config,
            id_tokens=self.authenticator,
            governance=governance,
            max_batch_events=self.max_batch_events,
            metrics=self.metrics,
        )
        response: Response
        try:
            if request.method == "POST":
                body = await read_body(request, self.max_body_bytes)
                if "json" in request.headers.get("content-type", ""):
                    parsed = decode_json(body)
                    check_shape(parsed)
                    _checked_body.set((body, parsed))
            response = await self._run_within_deadline(request, context)
        except BodyTooLarge:
            response = PlainTextResponse(
                f"request body larger than {self.max_body_bytes} bytes", status_code=413
            )
        except HTTPException as exc:
            response = PlainTextResponse(exc.reason, status_code=exc.status_code)
        try:
            await governance.flush()
        except Exception:  # an unrecorded read must not reach the caller: fail closed
            log.exception("the access log could not be written; the answer is withheld")
            response = JSONResponse(
                {
                    "errors": [
                        {
                            "message": "access log unavailable",
                            "extensions": {"code": "ACCESS_LOG_UNAVAILABLE"},
                        }
                    ]
                },
                status_code=503,
            )
        if wants_graphql_response(request.headers.get("accept")):
            response = as_graphql_response(response)
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
        # the driver's message names internal addresses: the log gets it, the answer does not
        DATABASE.unreachable(cause_of(exc), "the readiness check")
        return JSONResponse(
            {"status": "unavailable", "reason": "neo4j unreachable"}, status_code=503
        )
    if not applied:
        return JSONResponse(
            {"status": "unavailable", "reason": "schema not applied"}, status_code=503
        )
    DATABASE.reachable()
    return JSONResponse({"status": "ready"})


async def _read_backlogs(runtime: Runtime, metrics: ApiMetrics) -> None:
    """Set the backlog gauges from Neo4j; on failure they keep their last values (the scrape
    still answers with this process's counters, and the log says why)."""
    from graph_identity.store.reconcile import pending

    try:
        async with asyncio.timeout(READY_TIMEOUT_SECONDS):
            metrics.backlog_events.set(await runtime.store.backlog())
            _, marked = await pending(runtime.store, 0)
            metrics.hubs_to_reconcile.set(marked)
    except Exception as exc:  # a scrape must not fail because Neo4j is away
        log.warning("metrics: backlogs not read: %s: %s", type(exc).__name__, exc)


def create_app(settings: Settings) -> Starlette:
    """The ASGI application. Nothing connects until the lifespan starts."""
    metrics = ApiMetrics()
    authenticator = Authenticator(settings)
    graphql = GraphQLEndpoint(settings, authenticator, settings.resolution(), metrics)
    metrics_key = settings.metrics_key_bytes()

    async def metrics_endpoint(request: Request) -> Response:
        """Prometheus text; needs the metrics key or an admin credential as a bearer token."""
        header = request.headers.get("authorization") or ""
        token = header.partition(" ")[2].strip().encode()
        if not (metrics_key and hmac.compare_digest(token, metrics_key)):
            try:
                principal = await authenticator.authenticate(header)
            except AuthError as exc:
                return _unauthenticated(str(exc))
            if Role.ADMIN not in principal.roles:
                return JSONResponse(
                    {"errors": [{"message": "metrics need the metrics key or the admin role",
                                 "extensions": {"code": "FORBIDDEN"}}]},
                    status_code=403,
                )  # fmt: skip
        await _read_backlogs(runtime_of(request), metrics)
        body, content_type = metrics.exposition()
        return Response(body, headers={"Content-Type": content_type})

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[AppState]:
        with buffered_access_log():
            async with open_runtime(settings, background=True) as runtime:
                yield {"runtime": runtime}

    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", metrics_endpoint, methods=["GET"]),
            *console_routes(settings),
            *collect_routes(settings, authenticator, metrics),
            *collect_pages(settings),
        ],
        lifespan=lifespan,
    )


#: uvicorn's fast event loop and HTTP parser (both installed with uvicorn[standard]): the
#: pure-Python defaults (asyncio's loop, h11) spend more of each request in Python
HTTP_STACK: dict[str, Any] = {"loop": "uvloop", "http": "httptools"}


def server_config(app: Starlette, *, host: str = "127.0.0.1", port: int = 8000) -> uvicorn.Config:
    """How uvicorn serves the app: lifespan on, no websockets, no query strings in the
    access log (app/access_log.py), uvloop and httptools (:data:`HTTP_STACK`)."""
    return uvicorn.Config(
        app, host=host, port=port, lifespan="on", ws="none", log_config=log_config(), **HTTP_STACK
    )


def app_from_environment() -> Starlette:
    """The app factory each ``serve --workers N`` process calls: every worker reads the
    environment and opens its own driver, store and caches (nothing is shared but Neo4j)."""
    return create_app(Settings())


def run(settings: Settings, *, host: str, port: int, workers: int = 1) -> None:
    """Serve the API with uvicorn until interrupted; ``workers`` > 1 runs that many processes
    on one socket, each built from the environment by :func:`app_from_environment`."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if warning := per_process_warning(settings, workers):
        log.warning(warning)
    if workers == 1:
        uvicorn.Server(server_config(create_app(settings), host=host, port=port)).run()
        return
    uvicorn.run(
        f"{__name__}:app_from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        lifespan="on",
        ws="none",
        log_config=log_config(),
        **HTTP_STACK,
    )
