// Admin view: why two identifiers are (not) one person, with the evidence; split with a preview of
// every person it produces; merge; undo from the audit log; forget with a typed confirmation; the
// cannot-link / must-link constraints; the access log (who read what) and, on an open person, who
// read it. Controls for section-8 fields appear only when present.

import { describe, gql } from "./api.js";
import { confirmDialog, fill, go, guessType, h, idText, notice, status, timeEl, typeBadge, when } from "./dom.js";
import { loadPerson, personCard } from "./person.js";

const SIDE = "id identifiers { type value }";

function idInput(id, label, value = "") {
  const input = h("input.grow", { id, required: true, autocomplete: "off", value, placeholder: "TYPE:value or a value" });
  return [h("label", { for: id, style: "flex:1 1 220px" }, label, input), input];
}

function reasonInput(id) {
  const input = h("input.grow", { id, required: true, placeholder: "why (recorded in the audit log)" });
  return [h("label", { for: id, style: "flex:1 1 220px" }, "Reason", input), input];
}

function personsPreview(title, persons) {
  return h("div", { id: "preview" }, h("h3", {}, title),
    h("ul", {}, persons.map((p) => h("li", {}, h("code", {}, p.id || "(new person)"), ": ",
      p.identifiers.map((i) => h("span", {}, typeBadge(i.type), " ", i.value, " "))))));
}

function explainCard(features) {
  const [aLabel, a] = idInput("explain-a", "First identifier");
  const [bLabel, b] = idInput("explain-b", "Second identifier");
  const out = h("div", { id: "explain-result", "aria-live": "polite" });
  const eventQuery = features.has("Query.event");

  async function evidence(ids, into) {
    fill(into, h("span.muted", {}, "Loading events…"));
    try {
      const events = await Promise.all(ids.map((id) => gql(`query ConsoleEvent($id: ID!) { event(id: $id) {
        id at type channel identifiers { type value } } }`, { id }).then((d) => d.event)));
      fill(into, h("ul.small", {}, events.filter(Boolean).map((e) =>
        h("li", {}, timeEl(e.at), ` ${e.type}${e.channel ? " via " + e.channel : ""}: `, e.identifiers.map(idText).join(", ")))));
    } catch (error) {
      fill(into, h("span.error", {}, describe(error)));
    }
  }

  async function run(event) {
    event.preventDefault();
    fill(out, h("p.muted", {}, "Explaining…"));
    try {
      const { explain } = await gql(`query ConsoleExplain($a: IdentifierInput!, $b: IdentifierInput!) {
        explain(a: $a, b: $b) { joined reason personA { id } personB { id }
          steps { evidenceEventIds edge { source { type value } target { type value } kind strength count firstSeen lastSeen cut merged } } } }`,
      { a: guessType(a.value), b: guessType(b.value) });
      fill(out,
        notice(explain.joined ? "good" : "warn", h("strong", {}, explain.joined ? "One person. " : "Not one person. "), explain.reason),
        explain.steps.length ? h("ol.chain", { "aria-label": "Chain of links" }, explain.steps.map((step) => {
          const more = h("div");
          const e = step.edge;
          return h("li", {},
            h("div", {}, idText(e.source), " → ", idText(e.target)),
            h("div.small.muted", {}, `${e.kind}, strength ${e.strength.toFixed(2)}, seen ${e.count}× from ${when(e.firstSeen)} to ${when(e.lastSeen)}${e.cut ? ", cut by a logout" : ""}`),
            h("div.small", {}, `Evidence: ${step.evidenceEventIds.length} event(s) `,
              eventQuery && step.evidenceEventIds.length
                ? h("button.link", { type: "button", onclick: () => evidence(step.evidenceEventIds.slice(0, 20), more) }, "show")
                : h("code", {}, step.evidenceEventIds.slice(0, 10).join(", "))),
            more);
        })) : null);
    } catch (error) {
      fill(out, h("p.error", {}, describe(error)));
    }
  }
  return h("section.card", { "aria-labelledby": "explain-title" },
    h("h2", { id: "explain-title" }, "Explain"),
    h("form.row", { onsubmit: run }, aLabel, bLabel, h("button.primary", { type: "submit" }, "Explain")), out);
}

function personTools(features, params, refreshAudit, reopen) {
  const [whoLabel, who] = idInput("admin-person", "Person id or identifier", params.get("person") || "");
  const out = h("div", { id: "admin-person-result" });
  const line = h("p.status", { "aria-live": "polite" });
  const dryRun = features.has("Mutation.splitPerson", "dryRun");
  const withPersons = features.has("SplitResult.persons");
  const accessLog = features.has("Query.accessLog");

  async function find(text) {
    const value = text.trim();
    const byId = await loadPerson(features, value).catch(() => null);
    if (byId) return byId;
    const { resolve } = await gql(`query ConsoleFind($i: IdentifierInput!) { resolve(identifier: $i) { person { id } } }`,
      { i: guessType(value) });
    return resolve.person ? loadPerson(features, resolve.person.id) : null;
  }

  function splitResultFields() {
    return `kept { ${SIDE} } split { ${SIDE} }${withPersons ? ` persons { ${SIDE} }` : ""}`;
  }

  // `done`: what the last correction said, shown above the person as it is now
  function tools(person, done = null) {
    const boxes = person.identifiers.filter((i) => !i.shared).map((i) => ({ i,
      box: h("input", { type: "checkbox", "aria-label": `move ${idText(i)}` }) }));
    const [reasonLabel, reason] = reasonInput("split-reason");
    const [forgetLabel, forgetReason] = reasonInput("forget-reason");
    const preview = h("div", { "aria-live": "polite" }, done);
    const chosen = () => boxes.filter((b) => b.box.checked).map((b) => ({ type: b.i.type, value: b.i.value }));
    const vars = () => ({ personId: person.id, identifiers: chosen(), reason: reason.value });

    async function doPreview() {
      if (!chosen().length) { fill(preview, h("p.error", {}, "Tick the identifiers to move first.")); return; }
      if (!dryRun) {
        const moving = new Set(chosen().map(idText));
        fill(preview, personsPreview("As requested (this server has no split preview)", [
          { id: person.id, identifiers: person.identifiers.filter((i) => !i.shared && !moving.has(idText(i))) },
          { id: null, identifiers: chosen() }]));
        return;
      }
      try {
        const data = await gql(`mutation ConsoleSplitPreview($personId: ID!, $identifiers: [IdentifierInput!]!, $reason: String!) {
          splitPerson(personId: $personId, identifiers: $identifiers, reason: $reason, dryRun: true) { ${splitResultFields()} } }`,
        { ...vars(), reason: reason.value || "preview" });
        const r = data.splitPerson;
        // ids made up by the rolled-back dry run will not be the real split's: name them "new"
        const produced = (r.persons || [r.kept, r.split]).map((p) => (p.id === person.id ? p : { ...p, id: null }));
        fill(preview, personsPreview("The split would produce", produced));
      } catch (error) {
        fill(preview, h("p.error", {}, describe(error)));
      }
    }

    async function doSplit(event) {
      event.preventDefault();
      if (!chosen().length) { fill(preview, h("p.error", {}, "Tick the identifiers to move first.")); return; }
      const ok = await confirmDialog({ title: "Split this person?", action: "Split",
        body: `Move ${chosen().length} identifier(s) out of ${person.id} into a new person. It can be undone from the audit log.` });
      if (!ok) return;
      try {
        const data = await gql(`mutation ConsoleSplit($personId: ID!, $identifiers: [IdentifierInput!]!, $reason: String!) {
          splitPerson(personId: $personId, identifiers: $identifiers, reason: $reason) { ${splitResultFields()} } }`, vars());
        const r = data.splitPerson;
        const said = [notice("good", "Split done."), personsPreview("Now", r.persons || [r.kept, r.split])];
        fill(preview, said);
        refreshAudit();
        // the card, the choices and the access log show the person as it is after the split
        const now = await loadPerson(features, person.id);
        if (now) fill(out, tools(now, said));
      } catch (error) {
        fill(preview, h("p.error", {}, describe(error)));
      }
    }

    async function doForget(event) {
      event.preventDefault();
      const ok = await confirmDialog({ title: "Erase this person?", action: "Erase for good", danger: true, typed: person.id,
        body: "Its identifiers and events are deleted and never appear again. This cannot be undone." });
      if (!ok) return;
      try {
        const { forgetPerson: f } = await gql(`mutation ConsoleForget($personId: ID!, $reason: String!) {
          forgetPerson(personId: $personId, reason: $reason) { personId identifiersRemoved eventsRemoved auditId } }`,
        { personId: person.id, reason: forgetReason.value });
        fill(out, notice("good", h("span", { id: "forget-done" }, `Erased ${f.personId}: ${f.identifiersRemoved} identifiers and ${f.eventsRemoved} events removed.`)));
        refreshAudit();
      } catch (error) {
        status(line, describe(error), "error");
      }
    }

    return h("div", {},
      personCard(person),
      h("section.card", { "aria-labelledby": "split-title" },
        h("h2", { id: "split-title" }, "Split"),
        h("p.muted.small", {}, "Tick what moves to a new person; the id stays with what is left."),
        h("ul", { id: "split-choices", style: "list-style:none;padding:0" }, boxes.map(({ i, box }) =>
          h("li", {}, h("label.inline", {}, box, typeBadge(i.type), i.value)))),
        h("form.row", { onsubmit: doSplit }, reasonLabel,
          h("button", { type: "button", id: "split-preview", onclick: doPreview }, "Preview"),
          h("button.primary", { type: "submit" }, "Split")),
        preview),
      h("section.card", { "aria-labelledby": "forget-title" },
        h("h2", { id: "forget-title" }, "Forget (right to erasure)"),
        h("form.row", { onsubmit: doForget }, forgetLabel, h("button.danger", { type: "submit" }, "Forget…"))),
      accessLog ? personAccessCard(person.id) : null);
  }

  async function open(event) {
    if (event) event.preventDefault();
    status(line, "Opening…");
    try {
      const person = await find(who.value);
      status(line, person ? "" : "No such person.", person ? "" : "error");
      fill(out, person ? tools(person) : null);
    } catch (error) {
      status(line, describe(error), "error");
    }
  }
  if (who.value) open();
  reopen.current = () => (out.childElementCount ? open() : null);
  return h("div", {},
    h("section.card", { "aria-labelledby": "pt-title" },
      h("h2", { id: "pt-title" }, "Correct a person"),
      h("form.row", { onsubmit: open }, whoLabel, h("button.primary", { type: "submit" }, "Open")), line),
    out);
}

function mergeCard(features, refreshAudit) {
  const ids = h("input.grow", { id: "merge-ids", required: true, placeholder: "person ids, comma separated" });
  const [reasonLabel, reason] = reasonInput("merge-reason");
  const override = features.has("Mutation.mergePersons", "overrideCannotLink")
    ? h("input", { type: "checkbox", id: "merge-override" }) : null;
  const out = h("div", { "aria-live": "polite" });
  const args = () => ({ personIds: ids.value.split(/[\s,]+/).filter(Boolean), reason: reason.value });
  const extraDefs = override ? ", $override: Boolean" : "";
  const extraArgs = override ? ", overrideCannotLink: $override" : "";

  async function merge(dry) {
    const vars = { ...args(), ...(override ? { override: override.checked } : {}) };
    if (dry) vars.reason = vars.reason || "preview";
    const data = await gql(`mutation ConsoleMerge($personIds: [ID!]!, $reason: String!${extraDefs}) {
      mergePersons(personIds: $personIds, reason: $reason${extraArgs}${dry ? ", dryRun: true" : ""}) { ${SIDE} } }`, vars);
    return data.mergePersons;
  }

  async function submit(event) {
    event.preventDefault();
    const { personIds } = args();
    const ok = await confirmDialog({ title: "Merge these persons?", action: "Merge",
      body: `${personIds.join(", ")} become one person (the oldest id survives). It can be undone from the audit log.` });
    if (!ok) return;
    try {
      const person = await merge(false);
      fill(out, notice("good", h("span", { id: "merge-done" }, `Merged into ${person.id}.`)), personsPreview("Now", [person]));
      refreshAudit();
    } catch (error) {
      fill(out, h("p.error", {}, describe(error)));
    }
  }

  const preview = features.has("Mutation.mergePersons", "dryRun")
    ? h("button", { type: "button", onclick: () => merge(true)
      .then((p) => fill(out, personsPreview("The merge would produce", [p])))
      .catch((error) => fill(out, h("p.error", {}, describe(error)))) }, "Preview")
    : null;
  return h("section.card", { "aria-labelledby": "merge-title" },
    h("h2", { id: "merge-title" }, "Merge"),
    h("form.row", { onsubmit: submit },
      h("label", { for: "merge-ids", style: "flex:1 1 220px" }, "Persons", ids), reasonLabel,
      override ? h("label.inline", {}, override, "override cannot-link") : null,
      preview, h("button.primary", { type: "submit" }, "Merge")),
    out);
}

function auditCard(onUndone) {
  const body = h("tbody");
  const line = h("p.status", { "aria-live": "polite" });

  async function undo(entry) {
    const ok = await confirmDialog({ title: `Undo this ${entry.action.toLowerCase()}?`, action: "Undo",
      body: `${entry.action} of ${entry.personIds.join(", ")} by ${entry.actor} (${entry.reason}).` });
    if (!ok) return;
    try {
      await gql(`mutation ConsoleUndo($auditId: ID!, $reason: String!) { undo(auditId: $auditId, reason: $reason) { id } }`,
        { auditId: entry.id, reason: `undo from the console: ${entry.reason}` });
      await load();
      status(line, `Undone: ${entry.action} ${entry.personIds.join(", ")}.`);
      onUndone();
    } catch (error) {
      status(line, describe(error), "error");
    }
  }

  async function load() {
    try {
      const data = await gql(`query ConsoleAudit { auditLog(first: 20) { edges { node {
        id at actor action reason personIds undoneBy } } } }`);
      const entries = data.auditLog.edges.map((e) => e.node);
      fill(body, entries.map((e) => h("tr", {},
        h("td.opt", {}, timeEl(e.at)), h("td", {}, h("span.badge", {}, e.action)),
        h("td.value", {}, e.personIds.map((p) => h("button.link", { type: "button", onclick: () => go("admin", { person: p }) }, p, " "))),
        h("td", {}, e.reason, h("div.small.muted", {}, e.actor)),
        h("td", {}, e.undoneBy ? h("span.muted.small", {}, "undone")
          : (e.action === "SPLIT" || e.action === "MERGE")
            ? h("button", { type: "button", onclick: () => undo(e), "aria-label": `Undo ${e.action} ${e.personIds.join(" ")}` }, "Undo") : ""))));
      if (!entries.length) body.append(h("tr", {}, h("td", { colspan: 5 }, h("span.muted", {}, "Nothing audited yet."))));
    } catch (error) {
      status(line, describe(error), "error");
    }
  }
  load();
  return [h("section.card", { "aria-labelledby": "audit-title", id: "audit" },
    h("h2", { id: "audit-title" }, "Audit log"), line,
    h("div.table-wrap", {}, h("table", { "aria-label": "Audit log" },
      h("thead", {}, h("tr", {}, h("th.opt", {}, "When"), h("th", {}, "Action"), h("th", {}, "Persons"), h("th", {}, "Why"), h("th", {}, ""))),
      body))), load];
}

const CONSTRAINT_KINDS = { CANNOT_LINK: "Keep apart", MUST_LINK: "Keep together" };

/** A constraint's identifiers in words: "A, B apart from C" or "A, B together". */
function sidesText(c) {
  const side = (ids) => ids.map(idText).join(", ");
  return c.kind === "CANNOT_LINK" && c.sides.length === 2
    ? `${side(c.sides[0])} apart from ${side(c.sides[1])}`
    : c.sides.map(side).join(" · ");
}

function constraintsCard() {
  const out = h("div", { id: "constraints" }, h("p.muted", {}, "Loading constraints…"));
  gql(`query ConsoleConstraints { constraints(first: 50) { edges { node {
    id kind active createdAt reason auditId sides { type value } } } } }`).then((data) => {
    const nodes = (data.constraints.edges || []).map((e) => e.node);
    const headers = ["Made", "Kind", "In force", "Identifiers", "Reason", "Audit entry"];
    fill(out, nodes.length
      ? h("div.table-wrap", {}, h("table", { "aria-label": "Constraints" },
        h("thead", {}, h("tr", {}, headers.map((t) => h("th", {}, t)))),
        h("tbody", {}, nodes.map((c) => h("tr", {},
          h("td.at", {}, timeEl(c.createdAt)),
          h("td", {}, h("span.badge", { title: c.kind }, CONSTRAINT_KINDS[c.kind] || c.kind)),
          h("td", {}, c.active ? "yes" : "no (undone or overridden)"),
          h("td.value.small", {}, sidesText(c)),
          h("td.small", {}, c.reason || ""),
          h("td.small", {}, c.auditId ? h("code", {}, c.auditId) : ""))))))
      : h("p.muted", {}, "No constraints."));
  }).catch((error) => fill(out, h("p.error", {}, describe(error))));
  return h("section.card", {}, h("h2", {}, "Constraints (keep apart / keep together)"), out);
}

// what each logged read did, in words (the API's field name stays beside it)
const OPERATIONS = {
  person: "Opened a person", events: "Read a timeline", resolve: "Looked up an identifier",
  sharedIdentifiers: "Listed shared identifiers", neighborhood: "Drew a cluster",
  explain: "Explained a link", clusters: "Listed clusters",
};

const ACCESS = `query ConsoleAccess($personId: ID, $caller: String, $after: String) {
  accessLog(personId: $personId, caller: $caller, first: 20, after: $after) {
    edges { node { at caller role purpose operation personIds personCount } }
    pageInfo { hasNextPage endCursor } } }`;

/**
 * A table of access-log entries, newest first, 20 a page with "Older entries". `show(filter)`
 * (re)loads it for {personId, caller}; `onCaller`, when given, makes each caller a filter link.
 * The log holds no identifier values, so none is shown: persons appear by id only.
 */
function accessTable(label, onCaller = null) {
  const body = h("tbody");
  const line = h("p.status", { "aria-live": "polite" });
  const older = h("button", { type: "button", hidden: true, onclick: () => load(true) }, "Older entries");
  let filter = {};
  let after = null;
  let asked = 0;

  // the count at a glance, the ids behind a click (a wall of ids hides who read what)
  function persons(e) {
    const erased = e.personCount - e.personIds.length;
    const count = `${e.personCount} person${e.personCount === 1 ? "" : "s"}`;
    if (!e.personIds.length) return h("span", {}, count, erased > 0 ? h("span.muted.small", {}, " (erased)") : null);
    return h("details.ids", {}, h("summary", {}, count),
      e.personIds.map((p, i) => [i ? ", " : "", h("button.link", { type: "button", onclick: () => go("admin", { person: p }) }, p)]),
      erased > 0 ? h("span.muted.small", {}, ` + ${erased} erased`) : null);
  }

  function row(e) {
    return h("tr", {},
      h("td.at", {}, timeEl(e.at)),
      h("td.value.caller", {}, onCaller
        ? h("button.link", { type: "button", title: "only this caller", onclick: () => onCaller(e.caller) }, e.caller)
        : e.caller),
      h("td.opt", {}, e.role),
      h("td", {}, e.purpose ? h("span.badge", {}, e.purpose) : h("span.muted.small", {}, "none")),
      h("td", {}, OPERATIONS[e.operation] || e.operation, " ", h("code.small", {}, e.operation)),
      h("td.value.persons", {}, persons(e)));
  }

  async function load(more = false) {
    const mine = ++asked;
    older.disabled = true;
    status(line, more ? "Loading older entries…" : "Loading…");
    try {
      const { accessLog } = await gql(ACCESS, { ...filter, after: more ? after : null });
      if (mine !== asked) return;
      if (!more) body.replaceChildren();
      body.append(...accessLog.edges.map((e) => row(e.node)));
      after = accessLog.pageInfo.endCursor;
      older.hidden = !accessLog.pageInfo.hasNextPage;
      status(line, body.childElementCount ? "" : "No reads recorded.");
    } catch (error) {
      if (mine === asked) status(line, describe(error), "error");
    } finally {
      older.disabled = false;
    }
  }

  function show(next) {
    filter = { personId: next.personId || null, caller: next.caller || null };
    return load(false);
  }

  const table = h("div.table-wrap", {}, h("table.access", { "aria-label": label },
    h("thead", {}, h("tr", {}, ["When", "Caller"].map((t) => h("th", {}, t)), h("th.opt", {}, "Role"),
      ["Purpose", "Operation", "Persons read"].map((t) => h("th", {}, t)))),
    body));
  return [h("div", {}, line, table, h("div.row", { style: "margin-top:8px" }, older)), show];
}

function accessCard() {
  const person = h("input.grow", { id: "access-person", autocomplete: "off", placeholder: "person id" });
  const caller = h("input.grow", { id: "access-caller", autocomplete: "off", placeholder: "api-key:… or oidc:…" });
  const current = () => ({ personId: person.value.trim(), caller: caller.value.trim() });
  const [list, show] = accessTable("Access log", (who) => { caller.value = who; show(current()); });
  show(current());
  return h("section.card", { "aria-labelledby": "access-title", id: "access" },
    h("h2", { id: "access-title" }, "Access log"),
    h("p.muted.small", {}, "Reads of persons' data, newest first; no identifier values are kept."),
    h("form.row", { onsubmit: (event) => { event.preventDefault(); show(current()); } },
      h("label", { for: "access-person", style: "flex:1 1 200px" }, "Person id", person),
      h("label", { for: "access-caller", style: "flex:1 1 200px" }, "Caller", caller),
      h("button.primary", { type: "submit" }, "Show"),
      h("button", { type: "button", onclick: () => { person.value = ""; caller.value = ""; show(current()); } }, "Clear")),
    list);
}

/** "Who read this person": the access log of one person (merged-in ids included). */
function personAccessCard(personId) {
  const [list, show] = accessTable(`Who read ${personId}`);
  show({ personId });
  return h("section.card", { "aria-labelledby": "person-access-title", id: "person-access" },
    h("h2", { id: "person-access-title" }, "Who read this person"), list);
}

export function adminView(state, params) {
  const { features } = state;
  // After an undo, the open person (if any) is shown again as it now is.
  const reopen = { current: () => null };
  const [audit, refreshAudit] = auditCard(() => reopen.current());
  return h("div", {},
    h("h1", {}, "Corrections"),
    h("div.grid", {}, explainCard(features), mergeCard(features, refreshAudit)),
    h("div", { style: "margin-top:16px" }, personTools(features, params, refreshAudit, reopen)),
    audit,
    features.has("Query.accessLog") ? accessCard() : null,
    features.has("Query.constraints") ? constraintsCard()
      : h("section.card", {}, h("h2", {}, "Constraints"), h("p.muted", {}, "This server does not list constraints yet.")));
}
