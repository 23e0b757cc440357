// Agent view: who is this customer? Search any identifier (type typed or guessed from its shape),
// then the person card, the confidence in words, and the journey; or "not found" / "ambiguous".

import { describe, gql } from "./api.js";
import {
  confidenceWords, fill, go, guessType, h, idText, notice, percent, status, TYPES,
} from "./dom.js";
import { loadPerson, personCard, personFields, timeline } from "./person.js";

const ASSURANCE = {
  VERIFIED: "verified: this person signed in with a verified login on it recently",
  HIGH: "high: strong, repeated evidence",
  LOW: "low: only weak or old evidence",
  AMBIGUOUS: "ambiguous: several persons use it",
  UNKNOWN: "unknown: never seen",
};

function resolveQuery(features) {
  const extra = ["known", "assurance", "withheld"].filter((f) => features.has(`Resolution.${f}`)).join(" ");
  return `query ConsoleResolve($identifier: IdentifierInput!) { resolve(identifier: $identifier) {
    confidence shared ${extra} person { ${personFields(features)} }
    candidates { confidence person { id identifiers { type value shared } } } } }`;
}

function searchForm(params, onSearch) {
  const text = h("input.grow", { id: "q", name: "q", required: true, autocomplete: "off",
    placeholder: "email, phone, account, device or cookie", value: params.get("q") || "" });
  const type = h("select", { id: "q-type", name: "type" },
    h("option", { value: "" }, "guess from shape"), TYPES.map((t) => h("option", { value: t }, t)));
  type.value = params.get("type") || "";
  const hint = h("span.small.muted", { id: "q-guess", "aria-live": "polite" });
  const showGuess = () => {
    hint.textContent = text.value.trim() && !type.value ? `looks like ${guessType(text.value).type}` : "";
  };
  text.addEventListener("input", showGuess);
  type.addEventListener("change", showGuess);
  showGuess();
  return h("form.row", { role: "search", onsubmit: (e) => { e.preventDefault(); onSearch(text.value, type.value); } },
    h("label", { for: "q", style: "flex:1 1 260px" }, "Identifier", text),
    h("label", { for: "q-type" }, "Type", type),
    h("button.primary", { type: "submit" }, "Search"), hint);
}

// Two different questions get two different percentages: who is behind the identifier at this
// moment (the answer, e.g. the session open on a shared tablet) and how strongly the identifier
// belongs to the person overall (the card's table). Each is labelled with its question.
function explainResolution(resolution, identifier) {
  const who = resolution.shared
    ? `Who is signed in on ${identifier.type} ${identifier.value} at this moment (it is shared): this person`
    : `Who ${identifier.type} ${identifier.value} points to at this moment: this person`;
  const parts = [`${who}, ${percent(resolution.confidence)} sure (${confidenceWords(resolution.confidence)}).`];
  if (resolution.assurance) parts.push(` Assurance ${ASSURANCE[resolution.assurance] || resolution.assurance}.`);
  parts.push(" How strongly each identifier belongs to this person overall is in the card's table.");
  return notice("good", h("span", { id: "resolution-words" }, parts.join("")));
}

function candidatesView(resolution, identifier) {
  const rows = resolution.candidates.map((c) => h("tr.clickable", { tabindex: 0,
    onclick: () => go("agent", { person: c.person.id }),
    onkeydown: (e) => { if (e.key === "Enter") go("agent", { person: c.person.id }); } },
  h("td", {}, h("code", {}, c.person.id)),
  h("td", {}, `${percent(c.confidence)} (${confidenceWords(c.confidence)})`),
  h("td.value", {}, c.person.identifiers.filter((i) => !i.shared).slice(0, 4).map(idText).join(", "))));
  return h("section.card", { id: "ambiguous" },
    notice("warn", h("strong", {}, "Ambiguous: "),
      `${identifier.type} ${identifier.value} is shared by ${resolution.candidates.length} persons; `,
      "it does not tell who is calling. Ask for something only the customer has, or pick a candidate."),
    h("div.table-wrap", {}, h("table", { "aria-label": "Candidates" },
      h("thead", {}, h("tr", {}, h("th", {}, "Person"), h("th", {}, "Confidence"), h("th", {}, "Known by"))),
      h("tbody", {}, rows))));
}

export function agentView(state, params) {
  const { features } = state;
  const result = h("div", { id: "agent-result" });
  const line = h("p.status", { "aria-live": "polite" });

  const openIdentifier = (i) => go("agent", { q: i.value, type: i.type });

  function showPerson(person) {
    fill(result, personCard(person, { onIdentifier: openIdentifier }), timeline(features, person.id));
  }

  async function byIdentifier(text, typed) {
    const identifier = typed ? { type: typed, value: text.trim() } : guessType(text);
    status(line, `Looking up ${identifier.type} ${identifier.value}…`);
    fill(result);
    try {
      const { resolve } = await gql(resolveQuery(features), { identifier });
      status(line, "");
      if (resolve.withheld) {
        fill(result, notice("warn", h("strong", {}, "Withheld: "), `the person behind this identifier has not consented (${resolve.withheld}).`));
      } else if (resolve.person) {
        showPerson(resolve.person);
        result.prepend(explainResolution(resolve, identifier));
      } else if (resolve.candidates.length) {
        fill(result, candidatesView(resolve, identifier));
      } else {
        fill(result, notice("warn", h("strong", { id: "not-found" }, "Not found: "),
          `no person is known by ${identifier.type} ${identifier.value}`,
          resolve.known === false ? " (this identifier was never seen)" : "",
          ". Check the spelling or try another identifier."));
      }
    } catch (error) {
      status(line, describe(error), "error");
    }
  }

  async function byId(id) {
    status(line, `Opening person ${id}…`);
    try {
      const person = await loadPerson(features, id);
      status(line, "");
      if (person) showPerson(person);
      else fill(result, notice("warn", h("strong", { id: "not-found" }, "Not found: "), `no person has the id ${id}.`));
    } catch (error) {
      status(line, describe(error), "error");
    }
  }

  const view = h("div", {},
    h("h1", {}, "Who is this customer?"),
    h("section.card", {}, searchForm(params, (text, type) => go("agent", type ? { q: text, type } : { q: text })), line),
    result);
  if (params.get("person")) byId(params.get("person"));
  else if (params.get("q")) byIdentifier(params.get("q"), params.get("type"));
  return view;
}

