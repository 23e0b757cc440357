"""The query cost limit and the read deadline (docs/limits.md).

A document's cost is counted on the operation as it would execute, fragments expanded: every
field costs 1, and what a list field selects counts once per item it may return: ``first``
items for a paged field (its argument, a variable's value or the schema's default), and
:data:`LIST_WEIGHT` for a list without ``first``. Each fragment is measured once, so a
document whose fragments spread into each other ``2^20`` times costs ``2^20`` to execute but
only its size to measure. An operation over the limit is refused before it is validated or
executed, with ``QUERY_TOO_COSTLY`` naming the cost, the limit and the variable that sets it.

Queries (not mutations, which write and are bounded by their batch size) also get the
request's deadline (:class:`QueryCost` moves the request's timeout when it sees a query).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)
from strawberry.extensions import SchemaExtension, ValidationCache

COST_VARIABLE = "GRAPH_IDENTITY_MAX_QUERY_COST"
DEADLINE_VARIABLE = "GRAPH_IDENTITY_QUERY_DEADLINE_SECONDS"
COSTLY = "QUERY_TOO_COSTLY"
DEADLINE = "DEADLINE_EXCEEDED"
#: what a list field without ``first`` is assumed to return
LIST_WEIGHT = 10


class _Measure:
    """The cost of one operation's selections, with each fragment measured once."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.measured: dict[str, int] = {}
        self.measuring: set[str] = set()  # a cycle is the validator's to report

    def selections(self, selection_set: SelectionSetNode, parent: GraphQLNamedType | None) -> int:
        total = 0
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                total += self.field(node, parent)
            elif isinstance(node, InlineFragmentNode):
                condition = node.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selections(node.selection_set, inner)
            elif isinstance(node, FragmentSpreadNode):
                total += self.fragment(node.name.value)
        return total

    def fragment(self, name: str) -> int:
        if name in self.measured:
            return self.measured[name]
        definition = self.fragments.get(name)
        if definition is None or name in self.measuring:
            return 0
        self.measuring.add(name)
        parent = self.schema.get_type(definition.type_condition.name.value)
        cost = self.selections(definition.selection_set, parent)
        self.measuring.discard(name)
        self.measured[name] = cost
        return cost

    def field(self, node: FieldNode, parent: GraphQLNamedType | None) -> int:
        fields = parent.fields if isinstance(parent, GraphQLObjectType) else {}
        definition = fields.get(node.name.value)
        if node.selection_set is None:
            return 1
        inner = get_named_type(definition.type) if definition else None
        weight = self.weight(node, definition, parent)
        return 1 + weight * self.selections(node.selection_set, inner)

    def weight(
        self, node: FieldNode, definition: GraphQLField | None, parent: GraphQLNamedType | None
    ) -> int:
        """How many times the field's selection may execute."""
        if definition is None:
            return 1
        if "first" in definition.args:
            given = next((a.value for a in node.arguments or () if a.name.value == "first"), None)
            if isinstance(given, IntValueNode):
                return max(int(given.value), 1)
            if isinstance(given, VariableNode) and isinstance(
                self.variables.get(given.name.value), int
            ):
                return max(int(self.variables[given.name.value]), 1)
            default = definition.args["first"].default_value
            return default if isinstance(default, int) else LIST_WEIGHT
        kind = definition.type.of_type if isinstance(definition.type, GraphQLNonNull) else None
        if not isinstance(kind or definition.type, GraphQLList):
            return 1
        # a connection's edges are the page its field's `first` already counted
        return 1 if parent is not None and parent.name.endswith("Connection") else LIST_WEIGHT


def operation_cost(
    schema: GraphQLSchema, operation: OperationDefinitionNode, document: Any, variables: Any
) -> int:
    """The cost of ``operation`` in ``document`` with ``variables`` (see the module's doc)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    root = schema.get_root_type(operation.operation)
    measure = _Measure(schema, fragments, variables if isinstance(variables, dict) else {})
    return measure.selections(operation.selection_set, root)


class QueryCost(SchemaExtension):
    """Refuses an operation over ``limit`` before it is validated (the standard rules and the
    depth limiter expand fragments one spread at a time, so validating ``2^20`` spreads took
    as long as running them); gives queries the deadline when they execute."""

    def __init__(self, limit: int, deadline: float | None = None) -> None:
        self.limit = limit
        self.deadline = deadline

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        operation = _operation(document, context.operation_name)
        if operation is not None:
            try:
                schema = context.schema._schema
                cost: int | None = operation_cost(schema, operation, document, context.variables)
            except RecursionError:  # a chain of hundreds of fragments: too deep to measure
                cost = None
            if cost is None or cost > self.limit:
                context.pre_execution_errors = [costly(cost, self.limit)]
        yield

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        operation = _operation(context.graphql_document, context.operation_name)
        if operation is not None and operation.operation is OperationType.QUERY:
            _start_deadline(context.context, self.deadline)
        yield


class ValidationAfterCost(ValidationCache):
    """Strawberry's validation cache, which leaves a document :class:`QueryCost` refused
    unvalidated (it validates whatever it is given)."""

    def on_validate(self) -> Iterator[None]:
        if self.execution_context.pre_execution_errors:
            yield
        else:
            yield from super().on_validate()


def costly(cost: int | None, limit: int) -> GraphQLError:
    """The refusal of an operation over the limit (``cost`` None: too deep to measure)."""
    measured = (
        f"query cost {cost}" if cost is not None else "the query nests too deeply to measure and"
    )
    return GraphQLError(
        f"{measured} exceeds the limit of {limit} ({COST_VARIABLE}): ask for fewer "
        "fields, smaller pages (`first`) or fewer fragment spreads",
        extensions={"code": COSTLY, "cost": cost, "limit": limit},
    )


def past_deadline(seconds: float) -> dict[str, Any]:
    """The answer to a query cut at its deadline."""
    message = (
        f"the query ran past its deadline of {seconds:g} s ({DEADLINE_VARIABLE}) and was "
        "stopped: ask for less (smaller pages, fewer hops)"
    )
    return {"data": None, "errors": [{"message": message, "extensions": {"code": DEADLINE}}]}


def _operation(document: Any, name: str | None) -> OperationDefinitionNode | None:
    operations = [
        d for d in getattr(document, "definitions", ()) if isinstance(d, OperationDefinitionNode)
    ]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name and o.name.value == name), None)


def _start_deadline(request_context: Any, seconds: float | None) -> None:
    timeout = getattr(request_context, "deadline", None)
    if seconds is not None and isinstance(timeout, asyncio.Timeout):
        timeout.reschedule(asyncio.get_running_loop().time() + seconds)
