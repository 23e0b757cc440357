// Small DOM and formatting helpers shared by the views. No framework: elements are built with h().

/** An element: h("button.primary", {onclick}, "Go"). Strings become text nodes (never HTML). */
export function h(tag, attrs = {}, ...children) {
  const [name, ...classes] = tag.split(".");
  const el = document.createElement(name || "div");
  if (classes.length) el.className = classes.join(" ");
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key in el && key !== "list" && typeof value !== "string") el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Text of any length that never widens the page: past `limit` characters the start is shown,
 * and "show all" opens the whole value (wrapped, in a box that scrolls). */
export function longText(text, limit = 200) {
  const value = String(text);
  if (value.length <= limit) return value;
  return h("details.long", {},
    h("summary", { title: `${value.length} characters` },
      `${value.slice(0, limit)}… `, h("span.show-all", {}, `show all ${value.length} characters`)),
    h("div.long-all", {}, value));
}

/** Go to a view: go("agent", {person: "P1"}). */
export function go(name, params = {}) {
  const query = new URLSearchParams(params).toString();
  window.location.hash = `#/${name}${query ? "?" + query : ""}`;
}

/** Replace the children of an element. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const TYPES = ["COOKIE", "DEVICE", "EMAIL", "PHONE", "ACCOUNT"];

/** Guess an identifier's type from its shape ("TYPE:value" names it outright). */
export function guessType(text) {
  const value = text.trim();
  const prefixed = /^([A-Za-z]+):(.+)$/.exec(value);
  if (prefixed && TYPES.includes(prefixed[1].toUpperCase())) {
    return { type: prefixed[1].toUpperCase(), value: prefixed[2].trim() };
  }
  let type = "DEVICE";
  if (value.includes("@")) type = "EMAIL";
  else if (/^\+?[\d\s().-]{7,}$/.test(value) && value.replace(/\D/g, "").length >= 7) type = "PHONE";
  else if (/^(acct|account|acc|user|cust)[-_:]/i.test(value)) type = "ACCOUNT";
  else if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) type = "COOKIE";
  return { type, value };
}

export function typeBadge(type) {
  return h(`span.badge.t-${type}`, {}, type);
}

export function when(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function timeEl(iso) {
  return h("time", { datetime: iso, title: iso }, when(iso));
}

export function percent(x) {
  return `${Math.round(x * 100)}%`;
}

/** Confidence in words, as the agent reads it out. */
export function confidenceWords(x) {
  if (x >= 0.9) return "very sure";
  if (x >= 0.7) return "fairly sure";
  if (x >= 0.4) return "unsure";
  return "a weak guess";
}

export function meter(x) {
  const level = x >= 0.7 ? "" : x >= 0.4 ? ".mid" : ".low";
  return h("span", {},
    h(`span.meter${level}`, { role: "img", "aria-label": `confidence ${percent(x)}` },
      h("span", { style: `width:${Math.round(x * 100)}%` })),
    `${percent(x)} `, h("span.muted.small", {}, confidenceWords(x)));
}

export function status(el, text, kind = "") {
  el.className = `status ${kind}`.trim();
  el.textContent = text;
}

export function notice(kind, ...children) {
  return h(`div.notice${kind ? "." + kind : ""}`, { role: kind === "bad" ? "alert" : "status" }, ...children);
}

/** A modal confirmation; resolves to true when confirmed. `typed` demands that text be typed. */
export function confirmDialog({ title, body, action, danger = false, typed = null }) {
  return new Promise((resolve) => {
    const input = typed ? h("input", { "aria-label": `Type ${typed} to confirm`, autocomplete: "off" }) : null;
    const ok = h(`button.${danger ? "danger" : "primary"}`, { type: "submit", disabled: Boolean(typed) }, action);
    if (input) input.addEventListener("input", () => { ok.disabled = input.value.trim() !== typed; });
    const dialog = h("dialog", { "aria-label": title },
      h("form", { method: "dialog" },
        h("h2", {}, title), h("div", {}, body),
        typed ? h("p", {}, "Type ", h("code", {}, typed), " to confirm:") : null, input,
        h("div.row", { style: "margin-top:12px;justify-content:flex-end" },
          h("button", { type: "button", onclick: () => dialog.close("cancel") }, "Cancel"), ok)));
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue !== "cancel" && dialog.returnValue !== "");
      dialog.remove();
    });
    ok.addEventListener("click", (e) => { e.preventDefault(); dialog.close("ok"); });
    document.body.append(dialog);
    dialog.showModal();
    (input || ok).focus();
  });
}

/** "TYPE value" for display and for search boxes. */
export function idText(identifier) {
  return `${identifier.type}:${identifier.value}`;
}
