"""The Neo4j store: events in, persons kept up to date, reads for the API.

Entry points:

- ``service.IdentityService``: the protocol the API calls, every read and write it needs;
  ``neo4j_store.Neo4jIdentityStore`` implements it on an async driver;
- ``core``: ingest with incremental resolution (``region`` finds what new evidence can change,
  ``writeback`` writes the recomputed part back, ``fast_path`` takes the events that cannot
  change a person);
- ``reads``, ``graph``, ``clusters``, ``explanation``: the reads; ``admin``,
  ``constraints``, ``erasure``: the admins' corrections; ``access_log`` (written in groups by
  ``group_commit``), ``consent``; ``resolving``: one resolve answer from one statement;
- ``maintenance`` (rebuild, check), ``exactness`` (compare with a rebuild), ``reconcile``
  (hub regions): keeping the stored graph exact (docs/guarantees.md);
- ``schema`` applies ``cypher/schema``; ``cypher.query`` reads a statement by name, and
  ``cypher.check_all`` checks them at start-up (docs/layout.md); ``tx`` runs them;
- ``records``: conversions between driver values and domain objects; ``event_cache``: the
  per-process cache of events; ``availability``: which failures mean "retry later";
  ``db_state``: whether Neo4j answers, logged once per change; ``contention``: retrying
  writes that lost a lock race (deadlocks, lock timeouts) instead of failing them;
  ``background``: work beside the service (reconciliation, the backlog).

Nothing is imported here (the driver stays unloaded until a module needs it).
"""
