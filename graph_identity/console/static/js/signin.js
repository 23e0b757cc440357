// Sign-in: paste an API key, or (when an issuer is configured) OIDC authorization code + PKCE.
// The token lives in sessionStorage only: closing the tab signs out.

import { describe, session } from "./api.js";
import { h, notice, status } from "./dom.js";

const PKCE = "graph-identity.pkce";

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomText() {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

function redirectUri() {
  return `${window.location.origin}/console`;
}

async function discovery(issuer) {
  const response = await fetch(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`the issuer's discovery document answered HTTP ${response.status}`);
  return response.json();
}

/** Start the authorization-code flow with PKCE (S256): off to the issuer's sign-in page. */
async function startOidc(config) {
  const meta = await discovery(config.oidcIssuer);
  const verifier = randomText();
  const challenge = base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const state = randomText();
  sessionStorage.setItem(PKCE, JSON.stringify({ verifier, state, tokenEndpoint: meta.token_endpoint }));
  const url = new URL(meta.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: config.oidcClientId,
    redirect_uri: redirectUri(),
    scope: config.oidcScope || "openid",
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  }).toString();
  window.location.assign(url.toString());
}

/** Back from the issuer with ?code=...&state=...: exchange the code for an access token. */
export async function finishOidc(config) {
  const params = new URLSearchParams(window.location.search);
  const pending = JSON.parse(sessionStorage.getItem(PKCE) || "null");
  if (!params.has("code") && !params.has("error")) return;
  sessionStorage.removeItem(PKCE);
  window.history.replaceState(null, "", `/console${window.location.hash}`);
  if (params.has("error")) throw new Error(`sign-in refused by the issuer: ${params.get("error")}`);
  if (!pending || pending.state !== params.get("state")) throw new Error("sign-in answer does not match a sign-in started here");
  const response = await fetch(pending.tokenEndpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: params.get("code"),
      redirect_uri: redirectUri(),
      client_id: config.oidcClientId,
      code_verifier: pending.verifier,
    }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.access_token) {
    throw new Error(`the issuer did not give a token: ${body.error || `HTTP ${response.status}`}`);
  }
  session.token = body.access_token;
}

export function signinView(state, { error = null, onSignedIn }) {
  const { config } = state;
  const key = h("input.grow", { id: "api-key", type: "password", autocomplete: "off", required: true,
    placeholder: "your API key" });
  const line = h("p.status", { "aria-live": "polite" });
  const form = h("form.row", {
    onsubmit: async (event) => {
      event.preventDefault();
      session.token = key.value.trim();
      status(line, "Checking the key…");
      try {
        await onSignedIn();
      } catch (err) {
        session.token = null;
        status(line, describe(err), "error");
      }
    },
  },
  h("label", { for: "api-key", style: "flex:1 1 260px" }, "API key", key),
  h("button.primary", { type: "submit", id: "key-signin" }, "Sign in"));

  const oidc = config.oidcIssuer
    ? h("section.card", { "aria-labelledby": "oidc-title" },
      h("h2", { id: "oidc-title" }, "Single sign-on"),
      h("p", {}, "Issuer: ", h("code", { id: "oidc-issuer" }, config.oidcIssuer)),
      config.oidcClientId
        ? h("button.primary", {
          type: "button", id: "oidc-signin",
          onclick: () => startOidc(config).catch((err) => status(line, describe(err), "error")),
        }, "Sign in with your organisation")
        : h("p.muted", {}, "Single sign-on needs the console's client id: set GRAPH_IDENTITY_CONSOLE_CLIENT_ID."))
    : null;

  return h("div", {},
    h("h1", {}, "Sign in"),
    error ? notice("bad", error) : null,
    h("section.card", { "aria-labelledby": "key-title" },
      h("h2", { id: "key-title" }, "With an API key"),
      h("p.muted", {}, "The key stays in this browser tab (session storage) and is sent only to this server's ",
        h("code", {}, "/graphql"), ". You can do exactly what its role may do."),
      form, line),
    oidc);
}
