// Sends one journey through the official @segment/analytics-node SDK to graph-identity:
//   node send.mjs <host> <writeKey> <prefix>
// page, identify, Signed In, a custom track, Signed Out and alias, a second apart; exits 1 on
// any delivery error (tests/collect/test_sdks.py reads the persons back through GraphQL).
import { Analytics } from "@segment/analytics-node";

const [host, writeKey, prefix] = process.argv.slice(2);
const analytics = new Analytics({ writeKey, host, flushAt: 10, flushInterval: 200, maxRetries: 2 });
const failures = [];
analytics.on("error", (err) => failures.push(String(err && (err.reason || err.message || err))));

const anonymousId = `${prefix}-anon`;
const userId = `${prefix}-user`;
const start = Date.now() - 60_000;
const at = (n) => new Date(start + n * 1000);

analytics.page({ anonymousId, name: "Home", properties: { path: "/", url: "https://shop.example.com/" }, timestamp: at(0) });
analytics.identify({ userId, anonymousId, traits: { email: `${prefix}@example.com` }, timestamp: at(1) });
analytics.track({ userId, anonymousId, event: "Signed In", timestamp: at(2) });
analytics.track({ userId, anonymousId, event: "Order Completed", properties: { total: 30 }, timestamp: at(3) });
analytics.track({ userId, anonymousId, event: "Signed Out", timestamp: at(4) });
analytics.alias({ userId, previousId: `${prefix}-old`, timestamp: at(5) });

await analytics.closeAndFlush({ timeout: 20_000 });
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log("sent");
