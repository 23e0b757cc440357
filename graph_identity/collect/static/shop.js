// The demo shop's own script: the snippet's install (the stub and gi("load")), then the page.
// The write key comes from the page's meta tag (the app fills it in from
// GRAPH_IDENTITY_SHOP_WRITE_KEY); ?consent=ask starts in consent mode.
window.gi = window.gi || function () { (window.gi.q = window.gi.q || []).push(arguments); };
(function () {
  "use strict";
  var ask = new URLSearchParams(location.search).get("consent") === "ask";
  var key = document.querySelector('meta[name="gi-write-key"]').content;
  gi("load", { writeKey: key, consent: ask ? "required" : "granted", flushMs: 300 });

  var PRODUCTS = [
    { id: "kettle", name: "Copper kettle", price: 49 },
    { id: "mug", name: "Stoneware mug", price: 12 },
    { id: "teapot", name: "Cast-iron teapot", price: 65 },
    { id: "tea", name: "Sencha, 100 g", price: 9 }
  ];
  var USER = "shop:user";

  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    return e;
  }
  function who() {
    var email = localStorage.getItem(USER);
    document.getElementById("who").textContent = email ? "Signed in as " + email : "Browsing as a stranger";
    document.getElementById("logout").hidden = !email;
    document.getElementById("account").hidden = !!email;
  }
  function showProduct() {
    var m = location.pathname.match(/^\/shop\/p\/([a-z]+)$/);
    var box = document.getElementById("product");
    var p = m && PRODUCTS.filter(function (x) { return x.id === m[1]; })[0];
    box.hidden = !p;
    box.textContent = "";
    if (!p) return;
    document.title = p.name + " · Demo shop";
    box.append(el("h2", p.name), el("p", "$" + p.price));
    var add = el("button", "Add to cart", { type: "button", id: "add-" + p.id });
    add.onclick = function () { gi("track", "Product Added", { product_id: p.id, name: p.name, price: p.price }); };
    box.append(add);
  }
  function signIn(email, traits, signUp) {
    var userId = "shop-" + email.trim().toLowerCase();
    localStorage.setItem(USER, email.trim().toLowerCase());
    gi("identify", userId, traits);
    if (signUp) gi("track", "Signed Up", {});
    gi("track", "Signed In", {});
    gi("flush");
    who();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var list = document.getElementById("products");
    PRODUCTS.forEach(function (p) {
      var card = el("div", null, { class: "card" });
      var link = el("a", p.name, { href: "/shop/p/" + p.id, id: "view-" + p.id });
      link.onclick = function (ev) { ev.preventDefault(); history.pushState({}, "", "/shop/p/" + p.id); showProduct(); };
      card.append(link, el("p", "$" + p.price, { class: "muted" }));
      list.append(card);
    });
    window.addEventListener("popstate", showProduct);
    document.getElementById("signup").onsubmit = function (ev) {
      ev.preventDefault();
      var email = document.getElementById("signup-email").value;
      signIn(email, { email: email, name: document.getElementById("signup-name").value }, true);
    };
    document.getElementById("login").onsubmit = function (ev) {
      ev.preventDefault();
      var email = document.getElementById("login-email").value;
      signIn(email, { email: email }, false);
    };
    document.getElementById("logout").onclick = function () {
      localStorage.removeItem(USER);
      gi("reset");
      who();
    };
    var banner = document.getElementById("consent-banner");
    banner.hidden = !ask;
    document.getElementById("consent-yes").onclick = function () { gi("consent", true); banner.hidden = true; };
    document.getElementById("consent-no").onclick = function () { gi("consent", false); banner.hidden = true; };
    showProduct();
    who();
  });
})();
