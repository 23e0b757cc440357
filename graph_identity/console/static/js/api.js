// The console's only way to the data: /graphql with the signed-in user's bearer token.
// No second privilege path: what the role may not do, the API refuses.

const TOKEN = "graph-identity.token";

export class ApiError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code || "ERROR";
  }
}

export const session = {
  get token() { return sessionStorage.getItem(TOKEN); },
  set token(value) {
    if (value) sessionStorage.setItem(TOKEN, value);
    else sessionStorage.removeItem(TOKEN);
  },
};

/** The whole response body ({data, errors}); throws only when there is no GraphQL answer. */
export async function request(query, variables = {}) {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      // application/json: errors come back with HTTP 200 (GraphQL over HTTP), so a refused
      // field is an answer to show, not a failed request in the browser's console.
      Accept: "application/json",
      Authorization: `Bearer ${session.token || ""}`,
    },
    body: JSON.stringify({ query, variables }),
  });
  let body = null;
  try { body = await response.json(); } catch { body = null; }
  if (!body || (!body.data && !body.errors)) {
    throw new ApiError(`the API answered HTTP ${response.status}`, `HTTP_${response.status}`);
  }
  if (response.status === 401) {
    const first = (body.errors || [])[0] || {};
    const error = new ApiError(first.message || "not signed in", "UNAUTHENTICATED");
    // an expired or revoked token mid-session: the shell goes back to sign-in (app.js)
    window.dispatchEvent(new CustomEvent("console-unauthenticated", { detail: error }));
    throw error;
  }
  return body;
}

/** The data of a request; the first error (with its extensions.code) is thrown. */
export async function gql(query, variables = {}) {
  const body = await request(query, variables);
  if (body.errors && body.errors.length) {
    const first = body.errors[0];
    throw new ApiError(first.message, (first.extensions || {}).code);
  }
  return body.data;
}

/** One text for a failure, naming the code when the API gave one. */
export function describe(error) {
  if (error instanceof ApiError) {
    if (error.code === "FORBIDDEN") return `Not allowed for your role: ${error.message}`;
    return `${error.message}${error.code && error.code !== "ERROR" ? ` (${error.code})` : ""}`;
  }
  return `Could not reach the API: ${error.message}`;
}

const INTROSPECT = `query ConsoleFeatures {
  __schema { types { name kind
    fields { name args { name } type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}`;

function named(type) {
  let t = type;
  while (t && !t.name) t = t.ofType;
  return t || {};
}

/**
 * What this server offers, from one introspection query: the console shows a control only
 * when the field (or argument) it needs exists, e.g. has("Mutation.splitPerson", "dryRun").
 */
export class Features {
  constructor(types) {
    this.types = new Map(types.map((t) => [t.name, t]));
  }

  field(typeName, fieldName) {
    const type = this.types.get(typeName);
    return type && (type.fields || []).find((f) => f.name === fieldName);
  }

  has(path, arg = null) {
    const [typeName, fieldName] = path.split(".");
    const field = this.field(typeName, fieldName);
    if (!field) return false;
    return arg ? field.args.some((a) => a.name === arg) : true;
  }

  /** A selection of a type's fields, leaves only, nested objects to `depth` (for shapes owned elsewhere). */
  selection(typeName, depth = 1) {
    const type = this.types.get(typeName);
    if (!type || !type.fields) return "";
    const parts = [];
    for (const field of type.fields) {
      if (field.args.some((a) => a.name !== "first" && a.name !== "after")) continue;
      const inner = named(field.type);
      if (inner.kind === "SCALAR" || inner.kind === "ENUM") parts.push(field.name);
      else if (inner.kind === "OBJECT" && inner.name === "Person") parts.push(`${field.name} { id }`);
      else if (inner.kind === "OBJECT" && depth > 0) {
        const sub = this.selection(inner.name, depth - 1);
        if (sub) parts.push(`${field.name} { ${sub} }`);
      }
    }
    return parts.join(" ");
  }
}

export async function discover() {
  const data = await gql(INTROSPECT);
  return new Features(data.__schema.types);
}

// Each probe reads no person (an unknown id, the audit log), so signing in writes nothing to
// the access log: probing a role is not reading anyone.
const PROBES = {
  admin: "query ConsoleProbeAdmin { auditLog(first: 1) { pageInfo { hasNextPage } } }",
  fraud: 'query ConsoleProbeFraud { event(id: "console-probe") { id } }',
  agent: 'query ConsoleProbeAgent { person(id: "console-probe") { id } }',
};

/** The token's role, by asking the API what it allows (the API stays the only judge). */
export async function probeRole() {
  const answers = await Promise.all(
    Object.entries(PROBES).map(async ([role, query]) => {
      const body = await request(query);
      const forbidden = (body.errors || []).some((e) => (e.extensions || {}).code === "FORBIDDEN");
      return [role, !forbidden];
    }),
  );
  const allowed = Object.fromEntries(answers);
  return ["admin", "fraud", "agent"].find((role) => allowed[role]) || "ingest";
}
