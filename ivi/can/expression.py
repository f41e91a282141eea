"""KUKSA's ``math`` transforms: py-expression-eval's dialect, parsed by py-expression-eval, evaluated by us.

The KUKSA CAN provider evaluates ``math`` with py-expression-eval (``x^2``, ``log(x, 10)``,
``floor((x*40)-100)``, ``x > 3 and x < 9``, ``if(x > 0, x, 0)``, …). That dialect has quirks a
Python-syntax evaluator gets wrong: ``^`` is power, every binary operator is left-associative
(``2^3^2`` = 64), ``/`` and ``%`` bind tighter than ``*`` (``x*2/3`` = ``x*(2/3)``), ``//`` is an
error. So the expression is parsed by py-expression-eval itself (the only module that imports it):
its parser turns the text into postfix tokens, never code, and never runs anything.

We evaluate those tokens ourselves, because a mapping file is configuration from outside and its
evaluation must have a bounded cost: at load an expression is refused when it is longer than
:data:`MAX_CHARS`, deeper than :data:`MAX_DEPTH`, has more than :data:`MAX_NODES` nodes, uses an unknown
name, or calls ``random``/``D`` (not deterministic); at run time ``^`` refuses integer results above
:data:`MAX_INT_BITS` bits, every arithmetic operator refuses integer operands above that size (so
``(((x^64)^64)^63)^63`` or a product of such powers stops after microseconds instead of hanging in
CPython's uninterruptible big-integer code), ``fac`` refuses arguments above 170, and arithmetic
takes numbers only (no ``'a' * 10**9``). A result that is not a real number or a string (``x^0.5`` of
a negative ``x`` is complex in Python) is an error, never a value. Everything else computes exactly
what py-expression-eval computes (Python's operators and ``math`` functions, in its order) —
``tests/can/test_can_expression.py`` checks that against py-expression-eval on generated expressions.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import Any

from py_expression_eval import Parser

from ivi.can.errors import TransformError

Transform = Callable[[Any], Any]

MAX_CHARS = 500
MAX_DEPTH = 64
MAX_NODES = 200
MAX_INT_BITS = 4096
MAX_FACTORIAL = 170

_TNUMBER, _TOP1, _TOP2, _TVAR, _TFUNCALL = 0, 1, 2, 3, 4
_NUMBERS = (int, float, complex)  # bool is an int; complex: (-1)^0.5, as in Python (never a final result)


def _numeric(*values: Any) -> None:
    """Numbers only, and no integer past :data:`MAX_INT_BITS` bits: checked *before* an operation,
    because CPython's big-integer arithmetic cannot be interrupted. With every operand bounded, no
    intermediate result exceeds twice that size, whatever the expression."""
    for v in values:
        if not isinstance(v, _NUMBERS):
            raise TypeError(f"arithmetic on {type(v).__name__} {str(v)[:40]!r}")
        if type(v) is int and v.bit_length() > MAX_INT_BITS:
            raise OverflowError(f"arithmetic on an integer of more than {MAX_INT_BITS} bits")


def _arith(op: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def run(a: Any, b: Any) -> Any:
        _numeric(a, b)
        return op(a, b)

    return run


def _power(a: Any, b: Any) -> Any:
    _numeric(a, b)
    big = isinstance(a, int) and isinstance(b, int) and b > 0 and abs(a) > 1
    if big and a.bit_length() * b > MAX_INT_BITS:
        raise OverflowError(f"a power of more than {MAX_INT_BITS} bits")
    return a**b


def _factorial(a: Any) -> Any:
    if isinstance(a, (int, float)) and a > MAX_FACTORIAL:
        raise OverflowError(f"fac() of a number above {MAX_FACTORIAL}")
    return math.factorial(a)


def _pyt(a: Any, b: Any) -> Any:
    _numeric(a, b)
    return math.sqrt(a * a + b * b)


def _comma(a: Any, b: Any) -> list[Any]:
    return [*a, b] if type(a) is list else [a, b]


def _concat(a: Any, b: Any, *more: Any) -> str:
    return "".join(str(v) for v in (a, b, *more))


_UNARY: dict[str, Callable[[Any], Any]] = {
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "asin": math.asin,
    "acos": math.acos,
    "atan": math.atan,
    "sind": lambda a: math.sin(math.radians(a)),
    "cosd": lambda a: math.cos(math.radians(a)),
    "tand": lambda a: math.tan(math.radians(a)),
    "asind": lambda a: math.degrees(math.asin(a)),
    "acosd": lambda a: math.degrees(math.acos(a)),
    "atand": lambda a: math.degrees(math.atan(a)),
    "sqrt": math.sqrt,
    "abs": abs,
    "ceil": math.ceil,
    "floor": math.floor,
    "round": round,
    "-": lambda a: -a if isinstance(a, _NUMBERS) else _numeric(a),
    "not": operator.not_,
    "exp": math.exp,
}
_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": _arith(operator.add),
    "-": _arith(operator.sub),
    "*": _arith(operator.mul),
    "/": _arith(operator.truediv),
    "%": _arith(operator.mod),
    "^": _power,
    "**": _power,
    ",": _comma,
    "||": _concat,
    "==": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    "<": operator.lt,
    ">=": operator.ge,
    "<=": operator.le,
    "and": lambda a, b: a and b,
    "or": lambda a, b: a or b,
    "xor": operator.xor,
    "in": lambda a, b: a in b,
}
_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "fac": _factorial,
    "log": math.log,
    "min": min,
    "max": max,
    "pyt": _pyt,
    "pow": math.pow,
    "atan2": math.atan2,
    "concat": _concat,
    "if": lambda a, b, c: b if a else c,
}
_NOT_DETERMINISTIC = {"random", "D"}


def compile_math(expression: object) -> Transform:
    """Compile a ``math`` transform into a function of ``x``; raise ``TransformError`` when it is refused."""
    if not isinstance(expression, str) or not expression.strip():
        raise TransformError("math transform must be a non-empty string")
    if len(expression) > MAX_CHARS:
        raise TransformError(f"math transform is longer than {MAX_CHARS} characters")
    try:
        tokens = Parser().parse(expression).tokens
    except Exception as exc:  # py-expression-eval raises bare Exceptions (and ValueError on odd numbers)
        raise TransformError(f"math transform {expression!r} does not parse: {exc}") from exc
    fn, depth = _build(tokens, expression)
    if depth > MAX_DEPTH:
        raise TransformError(f"math transform {expression!r} is nested {depth} deep (at most {MAX_DEPTH})")
    return fn


# A compiled node: (function of x, depth). Functions named by a TVAR are carried as their name.
_Node = tuple[Callable[[Any], Any] | str, int]


def _build(tokens: list[Any], src: str) -> tuple[Transform, int]:
    if len(tokens) > MAX_NODES:
        raise TransformError(f"math transform {src!r} has more than {MAX_NODES} terms")
    stack: list[_Node] = []
    for tok in tokens:
        kind = tok.type_
        if kind == _TNUMBER:
            stack.append((_constant(tok.number_), 1))
        elif kind == _TVAR:
            stack.append(_variable(tok.index_, src))
        elif kind == _TOP1 and stack:
            stack.append(_unary(tok.index_, stack.pop(), src))
        elif kind == _TOP2 and len(stack) > 1:
            right = stack.pop()
            stack.append(_binary(tok.index_, stack.pop(), right, src))
        elif kind == _TFUNCALL and len(stack) > 1:
            args = stack.pop()
            stack.append(_call(stack.pop(), args, src))
        else:
            raise TransformError(
                f"math transform {src!r} is not a complete expression in py-expression-eval's dialect "
                "(a sign right after an operator needs parentheses there: x * (-2), not x * -2)"
            )
    if len(stack) != 1:
        raise TransformError(f"math transform {src!r} is not a complete expression")
    fn, depth = stack[0]
    if isinstance(fn, str):
        raise TransformError(f"math transform {src!r} names the function {fn} without calling it")
    return _checked(fn), depth


def _constant(value: Any) -> Callable[[Any], Any]:
    if type(value) is list:  # the empty argument list of a call like f()
        return lambda x: []
    return lambda x: value


def _variable(name: str, src: str) -> _Node:
    if name == "x":
        return (lambda x: x), 1
    if name in _FUNCTIONS:
        return name, 1
    if name in _NOT_DETERMINISTIC:
        raise TransformError(f"math transform {src!r} uses {name}(), which is not deterministic")
    raise TransformError(f"math transform {src!r}: unknown name {name!r} (the signal value is x)")


def _unary(op: str, operand: _Node, src: str) -> _Node:
    fn, depth = operand
    if isinstance(fn, str):
        raise TransformError(f"math transform {src!r} applies {op} to the function {fn}")
    f = _UNARY.get(op)
    if f is None:
        raise TransformError(f"math transform {src!r}: operator {op!r} is not supported")
    return (lambda x: f(fn(x))), depth + 1


def _binary(op: str, left: _Node, right: _Node, src: str) -> _Node:
    (lf, ld), (rf, rd) = left, right
    if op in _NOT_DETERMINISTIC:
        raise TransformError(f"math transform {src!r} uses {op}, which is not deterministic")
    if isinstance(lf, str) or isinstance(rf, str):
        raise TransformError(f"math transform {src!r} uses a function name as a value")
    f = _BINARY.get(op)
    if f is None:
        raise TransformError(f"math transform {src!r}: operator {op!r} is not supported")
    return (lambda x: f(lf(x), rf(x))), max(ld, rd) + 1


def _call(function: _Node, args: _Node, src: str) -> _Node:
    (name, fd), (af, ad) = function, args
    if not isinstance(name, str):
        raise TransformError(f"math transform {src!r} calls something that is not a function")
    if isinstance(af, str):
        raise TransformError(f"math transform {src!r} passes the function {af} as an argument")
    f = _FUNCTIONS[name]

    def call(x: Any) -> Any:
        a = af(x)
        return f(*a) if type(a) is list else f(a)

    return call, max(fd, ad) + 1


def _checked(fn: Callable[[Any], Any]) -> Transform:
    def transform(x: Any) -> Any:
        out = fn(x)
        if not isinstance(out, (int, float, str)):
            raise TypeError(f"result {out!r} is not a number")
        return out

    return transform
