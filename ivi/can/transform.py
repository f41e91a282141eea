"""KUKSA ``dbc2vss`` transforms, compiled once per mapping entry.

``math`` transforms are arithmetic expressions in ``x`` (``"-x"``, ``"x * 60"``, ``"floor(x / 2)"``).
A mapping file is configuration that a car maker or a test bench hands us, so it must never
run code: the expression is parsed with :mod:`ast` and only a whitelist of nodes (numbers, ``x``,
``+ - * / // % **``, unary ``+ -``, comparisons and a few pure functions) is accepted, then
evaluated by walking that tree. ``mapping`` transforms are lookup tables (``from`` → ``to``).
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable
from typing import Any

from ivi.can.errors import MappingError, TransformError

Transform = Callable[[Any], Any]

_MISSING = object()
#: Returned by a ``mapping`` transform for a value it does not list: the update is dropped
#: (KUKSA does the same) and counted as a rejection.
UNMAPPED: Any = _MISSING

_BINOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_UNOPS: dict[type, Callable[[Any], Any]] = {ast.USub: operator.neg, ast.UAdd: operator.pos}
_CMPOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
_FUNCS: dict[str, Callable[..., Any]] = {
    "abs": abs,
    "min": min,
    "max": max,
    "round": round,
    "floor": math.floor,
    "ceil": math.ceil,
    "sqrt": math.sqrt,
    "int": int,
    "float": float,
}
_MAX_POW = 64


def compile_math(expression: str) -> Transform:
    """Compile a ``math`` transform into a function of ``x``; raise ``TransformError`` if unsafe."""
    if not isinstance(expression, str) or not expression.strip():
        raise TransformError("math transform must be a non-empty string")
    if len(expression) > 500:
        raise TransformError("math transform is too long")
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as exc:
        raise TransformError(f"math transform {expression!r} does not parse: {exc.msg}") from exc
    fn = _compile(tree.body, expression)
    return fn


def _compile(node: ast.AST, src: str) -> Transform:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        value = node.value
        return lambda x: value
    if isinstance(node, ast.Name) and node.id == "x":
        return lambda x: x
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        op, left, right = _BINOPS[type(node.op)], _compile(node.left, src), _compile(node.right, src)
        if isinstance(node.op, ast.Pow):

            def power(x: Any) -> Any:
                exponent = right(x)
                if abs(exponent) > _MAX_POW:
                    raise ArithmeticError("exponent too large")
                return op(left(x), exponent)

            return power
        return lambda x: op(left(x), right(x))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNOPS:
        uop, operand = _UNOPS[type(node.op)], _compile(node.operand, src)
        return lambda x: uop(operand(x))
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _CMPOPS:
        cop, left, right = _CMPOPS[type(node.ops[0])], _compile(node.left, src), _compile(node.comparators[0], src)
        return lambda x: cop(left(x), right(x))
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _FUNCS
        and not node.keywords
        and 1 <= len(node.args) <= 3
    ):
        fn, args = _FUNCS[node.func.id], [_compile(a, src) for a in node.args]
        return lambda x: fn(*(a(x) for a in args))
    raise TransformError(
        f"math transform {src!r}: {ast.dump(node)[:60]}… is not allowed "
        "(only numbers, x, arithmetic, comparisons and abs/min/max/round/floor/ceil/sqrt)"
    )


def compile_mapping(pairs: object) -> Transform:
    """Compile a ``mapping`` transform (list of ``{"from": a, "to": b}``) into a lookup."""
    if not isinstance(pairs, list) or not pairs:
        raise MappingError("mapping transform must be a non-empty list of {from, to}")
    table: dict[Any, Any] = {}
    for pair in pairs:
        if not isinstance(pair, dict) or "from" not in pair or "to" not in pair:
            raise MappingError(f"mapping transform entry {pair!r} needs 'from' and 'to'")
        table[_key(pair["from"])] = pair["to"]

    def lookup(x: Any) -> Any:
        return table.get(_key(x), _MISSING)

    lookup.is_lookup = True  # type: ignore[attr-defined]
    return lookup


def _key(value: Any) -> Any:
    # 3 and 3.0 and "3" from a JSON file should all match a decoded 3.
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and float(value).is_integer():
        return int(value)
    return value


def compile_transform(spec: object) -> Transform | None:
    """``None`` (identity) or the function for a ``transform`` object of a dbc2vss entry."""
    if spec is None:
        return None
    if not isinstance(spec, dict) or len(spec.keys() & {"math", "mapping"}) != 1:
        raise MappingError(f"transform must have exactly one of 'math' or 'mapping', got {spec!r}")
    if "math" in spec:
        return compile_math(spec["math"])
    return compile_mapping(spec["mapping"])
