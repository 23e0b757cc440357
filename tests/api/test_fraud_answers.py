"""Guards what the fraud team reads over HTTP around a kiosk: edges into a shared device never
claim a merge that `explain` denies, `explain` names the kiosk as shared, a neighbourhood cut
short by a hub says so and why, and an evidence event opens by its id until it is erased."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.api.conftest import Api

KIOSK = {"type": "DEVICE", "value": "kiosk-lobby"}
CUSTOMERS = 10  # more than the default hub_persons (8): the kiosk is a hub


def account(n: int) -> dict[str, str]:
    return {"type": "ACCOUNT", "value": f"kiosk-user-{n}"}


def kiosk_day() -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    for n in range(CUSTOMERS):
        hour = f"{8 + n:02d}"
        email = {"type": "EMAIL", "value": f"kiosk-user-{n}@example.com"}
        events += [
            {"id": f"k-login-{n}", "at": f"2026-02-02T{hour}:00:00+00:00", "type": "LOGIN",
             "identifiers": [account(n), KIOSK]},
            {"id": f"k-identify-{n}", "at": f"2026-02-02T{hour}:01:00+00:00", "type": "IDENTIFY",
             "identifiers": [account(n), email]},
            {"id": f"k-logout-{n}", "at": f"2026-02-02T{hour}:30:00+00:00", "type": "LOGOUT",
             "identifiers": [account(n), KIOSK]},
        ]  # fmt: skip
    return events


NEIGHBORHOOD = """
query($i: IdentifierInput!, $hops: Int) {
  neighborhood(identifier: $i, hops: $hops) {
    truncated truncatedReason
    nodes { type value shared }
    edges { source { type value } target { type value } merged }
  }
}
"""
EXPLAIN = """
query($a: IdentifierInput!, $b: IdentifierInput!) {
  explain(a: $a, b: $b) { joined reason steps { edge { merged } } }
}
"""
EVENT = """
query($id: ID!) {
  event(id: $id) { id at type channel identifiers { type value } attributes }
}
"""


async def test_edges_into_a_shared_kiosk_agree_with_explain(api: Api, clean_db: None) -> None:
    await api.ingest(kiosk_day())
    graph = (await api.data(NEIGHBORHOOD, {"i": account(0), "hops": 1}, role="fraud"))[
        "neighborhood"
    ]
    into_kiosk = [e for e in graph["edges"] if KIOSK in (e["source"], e["target"])]
    assert into_kiosk, graph
    assert not any(e["merged"] for e in into_kiosk), into_kiosk
    explained = (await api.data(EXPLAIN, {"a": account(0), "b": KIOSK}, role="fraud"))["explain"]
    assert explained["joined"] is False
    assert "DEVICE:kiosk-lobby is shared" in explained["reason"], explained["reason"]
    assert "different persons" not in explained["reason"]
    assert [s["edge"]["merged"] for s in explained["steps"]] == [False]


async def test_a_neighbourhood_cut_by_a_hub_says_so(api: Api, clean_db: None) -> None:
    await api.ingest(kiosk_day())
    answers = []
    for hops in (2, 3, 4):
        data = await api.data(NEIGHBORHOOD, {"i": account(0), "hops": hops}, role="fraud")
        answers.append(data["neighborhood"])
    for graph in answers:
        assert graph["truncated"] is True
        assert "DEVICE:kiosk-lobby" in graph["truncatedReason"]
    email = {"type": "EMAIL", "value": "kiosk-user-0@example.com"}
    whole = (await api.data(NEIGHBORHOOD, {"i": email, "hops": 1}, role="fraud"))["neighborhood"]
    assert whole["truncated"] is False and whole["truncatedReason"] is None
    assert {n["value"] for n in whole["nodes"]} == {"kiosk-user-0@example.com", "kiosk-user-0"}


async def test_an_event_opens_by_id_until_erased(api: Api, clean_db: None) -> None:
    events = kiosk_day()
    events[1]["channel"] = "web"
    events[1]["attributes"] = {"form": "signup"}
    await api.ingest(events)
    found = (await api.data(EVENT, {"id": "k-identify-0"}, role="fraud"))["event"]
    assert found == {
        "id": "k-identify-0",
        "at": "2026-02-02T08:01:00+00:00",
        "type": "IDENTIFY",
        "channel": "web",
        "identifiers": [account(0), {"type": "EMAIL", "value": "kiosk-user-0@example.com"}],
        "attributes": {"form": "signup"},
    }
    assert (await api.data(EVENT, {"id": "no-such-event"}, role="fraud"))["event"] is None
    assert api.codes(await api.gql(EVENT, {"id": "k-identify-0"}, role="agent")) == ["FORBIDDEN"]

    person = (await api.data(RESOLVE_ID, {"i": account(0)}))["resolve"]["person"]["id"]
    await api.data(FORGET, {"id": person})
    assert (await api.data(EVENT, {"id": "k-identify-0"}, role="fraud"))["event"] is None


RESOLVE_ID = "query($i: IdentifierInput!) { resolve(identifier: $i) { person { id } } }"
FORGET = 'mutation($id: ID!) { forgetPerson(personId: $id, reason: "erasure") { personId } }'
