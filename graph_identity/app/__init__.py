"""The running service and its command line.

Entry points:

- ``server``: the starlette application (``/graphql``, ``/healthz``, ``/readyz``, ``/metrics``,
  ``/console``), its lifespan (``open_runtime``) and ``run`` for ``graph-identity serve``;
- ``cli.main``: the ``graph-identity`` command; ``tasks``: its one-shot jobs (migrate,
  rebuild, check, reconcile, backlog); ``loader``: bulk loads and the demo world;
- ``collect``: the Segment-compatible collection endpoints (``/v1/...``) with write keys;
  ``collect_pages``: the browser snippet ``/collect/gi.js`` and the demo shop;
- ``rate_limits``: the start-up warning that rate limits count per process;
- ``consume``: ``graph-identity consume``, events in from Kafka (``consume_metrics``: its
  /metrics);
- ``backlog``: the background resolver of the asynchronous ingest; ``media``,
  ``access_log``: GraphQL over HTTP and uvicorn's log.

Nothing is imported here: ``graph-identity --help`` stays quick.
"""
