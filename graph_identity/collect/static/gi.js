/* graph-identity collection snippet (docs/collect.md). No dependencies, nothing from a CDN.
 * Install (two lines, before </head>):
 *   <script>window.gi=window.gi||function(){(gi.q=gi.q||[]).push(arguments)};gi("load",{writeKey:"KEY"});</script>
 *   <script async src="https://YOUR-GRAPH-IDENTITY/collect/gi.js"></script>
 * Calls: gi("page"), gi("identify", userId, traits), gi("track", event, properties),
 *   gi("alias", userId, previousId), gi("reset"), gi("consent", true|false).
 * Sends Segment Spec messages to /v1/batch of the host it was loaded from. */
(function (w, d) {
  "use strict";
  var VERSION = "1.0.0";
  var queued = (w.gi && w.gi.q) || [];
  var script = d.currentScript;
  var o = {
    writeKey: "", host: script ? new URL(script.src, location.href).origin : location.origin,
    cookieName: "gi_aid", cookieDays: 365, cookieDomain: "", consent: "granted",
    signedOut: "Signed Out", flushAt: 20, flushMs: 1000, autoPage: true, retries: 6
  };
  var buffer = [], held = [], timer = null, lastUrl = null, loaded = false, uid = null, aid = null;

  function consented() { return o.consent === "granted"; }
  function uuid() {
    if (w.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = Math.random() * 16 | 0; return (c === "x" ? r : (r & 3 | 8)).toString(16);
    });
  }
  function readCookie() {
    var m = d.cookie.match(new RegExp("(?:^|; )" + o.cookieName + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : null;
  }
  function writeCookie(value, days) {
    var c = o.cookieName + "=" + encodeURIComponent(value) + "; Path=/; SameSite=Lax; Max-Age=" +
      Math.round(days * 86400);
    if (o.cookieDomain) c += "; Domain=" + o.cookieDomain;
    if (location.protocol === "https:") c += "; Secure";
    d.cookie = c;
  }
  function store() { try { return w.localStorage; } catch (e) { return null; } }
  function anonymousId() {
    if (!aid) aid = readCookie() || uuid();
    writeCookie(aid, o.cookieDays); // refreshes the lifetime on every visit
    return aid;
  }
  function userId() {
    if (uid === null) { var s = store(); uid = (s && s.getItem(o.cookieName + ":uid")) || ""; }
    return uid || null;
  }
  function setUser(id) {
    uid = id ? String(id) : "";
    var s = store();
    if (s) { if (uid) s.setItem(o.cookieName + ":uid", uid); else s.removeItem(o.cookieName + ":uid"); }
  }
  function pageContext() {
    return { url: location.href, path: location.pathname, title: d.title, referrer: d.referrer };
  }

  function enqueue(type, fields) {
    var m = { type: type, messageId: uuid(), originalTimestamp: new Date().toISOString(),
      context: { page: pageContext(), userAgent: navigator.userAgent, library: { name: "gi.js", version: VERSION } } };
    for (var k in fields) if (fields[k] !== undefined && fields[k] !== null) m[k] = fields[k];
    if (!consented()) { if (o.consent === "pending") held.push([type, fields]); return; }
    m.anonymousId = anonymousId();
    var u = userId(); if (u && !m.userId) m.userId = u;
    buffer.push(m);
    if (buffer.length >= o.flushAt) flush(); else if (!timer) timer = setTimeout(flush, o.flushMs);
  }
  function body(batch) {
    return JSON.stringify({ batch: batch, sentAt: new Date().toISOString(), writeKey: o.writeKey });
  }
  function send(batch, attempt) {
    // text/plain keeps the request "simple": no CORS preflight; the write key is in the body
    fetch(o.host + "/v1/batch", { method: "POST", body: body(batch), keepalive: true,
      headers: { "Content-Type": "text/plain" }, credentials: "omit" })
      .then(function (r) { if (r.status === 429 || r.status >= 500) retry(batch, attempt); })
      .catch(function () { retry(batch, attempt); });
  }
  function retry(batch, attempt) {
    if (attempt >= o.retries) return;
    var wait = Math.min(30000, 500 * Math.pow(2, attempt)) * (0.5 + Math.random() / 2);
    setTimeout(function () { send(batch, attempt + 1); }, wait);
  }
  function flush() {
    clearTimeout(timer); timer = null;
    if (buffer.length) send(buffer.splice(0, buffer.length), 0);
  }
  function beacon() { // the page is going away: hand what is left to the browser
    clearTimeout(timer); timer = null;
    if (!buffer.length) return;
    var batch = buffer.splice(0, buffer.length);
    if (!(navigator.sendBeacon && navigator.sendBeacon(o.host + "/v1/batch",
      new Blob([body(batch)], { type: "text/plain" })))) send(batch, 0);
  }

  var api = {
    load: function (options) {
      for (var k in options || {}) o[k] = options[k];
      if (o.consent === "required") o.consent = "pending";
      loaded = true;
      if (o.autoPage) api.page();
    },
    page: function (name, properties) {
      lastUrl = location.href;
      enqueue("page", { name: name, properties: properties || pageContext() });
    },
    identify: function (id, traits) {
      if (typeof id === "object" && id !== null) { traits = id; id = null; }
      if (id && consented()) setUser(id);
      enqueue("identify", { userId: id ? String(id) : undefined, traits: traits || {} });
    },
    track: function (event, properties) { enqueue("track", { event: event, properties: properties || {} }); },
    alias: function (id, previousId) {
      enqueue("alias", { userId: String(id), previousId: previousId || userId() || (consented() ? anonymousId() : null) });
      if (consented()) setUser(id);
    },
    reset: function () { // logout on a shared device: the session ends, the next visitor is a stranger
      if (userId()) enqueue("track", { event: o.signedOut, properties: {} });
      beacon();
      setUser(null);
      aid = null;
      writeCookie("", -1);
    },
    consent: function (granted) {
      o.consent = granted ? "granted" : "denied";
      var wait = held; held = [];
      if (granted) wait.forEach(function (c) { enqueue(c[0], c[1]); });
    },
    flush: flush,
    anonymousId: function () { return consented() ? anonymousId() : null; },
    version: VERSION
  };

  function gi(method) {
    var f = api[method];
    if (typeof f !== "function") throw new Error("gi: unknown call " + method);
    return f.apply(null, Array.prototype.slice.call(arguments, 1));
  }
  for (var name in api) gi[name] = api[name];
  w.gi = gi;

  // history changes are page views (single-page sites)
  ["pushState", "replaceState"].forEach(function (fn) {
    var orig = history[fn];
    history[fn] = function () {
      var r = orig.apply(this, arguments);
      // after the caller's own work: a page view carries the new page's title
      setTimeout(function () { if (loaded && o.autoPage && location.href !== lastUrl) api.page(); }, 0);
      return r;
    };
  });
  w.addEventListener("popstate", function () { if (loaded && o.autoPage && location.href !== lastUrl) api.page(); });
  d.addEventListener("visibilitychange", function () { if (d.visibilityState === "hidden") beacon(); });
  w.addEventListener("pagehide", beacon);

  queued.forEach(function (args) { gi.apply(null, args); });
})(window, document);
