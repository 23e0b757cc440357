// The console's shell: reads the public config, signs in, discovers the server's features and
// the token's role, and routes between the views (#/agent, #/fraud, #/admin) by the URL hash.

import { describe, discover, probeRole, session } from "./api.js";
import { fill, go, h, notice } from "./dom.js";
import { agentView } from "./agent.js";
import { fraudView } from "./fraud.js";
import { adminView } from "./admin.js";
import { finishOidc, signinView } from "./signin.js";

const VIEWS = {
  agent: { title: "Agent", roles: ["agent", "fraud", "admin"], render: agentView },
  fraud: { title: "Fraud", roles: ["fraud", "admin"], render: fraudView },
  admin: { title: "Admin", roles: ["admin"], render: adminView },
};

const config = JSON.parse(document.getElementById("console-config").textContent);
const main = document.getElementById("main");
const state = { config, role: null, features: null };

function parseHash() {
  const [path, query] = window.location.hash.replace(/^#\/?/, "").split("?");
  return { name: path || "", params: new URLSearchParams(query || "") };
}

function renderNav(current) {
  const nav = document.getElementById("nav");
  const who = document.getElementById("who");
  if (!state.role) {
    fill(nav);
    fill(who);
    return;
  }
  fill(nav, Object.entries(VIEWS)
    .filter(([, view]) => view.roles.includes(state.role))
    .map(([name, view]) => h("a", { href: `#/${name}`, "aria-current": name === current ? "page" : null }, view.title)));
  fill(who,
    h("span", {}, "Role: ", h("strong", { id: "role" }, state.role)),
    h("a", { href: "/graphql", style: "color:#fff" }, "GraphiQL"),
    h("button", { type: "button", onclick: signOut }, "Sign out"));
}

function signOut() {
  session.token = null;
  state.role = null;
  state.features = null;
  go("signin");
}

/** After a token is stored: learn what the server offers and what the token may do. */
export async function startSession() {
  state.features = await discover();
  state.role = await probeRole();
}

async function route() {
  const { name, params } = parseHash();
  if (!session.token || !state.role) {
    if (session.token && !state.role) {
      try {
        await startSession();
      } catch (error) {
        session.token = null;
        state.role = null;
        renderNav("signin");
        fill(main, signinView(state, { error: describe(error), onSignedIn }));
        return;
      }
    } else {
      renderNav("signin");
      fill(main, signinView(state, { onSignedIn }));
      return;
    }
  }
  const allowed = Object.keys(VIEWS).filter((v) => VIEWS[v].roles.includes(state.role));
  if (!VIEWS[name]) {
    if (allowed.length) go(allowed[0]);
    else {
      renderNav("");
      fill(main, notice("warn", `Your key has the role "${state.role}": it may only ingest events, `,
        "and the console has nothing to show it."));
    }
    return;
  }
  renderNav(name);
  if (!allowed.includes(name)) {
    fill(main, h("h1", {}, VIEWS[name].title),
      notice("bad", `Your role (${state.role}) may not use the ${VIEWS[name].title.toLowerCase()} view.`));
    return;
  }
  document.title = `${VIEWS[name].title} · graph-identity console`;
  fill(main, VIEWS[name].render(state, params));
}

async function onSignedIn() {
  await startSession();
  const target = parseHash().name;
  const first = Object.keys(VIEWS).find((v) => VIEWS[v].roles.includes(state.role));
  if (VIEWS[target] || !first) await route();
  else go(first);
}

window.addEventListener("hashchange", () => { route().catch(showFatal); });

window.addEventListener("console-unauthenticated", (event) => {
  if (!state.role) return; // signing in: the sign-in form shows the reason itself
  session.token = null;
  state.role = null;
  renderNav("signin");
  fill(main, signinView(state, { error: `Your session ended: ${describe(event.detail)}`, onSignedIn }));
});

function showFatal(error) {
  fill(main, notice("bad", describe(error)));
}

finishOidc(config)
  .then(() => route())
  .catch(showFatal);
