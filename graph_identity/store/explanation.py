"""How a person was built: each of its identifiers with the links that tie it to the person's
other identifiers and the events behind them, strongest first (``Person.explanation``).

The links are derived as the fraud team's reads derive them (:class:`GraphReads`), so the
agent's explanation and ``explain`` never disagree.
"""

from __future__ import annotations

from dataclasses import replace

from graph_identity.domain.graph import IdentifierLink
from graph_identity.domain.identifiers import Identifier
from graph_identity.domain.views import (
    ExplanationStepView,
    IdentifierEvidenceView,
    PersonExplanationView,
)
from graph_identity.store.graph import GraphReads, edge_view


def _facing(link: IdentifierLink, key: str) -> IdentifierLink:
    """The link as seen from ``key`` (``a`` is always ``key``)."""
    return link if link.a == key else replace(link, a=key, b=link.a)


class PersonExplanations(GraphReads):
    async def person_explanation(self, person_id: str) -> PersonExplanationView | None:
        """None when there is no such person (a merged-away id explains its survivor)."""
        person = await self.person(person_id)
        if person is None:
            return None
        keys = {Identifier(i.type, i.value).key: i for i in person.identifiers}
        links, _ = await self.links_around(set(keys)) if keys else ([], set())
        mine: dict[str, list[IdentifierLink]] = {k: [] for k in keys}
        for link in links:
            if link.a in keys and link.b in keys:
                mine[link.a].append(_facing(link, link.a))
                mine[link.b].append(_facing(link, link.b))
        identifiers = []
        for key, held in keys.items():
            ranked = sorted(mine[key], key=lambda x: (-x.strength, -x.count, x.b))
            steps = [ExplanationStepView(edge_view(x), list(x.evidence)) for x in ranked]
            identifiers.append(
                IdentifierEvidenceView(
                    Identifier.from_key(key), held.confidence, held.shared, steps
                )
            )
        return PersonExplanationView(person.id, identifiers)
