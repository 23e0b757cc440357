"""The fraud team's journey in a real browser: shared identifiers ranked by persons then recency,
the cluster picture (nodes as the API answers them, hubs marked, legend), clicking an identifier
re-centres and clicking a person opens it; and a fraud key gets no admin action."""

from __future__ import annotations

import secrets
from typing import Any

from tests.console.conftest import ConsoleApp, Tab

NEIGHBORHOOD = """
query($i: IdentifierInput!) { neighborhood(identifier: $i, hops: 2) {
  nodes { type value personIds shared } edges { cut merged } } }
"""


def cy(tab: Tab, script: str) -> Any:
    """Evaluate `script` with `cy`, the page's Cytoscape instance."""
    return tab.page.evaluate(
        f"(() => {{ const cy = document.getElementById('cy').cy; return {script}; }})()"
    )


def drawn(tab: Tab) -> None:
    """Wait until the cluster is drawn (its summary line counts the links)."""
    tab.page.wait_for_selector("#cluster .status:has-text('links')")


def click_node(tab: Tab, node_id: str) -> None:
    """A real mouse click where Cytoscape drew the node."""
    x, y = cy(
        tab, f"[cy.$id({node_id!r}).renderedPosition().x, cy.$id({node_id!r}).renderedPosition().y]"
    )
    box = tab.page.locator("#cy").bounding_box()
    assert box is not None
    tab.page.mouse.click(box["x"] + x, box["y"] + y)


def test_fraud_ranks_shared_identifiers_and_draws_the_cluster(
    tab: Tab, console: ConsoleApp
) -> None:
    tab.sign_in(console.keys["fraud"], "fraud")
    page = tab.page
    tab.goto("/console#/fraud")
    page.wait_for_selector("#shared-table tbody tr")
    counts = [
        int(c) for c in page.locator("#shared-table tbody tr td:nth-child(4)").all_inner_texts()
    ]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 2
    top = page.locator("#shared-table tbody tr").first
    value = top.get_attribute("data-value")
    top.focus()  # keyboard: a ranked row opens its cluster with Enter
    page.keyboard.press("Enter")
    drawn(tab)
    kind = page.url.split("type=")[1]
    graph = console.data(NEIGHBORHOOD, {"i": {"type": kind, "value": value}})["neighborhood"]
    persons = {p for n in graph["nodes"] for p in n["personIds"]}
    assert cy(tab, "cy.nodes('[kind = \"identifier\"]').length") == len(graph["nodes"])
    assert cy(tab, "cy.nodes('[kind = \"person\"]').length") == len(persons)
    assert cy(tab, "cy.edges('.cut').length") == sum(e["cut"] for e in graph["edges"])
    hubs = sorted(
        f"i:{n['type']}:{n['value']}"
        for n in graph["nodes"]
        if n["shared"] and len(n["personIds"]) >= console.settings.hub_persons
    )
    assert hubs, "the demo world's top shared identifier should be a hub"
    assert sorted(cy(tab, "cy.nodes('.hub').map(n => n.id())")) == hubs
    assert "cut by a logout" in page.inner_text("#legend")
    tab.shoot("fraud")
    # an identifier re-centres the picture on itself
    other = next(n for n in graph["nodes"] if n["value"] != value)
    click_node(tab, f"i:{other['type']}:{other['value']}")
    page.wait_for_selector(f"#cluster-title:has-text('{other['value']}')")
    drawn(tab)
    # a person opens the person card
    person = cy(tab, "cy.nodes('[kind = \"person\"]')[0].data('personId')")
    click_node(tab, f"p:{person}")
    page.wait_for_selector(f"#person-id:text-is('{person}')")


def test_fraud_key_gets_no_admin_action(tab: Tab, console: ConsoleApp) -> None:
    tab.sign_in(console.keys["fraud"], "fraud")
    assert tab.page.locator("#nav a").all_inner_texts() == ["Agent", "Fraud"]
    tab.goto("/console#/admin")
    tab.page.wait_for_selector("text=may not use")
    assert tab.page.locator("#main form").count() == 0
    assert tab.forced(
        'mutation { mergePersons(personIds: ["A", "B"], reason: "forced") { id } }'
    ) == ["FORBIDDEN"]


CLUSTERS = (
    "{ clusters(first: 10) { edges { node { sharedIdentifiers { type value personCount } } } } }"
)


def test_clusters_are_named_by_what_joins_most_persons(tab: Tab, console: ConsoleApp) -> None:
    """Each cluster leads with its hubs and the identifiers that join most persons, each with
    its person count, not with the first few in alphabetical order."""
    tab.sign_in(console.keys["fraud"], "fraud")
    page = tab.page
    tab.goto("/console#/fraud")
    page.wait_for_selector("#clusters li")
    clusters = [e["node"] for e in console.data(CLUSTERS)["clusters"]["edges"]]
    items = page.locator("#clusters li")
    assert items.count() == len(clusters)
    for n, found in enumerate(clusters):
        names = items.nth(n).locator("button")
        shown = [int(c) for c in names.evaluate_all("els => els.map(e => e.dataset.persons)")]
        assert shown == sorted(shown, reverse=True), shown
        assert shown[0] == max(s["personCount"] for s in found["sharedIdentifiers"])
        assert f"{shown[0]} persons" in names.first.inner_text()
    hub = console.settings.hub_persons
    if any(s["personCount"] >= hub for c in clusters for s in c["sharedIdentifiers"]):
        assert "hub," in page.inner_text("#clusters")


INGEST = """mutation($events: [EventInput!]!) {
  ingest(events: $events) { accepted rejected { reason } } }"""

#: in the page: node boxes and label boxes that overlap, and links that run through a node they
#: do not join (sampled along the line or curve Cytoscape draws)
GEOMETRY = """(() => {
  const cy = document.getElementById('cy').cy;
  const nodes = cy.nodes();
  const shape = (n) => n.boundingBox({includeLabels: false, includeOverlays: false});
  const label = (n) => n.boundingBox({includeNodes: false, includeLabels: true,
                                      includeOverlays: false});
  const meet = (a, b) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
  const overlaps = [];
  nodes.forEach((a, i) => nodes.forEach((b, j) => {
    if (j <= i) return;
    for (const [ka, ba] of [['node', shape(a)], ['label', label(a)]])
      for (const [kb, bb] of [['node', shape(b)], ['label', label(b)]])
        if (meet(ba, bb)) overlaps.push(`${a.id()} ${ka} / ${b.id()} ${kb}`);
  }));
  const through = [];
  cy.edges().forEach((e) => {
    const s = e.sourceEndpoint(), t = e.targetEndpoint(), cp = e.controlPoints();
    const c = cp && cp.length ? cp[0] : {x: (s.x + t.x) / 2, y: (s.y + t.y) / 2};
    nodes.forEach((n) => {
      if (n.same(e.source()) || n.same(e.target())) return;
      const b = shape(n);
      for (let i = 1; i < 60; i += 1) {
        const u = i / 60;
        const x = (1-u)*(1-u)*s.x + 2*(1-u)*u*c.x + u*u*t.x;
        const y = (1-u)*(1-u)*s.y + 2*(1-u)*u*c.y + u*u*t.y;
        if (x > b.x1 && x < b.x2 && y > b.y1 && y < b.y2) {
          through.push(`${e.id()} through ${n.id()}`); break;
        }
      }
    });
  });
  return {nodes: nodes.length, overlaps, through};
})()"""


def fifty_node_cluster(console: ConsoleApp) -> str:
    """A fraud device that 16 accounts logged in on, each from a cookie of its own: a cluster
    of 49 nodes (the device, 16 accounts, 16 cookies, 16 persons); the device's value."""
    tag = secrets.token_hex(3)
    device = f"fraud-rig-{tag}"
    events = []
    for n in range(16):
        ids = [
            {"type": "ACCOUNT", "value": f"acct-rig-{tag}-{n}"},
            {"type": "COOKIE", "value": f"ck-rig-{tag}-{n}"},
            {"type": "DEVICE", "value": device},
        ]
        at = f"2026-02-{1 + n:02d}T09:"
        events.append({"id": f"rig-{tag}-{n}-in", "at": f"{at}00:00Z", "type": "LOGIN",
                       "identifiers": ids})  # fmt: skip
        events.append({"id": f"rig-{tag}-{n}-out", "at": f"{at}30:00Z", "type": "LOGOUT",
                       "identifiers": [ids[0], ids[2]]})  # fmt: skip
    result = console.data(INGEST, {"events": events}, role="ingest")["ingest"]
    assert result == {"accepted": len(events), "rejected": []}
    return device


def test_the_cluster_picture_stays_readable_at_fifty_nodes(tab: Tab, console: ConsoleApp) -> None:
    device = fifty_node_cluster(console)
    tab.sign_in(console.keys["fraud"], "fraud")
    page = tab.page
    page.set_viewport_size({"width": 1280, "height": 900})
    tab.goto(f"/console#/fraud?q={device}&type=DEVICE")
    drawn(tab)
    geometry = page.evaluate(GEOMETRY)
    assert 45 <= geometry["nodes"] <= 60, geometry["nodes"]
    assert geometry["overlaps"] == [], geometry["overlaps"][:10]
    assert geometry["through"] == [], geometry["through"][:10]
    tab.shoot("fraud-cluster-50")
