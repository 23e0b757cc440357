"""The rules of identity resolution, as pure Python: no database, no web, no I/O.

Entry points:

- ``events``: :class:`~graph_identity.domain.events.RawEvent` as it arrives and ``prepare``,
  which validates and normalises it (docs/events.md); ``event_json.raw_event`` reads the JSON
  form;
- ``identifiers``: identifier types and ``normalise`` (docs/identifiers.md);
- ``resolution``: ``resolve``, persons as a function of a set of events and the admins'
  constraints, built from ``evidence``, ``segments``, ``links`` and ``unionfind``
  (docs/resolution.md); ``components`` does the same for a whole graph at once;
- ``summaries``: link summaries per pair (a carrier's side cut into buckets at its session
  instants), the evidence resolution can work from instead of events; ``periods``:
  attribution by periods (docs/data-model.md); ``carrier_moment``: who holds a cookie or
  device at a moment (the rule ``resolve(at:)`` and attribution share);
- ``scoring``: confidence; ``claims``: weak claims against held identifiers (the scoring
  model's rule); ``consent``: purposes, consent and assurance;
- ``graph``: the identifier-level view of a resolution (links, paths, neighbourhoods);
  ``clusters``: fraud clusters; ``access``: the access log's read model;
- ``config``: the tunable rules (``ResolutionConfig``); ``values``: what a stored value may be;
  ``views``: the read models the store returns to the API; ``errors``: the errors the API
  turns into codes.

Nothing is imported here: import the module you need.
"""
