// The cluster picture's layout: rings around the searched identifier (identifiers by hops from
// it, persons outside), spaced by each node's size with its label so no two labels overlap, then
// every link that would run through a node it does not join is bent around it. A force layout
// piled hubs and their neighbours into one knot; rings alone drew links straight through other
// nodes. Both steps are deterministic: the same cluster is always drawn the same way.

export const LAYOUT = {
  name: "concentric", animate: false, padding: 24, minNodeSpacing: 18, startAngle: Math.PI / 2,
  avoidOverlap: true, nodeDimensionsIncludeLabels: true,
  concentric: (node) => node.data("ring"), levelWidth: () => 1,
};

const MARGIN = 6;

function box(node) {
  const b = node.boundingBox({ includeLabels: false, includeOverlays: false });
  return { x1: b.x1 - MARGIN, y1: b.y1 - MARGIN, x2: b.x2 + MARGIN, y2: b.y2 + MARGIN };
}

function inside(p, b) {
  return p.x > b.x1 && p.x < b.x2 && p.y > b.y1 && p.y < b.y2;
}

/** Points along an edge as Cytoscape draws it: a straight line, or a quadratic curve. */
function pathPoints(edge, n = 40) {
  const s = edge.sourceEndpoint();
  const t = edge.targetEndpoint();
  const ctrl = edge.controlPoints();
  const c = ctrl && ctrl.length ? ctrl[0] : { x: (s.x + t.x) / 2, y: (s.y + t.y) / 2 };
  const points = [];
  for (let i = 1; i < n; i += 1) {
    const u = i / n;
    points.push({
      x: (1 - u) * (1 - u) * s.x + 2 * (1 - u) * u * c.x + u * u * t.x,
      y: (1 - u) * (1 - u) * s.y + 2 * (1 - u) * u * c.y + u * u * t.y,
    });
  }
  return points;
}

function hits(edge, boxes) {
  const points = pathPoints(edge);
  return boxes.filter((b) => points.some((p) => inside(p, b))).length;
}

function bend(edge, d) {
  if (d === 0) edge.removeStyle("curve-style control-point-distances control-point-weights");
  else edge.style({ "curve-style": "unbundled-bezier", "control-point-distances": [d], "control-point-weights": [0.5] });
}

/** Bend each link that crosses a node it does not join, trying wider bends on either side. */
export function bendAroundNodes(cy) {
  const boxes = new Map(cy.nodes().map((n) => [n.id(), box(n)]));
  cy.edges().forEach((edge) => {
    const ends = new Set([edge.source().id(), edge.target().id()]);
    const others = [...boxes].filter(([id]) => !ends.has(id)).map(([, b]) => b);
    if (!hits(edge, others)) return;
    const s = edge.source().position();
    const t = edge.target().position();
    const len = Math.hypot(t.x - s.x, t.y - s.y);
    let best = { d: 0, hits: hits(edge, others) };
    for (const step of [0.15, 0.25, 0.35, 0.5, 0.7, 0.9]) {
      for (const sign of [1, -1]) {
        const d = sign * step * len;
        bend(edge, d);
        const found = hits(edge, others);
        if (found < best.hits) best = { d, hits: found };
      }
      if (best.hits === 0) break;
    }
    bend(edge, best.d);
  });
}
