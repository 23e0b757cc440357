// Fraud view: shared identifiers ranked by how many persons use them (then by recency), and the
// cluster around one identifier drawn with Cytoscape.js: identifiers and persons as nodes,
// observation links with their kind, strength and time, cut and unmerged (shared) links drawn
// differently, hubs marked. Clicking an identifier re-centres on it; clicking a person opens it.

import cytoscape from "../vendor/cytoscape.esm.min.js";
import { describe, gql } from "./api.js";
import { fill, go, guessType, h, idText, notice, status, timeEl, TYPES, typeBadge, when } from "./dom.js";
import { bendAroundNodes, LAYOUT } from "./layout.js";

const PAGE = 20;
const COLORS = { COOKIE: "#7a5af8", DEVICE: "#0e9384", EMAIL: "#2457c5", PHONE: "#c11574", ACCOUNT: "#b54708" };
const SHAPES = { COOKIE: "ellipse", DEVICE: "round-rectangle", EMAIL: "round-diamond", PHONE: "round-triangle", ACCOUNT: "star" };

function rank(items) {
  return [...items].sort((a, b) => b.personCount - a.personCount || b.lastSeen.localeCompare(a.lastSeen));
}

function sharedList(onOpen) {
  const type = h("select", { id: "shared-type" }, h("option", { value: "" }, "all types"),
    TYPES.map((t) => h("option", { value: t }, t)));
  const body = h("tbody");
  const line = h("p.status", { "aria-live": "polite" });
  const more = h("button", { type: "button", hidden: true }, "More");
  let after = null;
  let items = [];

  function render() {
    fill(body, rank(items).map((s, n) => h("tr.clickable", {
      tabindex: 0, dataset: { value: s.value },
      onclick: () => onOpen(s), onkeydown: (e) => { if (e.key === "Enter") onOpen(s); },
    },
    h("td", {}, String(n + 1)), h("td", {}, typeBadge(s.type)), h("td.value", {}, s.value),
    h("td", {}, String(s.personCount)), h("td.opt", {}, timeEl(s.lastSeen)))));
  }

  async function load(reset) {
    if (reset) { after = null; items = []; }
    status(line, "Loading shared identifiers…");
    try {
      const data = await gql(`query ConsoleShared($first: Int!, $after: String, $types: [IdentifierType!]) {
        sharedIdentifiers(first: $first, after: $after, types: $types) {
          edges { node { type value personCount lastSeen } } pageInfo { hasNextPage endCursor } } }`,
      { first: PAGE, after, types: type.value ? [type.value] : null });
      const page = data.sharedIdentifiers;
      items = items.concat(page.edges.map((e) => e.node));
      after = page.pageInfo.endCursor;
      more.hidden = !page.pageInfo.hasNextPage;
      status(line, items.length ? "Most persons first, then most recently seen. Pick one to see its cluster." : "No identifier is shared.");
      render();
    } catch (error) {
      status(line, describe(error), "error");
    }
  }
  type.addEventListener("change", () => load(true));
  more.addEventListener("click", () => load(false));
  load(true);
  return h("section.card", { "aria-labelledby": "shared-title" },
    h("div.row", { style: "justify-content:space-between" },
      h("h2", { id: "shared-title" }, "Shared identifiers"), h("label.inline", {}, "Type", type)),
    line,
    h("div.table-wrap", {}, h("table", { id: "shared-table", "aria-label": "Shared identifiers, ranked" },
      h("thead", {}, h("tr", {}, h("th", {}, "#"), h("th", {}, "Type"), h("th", {}, "Value"),
        h("th", {}, "Persons"), h("th.opt", {}, "Last seen"))), body)),
    more);
}

const key = (i) => `i:${i.type}:${i.value}`;

/** Hops from the searched identifier to each identifier, over the observation links. */
function hopsFrom(graph, center) {
  const next = new Map();
  for (const e of graph.edges) {
    for (const [a, b] of [[e.source, e.target], [e.target, e.source]]) {
      if (!next.has(key(a))) next.set(key(a), []);
      next.get(key(a)).push(key(b));
    }
  }
  const hops = new Map([[key(center), 0]]);
  const queue = [key(center)];
  while (queue.length) {
    const at = queue.shift();
    for (const to of next.get(at) || []) {
      if (!hops.has(to)) { hops.set(to, hops.get(at) + 1); queue.push(to); }
    }
  }
  return hops;
}

function elements(graph, center, hubPersons) {
  const els = [];
  const persons = new Set();
  const hops = hopsFrom(graph, center);
  for (const node of graph.nodes) {
    const hub = node.shared && node.personIds.length >= hubPersons;
    const isCenter = node.type === center.type && node.value === center.value;
    const label = node.value.length > 22 ? `${node.value.slice(0, 20)}…` : node.value;
    els.push({ group: "nodes", data: { id: key(node), label: hub ? `HUB ${label}` : label, kind: "identifier",
      type: node.type, value: node.value, color: COLORS[node.type], shape: SHAPES[node.type],
      persons: node.personIds.length, firstSeen: node.firstSeen, lastSeen: node.lastSeen,
      ring: 100 - (hops.get(key(node)) ?? 99) },
    classes: [node.shared ? "shared" : "", hub ? "hub" : "", isCenter ? "center" : ""].join(" ").trim() });
    for (const pid of node.personIds) {
      if (!persons.has(pid)) {
        persons.add(pid);
        els.push({ group: "nodes", data: { id: `p:${pid}`, label: `person ${pid.slice(0, 8)}`, kind: "person", personId: pid, ring: 0 } });
      }
      els.push({ group: "edges", classes: "member", data: { id: `m:${key(node)}:${pid}`, source: key(node), target: `p:${pid}` } });
    }
  }
  graph.edges.forEach((edge, n) => {
    const state = edge.cut ? "cut" : edge.merged ? "merged" : "unmerged";
    els.push({ group: "edges", classes: `obs ${state}`, data: {
      id: `e:${n}`, source: key(edge.source), target: key(edge.target), width: 1 + 4 * edge.strength,
      label: `${edge.kind} ${edge.strength.toFixed(2)}`, kind: edge.kind, strength: edge.strength, count: edge.count,
      firstSeen: edge.firstSeen, lastSeen: edge.lastSeen, cutAt: edge.cutAt, state } });
  });
  return els;
}

const STYLE = [
  { selector: "node", style: { label: "data(label)", "font-size": 10, "text-valign": "bottom", "text-margin-y": 3,
    color: "#1d2430", "text-wrap": "none", width: 22, height: 22, "text-background-color": "#fff",
    "text-background-opacity": 0.8, "text-background-padding": 1 } },
  { selector: "node[kind = 'identifier']", style: { "background-color": "data(color)", shape: "data(shape)" } },
  { selector: "node[kind = 'person']", style: { "background-color": "#1d2430", shape: "round-rectangle",
    width: 30, height: 18, "font-weight": "bold" } },
  { selector: "node.shared", style: { "border-width": 3, "border-color": "#b54708" } },
  { selector: "node.hub", style: { "border-width": 6, "border-style": "double", "border-color": "#b42318",
    width: 34, height: 34, "font-weight": "bold", color: "#b42318" } },
  { selector: "node.center", style: { "underlay-color": "#f79009", "underlay-padding": 6, "underlay-opacity": 0.45 } },
  { selector: "edge", style: { "curve-style": "bezier", width: 1, "line-color": "#98a2b3" } },
  { selector: "edge.member", style: { "line-style": "dashed", "line-dash-pattern": [3, 3], "line-color": "#c0c6d0" } },
  { selector: "edge.obs", style: { width: "data(width)", "line-color": "#475467" } },
  { selector: "edge.unmerged", style: { "line-style": "dotted", "line-color": "#b54708" } },
  { selector: "edge.cut", style: { "line-style": "dashed", "line-color": "#b42318" } },
  { selector: "edge.labelled", style: { label: "data(label)", "font-size": 7, "text-rotation": "autorotate",
    "text-background-color": "#fff", "text-background-opacity": 0.85, "text-background-padding": 1 } },
  { selector: ":selected", style: { "overlay-color": "#f79009", "overlay-opacity": 0.25 } },
];

function legend(hubPersons) {
  const dot = (color) => h("span.swatch", { style: `background:${color}` });
  return h("div.legend", { id: "legend", "aria-label": "Legend" },
    Object.entries(COLORS).map(([t, c]) => h("span", {}, dot(c), t.toLowerCase())),
    h("span", {}, dot("#1d2430"), "person"),
    h("span", {}, h("span.swatch.sharedring"), "shared identifier"),
    h("span", {}, h("span.swatch.hubring"), `hub (${hubPersons}+ persons)`),
    h("span", {}, h("span.swatch.line"), "link that joined (width = strength)"),
    h("span", {}, h("span.swatch.line.shared"), "link that did not join (shared)"),
    h("span", {}, h("span.swatch.line.cut"), "cut by a logout"),
    h("span", {}, h("span.swatch.line.member"), "belongs to person"));
}

function details(data) {
  if (data.kind === "person") return h("p", {}, "Person ", h("code", {}, data.personId));
  if (data.kind === "identifier") {
    return h("dl.kv", {}, h("dt", {}, "identifier"), h("dd", {}, `${data.type}:${data.value}`),
      h("dt", {}, "persons"), h("dd", {}, String(data.persons)),
      h("dt", {}, "seen"), h("dd", {}, `${when(data.firstSeen)} – ${when(data.lastSeen)}`));
  }
  return h("dl.kv", {}, h("dt", {}, "link"), h("dd", {}, `${data.kind}, strength ${data.strength.toFixed(2)}`),
    h("dt", {}, "observed"), h("dd", {}, `${data.count} time${data.count === 1 ? "" : "s"}, ${when(data.firstSeen)} – ${when(data.lastSeen)}`),
    h("dt", {}, "state"), h("dd", {}, data.state === "cut" ? `cut by a logout at ${when(data.cutAt)}` : data.state === "merged" ? "joined its ends into one person" : "did not join (shared or refused)"));
}

function cluster(features, config, identifier) {
  const hubPersons = config.hubPersons || 8;
  const box = h("div", { id: "cy", role: "img", "aria-label": `Cluster around ${idText(identifier)}` });
  const info = h("div", { id: "cy-details", "aria-live": "polite" }, h("p.muted.small", {}, "Click a link or node for its details; click an identifier to centre on it, a person to open it."));
  const line = h("p.status", { "aria-live": "polite" });
  const hops = h("select", { id: "hops" }, [1, 2, 3].map((n) => h("option", { value: n }, `${n} hop${n > 1 ? "s" : ""}`)));
  hops.value = "2";
  const list = h("ul.small", { id: "cy-nodes", "aria-label": "Identifiers in the picture" });
  const truncated = features.has("Graph.truncated") ? "truncated" : "";

  async function draw() {
    status(line, `Loading the cluster around ${idText(identifier)}…`);
    try {
      const data = await gql(`query ConsoleNeighborhood($identifier: IdentifierInput!, $hops: Int!) {
        neighborhood(identifier: $identifier, hops: $hops) { ${truncated}
          nodes { type value personIds shared firstSeen lastSeen }
          edges { source { type value } target { type value } kind strength count firstSeen lastSeen cut cutAt merged } } }`,
      { identifier, hops: Number(hops.value) });
      const graph = data.neighborhood;
      if (!graph.nodes.length) { status(line, `Nothing is known about ${idText(identifier)}.`); return; }
      const els = elements(graph, identifier, hubPersons);
      if (box.cy) box.cy.destroy();
      // a bigger cluster gets a taller picture, so its labels stay a readable size once fitted
      const count = els.filter((el) => el.group === "nodes").length;
      box.style.height = count > 36 ? `${Math.min(900, 14 * count)}px` : "";
      const cy = cytoscape({ container: box, elements: els, style: STYLE, wheelSensitivity: 0.3,
        layout: LAYOUT });
      if (graph.edges.length <= 12) cy.edges(".obs").addClass("labelled");
      bendAroundNodes(cy);
      box.cy = cy;
      cy.on("tap", "node[kind = 'identifier']", (e) => go("fraud", { q: e.target.data("value"), type: e.target.data("type") }));
      cy.on("tap", "node[kind = 'person']", (e) => go("agent", { person: e.target.data("personId") }));
      cy.on("tap", "edge.obs", (e) => fill(info, details(e.target.data())));
      cy.on("mouseover", "node", (e) => fill(info, details(e.target.data())));
      const hubs = graph.nodes.filter((n) => n.shared && n.personIds.length >= hubPersons).length;
      status(line, `${graph.nodes.length} identifiers, ${graph.edges.length} links${hubs ? `, ${hubs} hub${hubs > 1 ? "s" : ""}` : ""}.`
        + (graph.truncated ? " The walk was cut short at a hub or a limit: not everything is drawn." : ""));
      fill(list, graph.nodes.map((n) => h("li", {}, h("button.link", { type: "button",
        onclick: () => go("fraud", { q: n.value, type: n.type }) }, idText(n)),
      n.shared ? ` (shared by ${n.personIds.length})` : "")));
    } catch (error) {
      status(line, describe(error), "error");
    }
  }
  hops.addEventListener("change", draw);
  // Cytoscape needs the container laid out; draw once the view is in the document.
  requestAnimationFrame(draw);
  return h("section.card", { "aria-labelledby": "cluster-title", id: "cluster" },
    h("div.row", { style: "justify-content:space-between" },
      h("h2", { id: "cluster-title" }, "Cluster around ", h("code", {}, idText(identifier))),
      h("label.inline", {}, "Depth", hops)),
    line, box, legend(hubPersons), info,
    h("details", {}, h("summary", {}, "Identifiers in the picture (keyboard list)"), list));
}

/** A cluster is named by what holds it together: its hubs and the identifiers joining most persons. */
function clusterName(c, hubPersons) {
  const joining = [...c.sharedIdentifiers]
    .sort((a, b) => b.personCount - a.personCount || idText(a).localeCompare(idText(b)))
    .slice(0, 3);
  return joining.map((s) => h("button.link", { type: "button", dataset: { persons: s.personCount },
    onclick: () => go("fraud", { q: s.value, type: s.type }) },
  idText(s), ` (${s.personCount >= hubPersons ? "hub, " : ""}${s.personCount} persons) `));
}

function clustersList(hubPersons) {
  const body = h("div", { id: "clusters" }, h("p.muted", {}, "Loading clusters…"));
  gql(`query ConsoleClusters { clusters(first: 10) { edges { node { id size
    sharedIdentifiers { type value personCount } } } } }`).then((data) => {
    const nodes = data.clusters.edges.map((e) => e.node);
    fill(body, nodes.length ? h("ul", {}, nodes.map((c) => h("li", {},
      `${c.size} persons joined by `, clusterName(c, hubPersons)))) : h("p.muted", {}, "No clusters."));
  }).catch((error) => fill(body, h("p.error", {}, describe(error))));
  return h("section.card", {}, h("h2", {}, "Clusters"), body);
}

export function fraudView(state, params) {
  const { features, config } = state;
  const open = (s) => go("fraud", { q: s.value, type: s.type });
  const text = h("input.grow", { id: "fraud-q", required: true, placeholder: "identifier to look around", value: params.get("q") || "" });
  const search = h("form.row", { role: "search", onsubmit: (e) => { e.preventDefault(); open(guessType(text.value)); } },
    h("label", { for: "fraud-q", style: "flex:1 1 260px" }, "Identifier", text), h("button.primary", { type: "submit" }, "Show cluster"));
  const q = params.get("q");
  const center = q ? (params.get("type") ? { type: params.get("type"), value: q } : guessType(q)) : null;
  return h("div", {},
    h("h1", {}, "Shared devices and clusters"),
    h("section.card", {}, search),
    center ? cluster(features, config, center) : notice("", "Pick a shared identifier below, or search one, to draw its cluster."),
    h("div.grid", {}, sharedList(open), features.has("Query.clusters") ? clustersList(state.config.hubPersons || 8) : null));
}
