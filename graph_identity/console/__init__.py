"""The web console at ``/console`` and the offline GraphiQL page of ``/graphql``.

Everything here is static files plus one HTML page with the public settings the browser needs
(the OIDC issuer). The console holds no privilege of its own: the browser calls ``/graphql``
with the token the user signed in with, so it can do exactly what that role may do. That is why
this package imports nothing from ``store``, ``api`` or ``app`` (tests/test_layers.py).
"""

from graph_identity.console.routes import console_routes, graphiql_html, page_headers

__all__ = ["console_routes", "graphiql_html", "page_headers"]
