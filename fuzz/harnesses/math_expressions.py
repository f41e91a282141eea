"""KUKSA ``math`` transforms: compiled once from a mapping file, then run on every decoded value.

The input is the expression's text (UTF-8; bytes that are not become U+FFFD, as text from a JSON file would be
valid Unicode). It is compiled, and then evaluated on the values a CAN signal can carry: the edges of 64-bit
integers, small numbers, signs, fractions, floats near their limits, and a named value (an SNA state).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator

from fuzz.harness import Finding, Harness, expect
from fuzz.mutators import mutate_bytes
from ivi.can.errors import TransformError
from ivi.can.expression import MAX_INT_BITS, compile_math
from ivi.can.values import NamedValue
from ivi.can.vss import DATATYPES, coerce

__all__ = ["HARNESS", "check", "mutate", "seeds"]

SIGNAL_VALUES: tuple[object, ...] = (
    0,
    1,
    -1,
    2,
    7,
    255,
    -128,
    2**31,
    2**63 - 1,
    -(2**63),
    2**64 - 1,
    0.5,
    -1.5,
    1e-300,
    3.4e38,
    -1.7e308,
    NamedValue(3, "SNA"),
)
#: What a transform may raise at run time: the decoder counts it as ``transform_failed`` (KUKSA drops the value).
RUNTIME_ERRORS = (ArithmeticError, ValueError, TypeError)


def check(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    try:
        fn = compile_math(text)
    except TransformError as exc:
        expect(bool(str(exc)), "refusal-without-reason", text[:80])
        return
    for x in SIGNAL_VALUES:
        try:
            out = fn(x)
        except RUNTIME_ERRORS:
            continue
        if not isinstance(out, int | float | str):  # a comparison gives a bool, an int here
            raise Finding("result-not-a-number", f"{text[:80]!r} at {x!r}: {type(out).__name__}")
        if isinstance(out, int):
            expect(out.bit_length() <= 2 * MAX_INT_BITS, "unbounded-integer", f"{text[:80]!r} at {x!r}")
        for datatype in DATATYPES:
            try:
                value = coerce(datatype, out)
            except (TypeError, ValueError):
                continue
            expect(_fits(datatype, value), "coerced-value-outside-datatype", f"{datatype}: {value!r:.80}")


def _fits(datatype: str, value: object) -> bool:
    if datatype == "boolean":
        return type(value) is bool
    if datatype == "string":
        return type(value) is str
    if datatype in ("float", "double"):
        return type(value) is float and math.isfinite(value)
    return type(value) is int


SEEDS = (
    "floor((x*40)-100)",
    "(x+100)/40",
    "floor(abs(x/5))",
    "floor(x+0.5)",
    "x^2",
    "x ** 0.5",
    "(((x**64)**64)**63)**63",
    "log(x, 10)",
    "if(x > 0, x, 0)",
    "x > 3 and x < 9",
    "x == 'SNA'",
    "concat(x, 'km')",
    "fac(x)",
    "min(x, 100, max(x, -100))",
    "pyt(x, 3) % 7",
    "atan2(x, 1) * 180 / PI",
    "sqrt(abs(x)) + exp(1)",
    "(x^63)*(x^63)",
    "round(x * 10) / 10",
    "-(x) + 2^3^2",
)
_TOKENS = (
    "x", "(", ")", "^", "**", "*", "/", "%", "+", "-", ",", "0", "1", "2", "63", "64", "0.5", "1e308", "9" * 30,
    "fac(", "pow(", "log(", "exp(", "sqrt(", "if(", "min(", "max(", "concat(", "'a'", "PI", "E", "and", "or",
    "not", "==", ">", "||", " in ", "random(", "D", "x^x", "((x))", "sin(", "round(",
)  # fmt: skip


def mutate(data: bytes, max_size: int, seed: int) -> bytes:
    """Token-level edits of an expression (insert an operator, a function, a number; splice in a seed; wrap it
    in a power), with byte-level edits now and then."""
    rng = random.Random(seed)
    if rng.random() < 0.15:
        return mutate_bytes(data, max_size, seed)
    text = data.decode("utf-8", "replace")
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(5)
        pos = rng.randrange(len(text) + 1)
        if op == 0:
            text = text[:pos] + rng.choice(_TOKENS) + text[pos:]
        elif op == 1 and text:
            end = min(len(text), pos + rng.randint(1, 6))
            text = text[:pos] + text[end:]
        elif op == 2:
            text = text[:pos] + rng.choice(SEEDS) + text[pos:]
        elif op == 3:
            text = f"({text}){rng.choice(('^', '**', '*'))}{rng.choice(('2', '63', '64', '0.5', 'x'))}"
        else:
            text = f"{rng.choice(('fac', 'sqrt', 'floor', 'exp', 'log', '-'))}({text})"
    return text.encode("utf-8")[:max_size]


def seeds() -> Iterator[bytes]:
    for s in SEEDS:
        yield s.encode()


HARNESS = Harness(
    name="math_expressions",
    check=check,
    seeds=seeds,
    mutate=mutate,
    doc=(
        "compile_math either refuses an expression with a TransformError naming the reason, or returns a function "
        "that, on any value a CAN signal carries, returns an int, float or string (never a complex number or a "
        "container; integers of at most 8,192 bits) or raises an ArithmeticError, ValueError or TypeError — which "
        "the decoder counts as transform_failed — within microseconds; vss.coerce then gives a value of each VSS "
        "datatype or a TypeError/ValueError."
    ),
)
