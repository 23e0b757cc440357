"""Guards the documentation as a new user follows it on the demo world: the README's admin
corrections each come after a query that finds the real person ids they need (and work with
them), and docs/api.md's ingest example is a customer of its own, so trying it leaves the demo
customers' journeys as they were."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console

from graph_identity.app.loader import load_demo
from tests.api.test_documented_examples import (
    PLACEHOLDER,
    ROOT,
    blocks,
    documented_events,
    operations,
)

if TYPE_CHECKING:
    from tests.api.conftest import Api

JOURNEY = """
query Journey($value: String!) {
  resolve(identifier: {type: ACCOUNT, value: $value}) {
    person { id events(first: 200) { edges { node { id at type } } } } } }
"""


def person_ids(value: Any) -> list[str]:
    """Every person id in an answer, in document order."""
    if isinstance(value, dict):
        found = [value["id"]] if isinstance(value.get("id"), str) else []
        return found + [i for v in value.values() for i in person_ids(v)]
    if isinstance(value, list):
        return [i for v in value for i in person_ids(v)]
    return []


def readme_operations() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [op for block in blocks(text, "graphql") for op in operations(block)]


async def test_readme_corrections_follow_a_query_that_finds_their_ids(
    api: Api, clean_db: None
) -> None:
    await load_demo(api.settings, console=Console(quiet=True))
    ops = readme_operations()
    templates = [n for n, op in enumerate(ops) if PLACEHOLDER.search(op)]
    assert len(templates) >= 3, "the README's split, merge and forget examples were not found"
    for n in templates:
        finder = ops[n - 1]
        assert not finder.startswith("mutation"), ("no query finds the ids of", ops[n])
        found = person_ids(await api.data(finder))
        wanted = PLACEHOLDER.findall(ops[n])
        assert len(found) >= len(wanted), (finder, found, ops[n])
        filled = ops[n]
        for placeholder, person in zip(wanted, found, strict=False):
            filled = filled.replace(f'"{placeholder}"', f'"{person}"', 1)
        body = await api.gql(filled, role="admin")
        assert not body.get("errors"), (filled, body["errors"])
        assert all(v is not None for v in body["data"].values()), (filled, body["data"])


async def test_ingest_example_leaves_the_demo_customers_journeys_alone(
    api: Api, clean_db: None
) -> None:
    await load_demo(api.settings, console=Console(quiet=True))
    before = await api.data(JOURNEY, {"value": "cust-42"}, role="agent")
    events = documented_events()
    result = await api.ingest(events)
    assert result["accepted"] == len(events) and not result["rejected"], result
    after = await api.data(JOURNEY, {"value": "cust-42"}, role="agent")
    assert after == before
    accounts = {i["value"] for e in events for i in e["identifiers"] if i["type"] == "ACCOUNT"}
    assert accounts and "cust-42" not in accounts
    for account in sorted(accounts):
        own = await api.data(JOURNEY, {"value": account}, role="agent")
        timeline = own["resolve"]["person"]["events"]["edges"]
        assert {edge["node"]["id"] for edge in timeline} == {e["id"] for e in events}
