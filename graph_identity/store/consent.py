"""Consent decisions, read from the stored attribution."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from neo4j import AsyncDriver, RoutingControl

from graph_identity.domain.consent import ConsentDecision, InvalidConsent, parse_decision
from graph_identity.store.cypher import query
from graph_identity.store.records import from_epoch_us


class ConsentReads:
    """One per process; holds the driver, never creates it."""

    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self.driver = driver
        self.database = database

    async def decisions(self, person_ids: list[str]) -> list[list[ConsentDecision]]:
        """Every consent decision attributed to each person, in the order asked (a loader)."""
        found: dict[str, list[ConsentDecision]] = {}
        if person_ids:
            records, _, _ = await self.driver.execute_query(
                query("consent/decisions"),
                {"ids": list(dict.fromkeys(person_ids))},
                database_=self.database,
                routing_=RoutingControl.READ,
            )
            found = grouped_decisions(records[0]["rows"])
        return [found.get(p, []) for p in person_ids]


def grouped_decisions(rows: Iterable[Any]) -> dict[str, list[ConsentDecision]]:
    """Decisions by person from rows of ``{person, event, at_us, attributes}`` (the
    ``consent/decisions`` and ``persons/resolve`` statements)."""
    found: dict[str, list[ConsentDecision]] = defaultdict(list)
    for row in rows:
        try:
            purpose, granted = parse_decision(json.loads(row["attributes"] or "null"))
        except InvalidConsent:  # refused at ingest; only a hand-written node lands here
            continue
        found[row["person"]].append(
            ConsentDecision(purpose, granted, from_epoch_us(row["at_us"]), row["event"])
        )
    return dict(found)
