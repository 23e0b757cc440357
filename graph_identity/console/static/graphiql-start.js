// Starts GraphiQL on /graphql. Every request needs a bearer token: the one the console signed in
// with (sessionStorage, same origin) is filled into the headers editor; otherwise edit it there.
(function () {
  "use strict";
  var token = sessionStorage.getItem("graph-identity.token");
  var headers = JSON.stringify({ Authorization: "Bearer " + (token || "PASTE-YOUR-API-KEY") }, null, 2);
  var example = [
    "# Signed in with the console's key when you came from /console; else edit the Headers tab.",
    "query WhoIsThis {",
    '  resolve(identifier: {type: EMAIL, value: "someone@example.com"}) {',
    "    confidence shared",
    "    person { id identifiers { type value confidence shared } }",
    "    candidates { confidence person { id } }",
    "  }",
    "}",
    "",
  ].join("\n");
  var fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultEditorToolsVisibility: "headers",
      headers: headers,
      defaultQuery: example,
      shouldPersistHeaders: false,
    })
  );
})();
