// "Why these belong together": the person's explanation as sentences, one per identifier,
// naming the identifiers each is linked with and the evidence (kind, how many events, when).

import { confidenceWords, h, percent, when } from "./dom.js";

/** The explanation fields the sentences need (none when the server has no explanation). */
export function explanationFields(features) {
  if (!features.has("Person.explanation")) return "";
  return `explanation { identifiers { identifier { type value } confidence shared
    links { edge { source { type value } target { type value } kind count firstSeen lastSeen merged }
            evidenceEventIds } } }`;
}

const KINDS = {
  VERIFIED_LOGIN: "verified login", LOGIN: "login", IDENTIFY: "identify call",
  TOUCHPOINT: "touchpoint", MANUAL: "admin merge",
};

function name(identifier) {
  return `${identifier.type} ${identifier.value}`;
}

function period(edge) {
  const first = when(edge.firstSeen);
  const last = when(edge.lastSeen);
  return first === last ? `on ${first}` : `from ${first} to ${last}`;
}

/** One sentence about one link of an identifier: with whom, what evidence, when. */
function linkWords(identifier, step) {
  const { edge } = step;
  const other = edge.source.type === identifier.type && edge.source.value === identifier.value
    ? edge.target : edge.source;
  const kind = KINDS[edge.kind] || edge.kind.toLowerCase();
  const times = edge.count === 1 ? `one ${kind}` : `${edge.count} events (strongest: ${kind})`;
  return `seen with ${name(other)} in ${times} ${period(edge)}`;
}

/** The sentence for one identifier of the person. */
export function evidenceSentence(item) {
  const who = name(item.identifier);
  const sure = `${percent(item.confidence)}, ${confidenceWords(item.confidence)}`;
  const head = item.shared
    ? `${who} is shared with other persons; it is listed here at ${sure}`
    : `${who} belongs to this person (${sure})`;
  if (!item.links.length) return `${head}: it was only ever seen on its own.`;
  return `${head}: ${item.links.map((s) => linkWords(item.identifier, s)).join("; ")}.`;
}

export function explanationView(explanation) {
  if (!explanation || !explanation.identifiers) return null;
  return [
    h("h3", {}, "Why these belong together"),
    h("ul.explanation", { id: "explanation" },
      explanation.identifiers.map((item) => h("li", {}, evidenceSentence(item)))),
  ];
}
