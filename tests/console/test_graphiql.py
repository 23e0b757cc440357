"""GraphiQL at /graphql works with no internet: its assets come from this app, it picks up the
console's token, and a query runs."""

from __future__ import annotations

import json

from tests.console.conftest import ConsoleApp, Tab


def test_graphiql_runs_a_query_offline(tab: Tab, console: ConsoleApp) -> None:
    tab.sign_in(console.keys["fraud"], "fraud")
    page = tab.page
    tab.goto("/graphql")
    page.wait_for_selector(".graphiql-execute-button")
    page.click(".graphiql-execute-button")
    page.wait_for_selector(".result-window :text('resolve')")
    answer = json.loads(
        page.locator(".result-window .CodeMirror").evaluate("e => e.CodeMirror.getValue()")
    )
    assert answer["data"]["resolve"]["person"] is None
    assert "errors" not in answer
    tab.shoot("graphiql")
