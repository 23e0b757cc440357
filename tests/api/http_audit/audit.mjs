// Runs the graphql-http server audit against a live /graphql and prints one JSON line per
// result ({status, id, name, reason}). Usage: node audit.mjs URL BEARER_TOKEN
import { auditServer } from 'graphql-http';

const [url, token] = process.argv.slice(2);
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
};
const results = await auditServer({ url, fetchFn });
for (const result of results) {
  const reason = result.status === 'ok' ? null : result.reason;
  console.log(JSON.stringify({ status: result.status, id: result.id, name: result.name, reason }));
}
