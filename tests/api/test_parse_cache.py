"""Guards the parsed-document cache: a query text is parsed once per process, and a text that
does not parse is not cached (strawberry reports it; see test_bad_input for its code)."""

from __future__ import annotations

from graph_identity.api import parse_cache
from graph_identity.api.schema import build_schema


async def test_a_query_text_is_parsed_once() -> None:
    schema = build_schema()
    text = "query CacheProbe { __typename }"
    first = await schema.execute(text)
    before = parse_cache._parse.cache_info()
    second = await schema.execute(text)
    after = parse_cache._parse.cache_info()
    assert first.data == second.data == {"__typename": "Query"}
    assert after.hits == before.hits + 1 and after.misses == before.misses


async def test_a_syntax_error_is_reported_and_not_cached() -> None:
    schema = build_schema()
    before = parse_cache._parse.cache_info()
    result = await schema.execute("{ person(")
    assert result.errors and "Syntax Error" in result.errors[0].message
    assert parse_cache._parse.cache_info().currsize == before.currsize
