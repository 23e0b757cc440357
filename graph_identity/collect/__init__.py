"""Collection: Segment Spec messages mapped to graph-identity events (docs/collect.md), and
the browser snippet and demo shop the app serves from ``static/``.

Pure like :mod:`graph_identity.domain`: no database, GraphQL or web code here; the HTTP source
is :mod:`graph_identity.app.collect`.
"""

from graph_identity.collect.clock import BadTime, event_time, parse_time
from graph_identity.collect.spec import MESSAGE_TYPES, Mapped, SpecMapping, map_message

__all__ = [
    "MESSAGE_TYPES",
    "BadTime",
    "Mapped",
    "SpecMapping",
    "event_time",
    "map_message",
    "parse_time",
]
