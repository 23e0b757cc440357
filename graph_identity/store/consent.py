"""Consent decisions and verified logins, read from the stored attribution."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime

from neo4j import AsyncDriver, RoutingControl

from graph_identity.domain.consent import ConsentDecision, InvalidConsent, parse_decision
from graph_identity.store.cypher import query
from graph_identity.store.records import native


class ConsentReads:
    """One per process; holds the driver, never creates it."""

    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self.driver = driver
        self.database = database

    async def decisions(self, person_ids: list[str]) -> list[list[ConsentDecision]]:
        """Every consent decision attributed to each person, in the order asked (a loader)."""
        found: dict[str, list[ConsentDecision]] = defaultdict(list)
        if person_ids:
            records, _, _ = await self.driver.execute_query(
                query("consent/decisions"),
                {"ids": list(dict.fromkeys(person_ids))},
                database_=self.database,
                routing_=RoutingControl.READ,
            )
            for row in records[0]["rows"]:
                try:
                    purpose, granted = parse_decision(json.loads(row["attributes"] or "null"))
                except InvalidConsent:  # refused at ingest; only a hand-written node lands here
                    continue
                found[row["person"]].append(
                    ConsentDecision(purpose, granted, native(row["at"]), row["event"])
                )
        return [found[p] for p in person_ids]

    async def verified_login(
        self, person_id: str, identifier_key: str, since: datetime, until: datetime
    ) -> bool:
        """Whether a verified LOGIN of the person observed the identifier in [since, until]."""
        records, _, _ = await self.driver.execute_query(
            query("consent/verified_login"),
            {"person": person_id, "key": identifier_key, "since": since, "until": until},
            database_=self.database,
            routing_=RoutingControl.READ,
        )
        return bool(records[0]["verified"])
