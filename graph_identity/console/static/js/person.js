// The person card (identifiers with confidence, shared flags, first/last seen, merged ids) and the
// journey timeline (newest first, paged, filtered by type, channel and dates). Used by the agent
// and admin views.

import { describe, gql } from "./api.js";
import {
  confidenceWords, fill, go, h, idText, longText, meter, percent, status, timeEl, typeBadge,
} from "./dom.js";
import { explanationFields, explanationView } from "./explanation.js";

export const EVENT_TYPES = [
  "LOGIN", "LOGOUT", "IDENTIFY", "PAGE_VIEW", "CHAT", "CALL", "MESSAGE", "FORM_SUBMIT", "PURCHASE", "CONSENT", "TRACK",
];
const PAGE = 20;

/** The person fields every card needs, plus what this server adds (section 8) when it has it. */
export function personFields(features) {
  const extra = [];
  if (features.has("Person.consent")) extra.push("consent { purpose granted at }");
  const explanation = explanationFields(features);
  if (explanation) extra.push(explanation);
  return `id mergedIds identifiers { type value confidence shared firstSeen lastSeen } ${extra.join(" ")}`;
}

export async function loadPerson(features, id) {
  const data = await gql(`query ConsolePerson($id: ID!) { person(id: $id) { ${personFields(features)} } }`, { id });
  return data.person;
}

const TYPE_NAMES = { COOKIE: "cookie", DEVICE: "device", EMAIL: "email", PHONE: "phone", ACCOUNT: "account" };

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** One sentence on what joins this person, for the agent to read. */
function summary(person) {
  const owned = person.identifiers.filter((i) => !i.shared);
  const shared = person.identifiers.length - owned.length;
  const counts = {};
  for (const i of owned) counts[i.type] = (counts[i.type] || 0) + 1;
  const parts = Object.entries(counts).map(([t, n]) => plural(n, TYPE_NAMES[t]));
  const best = owned.reduce((a, b) => (b.confidence > (a ? a.confidence : -1) ? b : a), null);
  let text = `Known by ${parts.join(", ") || "no identifier of its own"}`;
  if (shared) text += `, and uses ${plural(shared, "shared identifier")} (used by other persons too, so they say less)`;
  text += ".";
  if (best) text += ` Surest link: ${TYPE_NAMES[best.type]} ${best.value} (${percent(best.confidence)}, ${confidenceWords(best.confidence)}).`;
  return text;
}

export function personCard(person, { onIdentifier = null, actions = null } = {}) {
  const rows = [...person.identifiers]
    .sort((a, b) => Number(a.shared) - Number(b.shared) || b.confidence - a.confidence)
    .map((i) => h("tr", {},
      h("td", {}, typeBadge(i.type)),
      h("td.value", {}, onIdentifier
        ? h("button.link", { type: "button", onclick: () => onIdentifier(i) }, i.value) : i.value),
      h("td", {}, meter(i.confidence)),
      h("td", {}, i.shared ? h("span.badge.shared", { title: "owned by no one: linked to several persons" }, "shared") : ""),
      h("td.opt", {}, timeEl(i.firstSeen)),
      h("td.opt", {}, timeEl(i.lastSeen))));
  return h("section.card", { "aria-labelledby": "person-title", id: "person-card" },
    h("div.row", { style: "justify-content:space-between" },
      h("h2", { id: "person-title" }, "Person ", h("code", { id: "person-id" }, person.id)),
      actions),
    h("p", { id: "person-summary" }, summary(person)),
    person.mergedIds.length
      ? h("p.small", {}, "Also known as (merged): ", person.mergedIds.map((m) => h("code", {}, m, " ")))
      : null,
    h("div.table-wrap", {}, h("table", { "aria-label": "Identifiers" },
      h("thead", {}, h("tr", {}, ["Type", "Value", "Belongs to this person (overall)", "", "First seen", "Last seen"]
        .map((t, n) => h(n >= 4 ? "th.opt" : "th", {}, t)))),
      h("tbody", {}, rows))),
    explanationView(person.explanation),
    person.consent && person.consent.length
      ? [h("h3", {}, "Consent"), h("p", {}, person.consent.map((c) =>
        h("span.badge", { style: "margin-right:4px", title: `since ${c.at}` },
          `${c.purpose}: ${c.granted ? "granted" : "revoked"}`)))]
      : null);
}

function eventItem(event, onIdentifier) {
  const attributes = event.attributes && Object.keys(event.attributes).length
    ? h("div.small.muted.attributes", {}, longText(Object.entries(event.attributes).map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : v}`).join(" · ")))
    : null;
  return h("li", { dataset: { type: event.type } },
    h("div", {}, h("span.when", {}, timeEl(event.at)), " ", h("span.badge", {}, event.type),
      // a TRACK (a collected custom event) is shown by its own name
      event.type === "TRACK" && event.attributes && event.attributes.event
        ? h("strong.track-name", {}, ` ${event.attributes.event}`) : null,
      event.channel ? h("span.muted", {}, ` via ${event.channel}`) : null),
    h("div.chips", {}, event.identifiers.map((i) =>
      h("button.link.small", { type: "button", title: "Search this identifier", onclick: () => onIdentifier(i) }, idText(i)))),
    attributes);
}

/** The journey timeline with its filters and paging; filters run on the server when it can. */
export function timeline(features, personId) {
  const serverFilters = features.has("Person.events", "types");
  const type = h("select", { id: "f-type" }, h("option", { value: "" }, "any type"),
    EVENT_TYPES.map((t) => h("option", { value: t }, t)));
  const channel = h("input", { id: "f-channel", placeholder: "e.g. web", size: 10 });
  const since = h("input", { id: "f-since", type: "date" });
  const until = h("input", { id: "f-until", type: "date" });
  const list = h("ol.timeline", { id: "timeline", "aria-label": "Journey, newest first" });
  const line = h("p.status", { "aria-live": "polite" });
  const more = h("button", { type: "button", id: "more-events", hidden: true }, "Older events");
  let after = null;
  let loaded = [];

  const onIdentifier = (i) => go("agent", { q: i.value, type: i.type });

  function wanted(event) {
    if (serverFilters) return true;
    if (type.value && event.type !== type.value) return false;
    if (channel.value && (event.channel || "") !== channel.value.trim()) return false;
    if (since.value && event.at.slice(0, 10) < since.value) return false;
    if (until.value && event.at.slice(0, 10) > until.value) return false;
    return true;
  }

  function render() {
    const shown = loaded.filter(wanted);
    fill(list, shown.map((e) => eventItem(e, onIdentifier)));
    if (!shown.length) list.append(h("li.muted", {}, "No events match."));
  }

  async function load(reset) {
    if (reset) { after = null; loaded = []; }
    const vars = { id: personId, first: PAGE, after };
    let args = "first: $first, after: $after";
    let defs = "$id: ID!, $first: Int!, $after: String";
    if (serverFilters) {
      defs += ", $types: [EventType!], $channels: [String!], $since: DateTime, $until: DateTime";
      args += ", types: $types, channels: $channels, since: $since, until: $until";
      vars.types = type.value ? [type.value] : null;
      vars.channels = channel.value.trim() ? [channel.value.trim()] : null;
      vars.since = since.value ? `${since.value}T00:00:00Z` : null;
      vars.until = until.value ? `${until.value}T23:59:59Z` : null;
    }
    status(line, "Loading events…");
    try {
      const data = await gql(`query ConsoleTimeline(${defs}) { person(id: $id) { events(${args}) {
        edges { node { id at type channel identifiers { type value } attributes } }
        pageInfo { hasNextPage endCursor } } } }`, vars);
      const page = data.person.events;
      loaded = loaded.concat(page.edges.map((e) => e.node));
      after = page.pageInfo.endCursor;
      more.hidden = !page.pageInfo.hasNextPage;
      status(line, `${loaded.length} event${loaded.length === 1 ? "" : "s"} loaded${page.pageInfo.hasNextPage ? "; older ones on request" : ""}.`
        + (serverFilters ? "" : " Filters apply to the loaded events."));
      render();
    } catch (error) {
      status(line, describe(error), "error");
    }
  }

  const refilter = () => (serverFilters ? load(true) : render());
  for (const input of [type, channel, since, until]) input.addEventListener("change", refilter);
  more.addEventListener("click", () => load(false));
  load(true);

  return h("section.card", { "aria-labelledby": "timeline-title" },
    h("h2", { id: "timeline-title" }, "Journey (newest first)"),
    h("div.row", { role: "group", "aria-label": "Filters" },
      h("label", {}, "Type", type), h("label", {}, "Channel", channel),
      h("label", {}, "From", since), h("label", {}, "To", until)),
    line, list, more);
}
