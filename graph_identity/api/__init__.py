"""The GraphQL API over the store (docs/api.md, docs/access.md).

Entry points:

- ``schema.schema``: the strawberry schema, its root fields and their checks; the types are in
  ``types/``, one module each;
- ``auth.Authenticator``: bearer tokens (API keys, OIDC access tokens) to principals, and
  ``id_tokens`` for the ID tokens that verify a LOGIN;
- ``permissions``: which role may call what; ``governance``: purpose, consent, rate limits and
  the access log of one request; ``guarded``: the governed ``person`` and ``resolve``;
- ``context``: what every resolver sees; ``validation``: argument checks made before anything
  is written; ``paging``: the steps every paged root field takes; ``errors``: how failures
  reach clients (``extensions.code``);
- ``cost``: the query cost limit (after fragment expansion) and the read deadline;
- ``body``, ``parse_cache``, ``rules``, ``metrics``: reading, parsing and measuring requests;
  ``scalars``: the scalars beyond GraphQL's own (``DateTime``, ``JSON``).

Nothing is imported here: the schema is built when ``schema`` is first imported.
"""
