"""Every Cypher statement of graph-identity, as files (read by graph_identity/store/cypher.py).

Shipped inside the wheel as the package ``graph_identity._cypher`` (see setup.py)."""
