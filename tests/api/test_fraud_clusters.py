"""Guards the fraud team's clusters over HTTP: persons joined through shared identifiers are
one cluster with its size, members, shared identifiers and login velocity; clusters are ranked
(largest, then busiest) and cursor-paginated; only fraud and admin may ask."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.api.conftest import Api

RIG = {"type": "DEVICE", "value": "rig-7"}
TABLET = {"type": "DEVICE", "value": "family-tablet"}


def login(event_id: str, at: str, account: str, device: dict[str, str]) -> dict[str, Any]:
    return {"id": event_id, "at": at, "type": "LOGIN",
            "identifiers": [{"type": "ACCOUNT", "value": account}, device]}  # fmt: skip


WORLD = [
    *(login(f"rig-{n}", f"2026-03-01T02:{10 * n:02d}:00+00:00", f"mule-{n}", RIG)
      for n in range(5)),
    login("tab-1", "2026-03-01T18:00:00+00:00", "mum", TABLET),
    {"id": "tab-1-out", "at": "2026-03-01T19:00:00+00:00", "type": "LOGOUT",
     "identifiers": [{"type": "ACCOUNT", "value": "mum"}, TABLET]},
    login("tab-2", "2026-03-02T18:00:00+00:00", "dad", TABLET),
    login("alone", "2026-03-02T18:00:00+00:00", "loner", {"type": "DEVICE", "value": "own-phone"}),
]  # fmt: skip

CLUSTERS = """
query($min: Int, $first: Int, $after: String) {
  clusters(minPersons: $min, first: $first, after: $after) {
    edges { cursor node {
      id size peakLoginsPerHour
      persons { id identifiers { type value } }
      sharedIdentifiers { type value personCount }
      loginVelocity { identifier { type value } logins peakPerHour }
    } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


def accounts(cluster: dict[str, Any]) -> set[str]:
    return {
        i["value"] for p in cluster["persons"] for i in p["identifiers"] if i["type"] == "ACCOUNT"
    }


async def test_clusters_are_ranked_and_described(api: Api, clean_db: None) -> None:
    await api.ingest(WORLD)
    data = (await api.data(CLUSTERS, {}, role="fraud"))["clusters"]
    rig, family = (e["node"] for e in data["edges"])
    assert data["pageInfo"]["hasNextPage"] is False
    assert rig["size"] == 5 and accounts(rig) == {f"mule-{n}" for n in range(5)}
    assert rig["sharedIdentifiers"] == [{"type": "DEVICE", "value": "rig-7", "personCount": 5}]
    assert rig["loginVelocity"] == [{"identifier": RIG, "logins": 5, "peakPerHour": 5}]
    assert rig["peakLoginsPerHour"] == 5
    assert family["size"] == 2 and accounts(family) == {"mum", "dad"}
    assert family["loginVelocity"] == [{"identifier": TABLET, "logins": 2, "peakPerHour": 1}]


async def test_clusters_page_and_filter(api: Api, clean_db: None) -> None:
    await api.ingest(WORLD)
    big = (await api.data(CLUSTERS, {"min": 3}, role="fraud"))["clusters"]["edges"]
    assert [e["node"]["size"] for e in big] == [5]
    first = (await api.data(CLUSTERS, {"first": 1}, role="admin"))["clusters"]
    assert first["pageInfo"]["hasNextPage"] is True
    rest = await api.data(CLUSTERS, {"first": 1, "after": first["pageInfo"]["endCursor"]})
    assert [e["node"]["size"] for e in rest["clusters"]["edges"]] == [2]
    assert rest["clusters"]["pageInfo"]["hasNextPage"] is False
    assert api.codes(await api.gql(CLUSTERS, {}, role="agent")) == ["FORBIDDEN"]
    assert api.codes(await api.gql(CLUSTERS, {"min": 1}, role="fraud")) == ["BAD_USER_INPUT"]
