"""KUKSA ``dbc2vss`` transforms, compiled once per mapping entry.

``{"math": "floor((x*40)-100)"}`` is an expression in ``x`` in py-expression-eval's dialect
(:mod:`ivi.can.expression`: parsed by that library, evaluated by us with a bounded cost).
``{"mapping": [{"from": "DI_GEAR_D", "to": 1}, …]}`` is a lookup: as in KUKSA the first entry whose
``from`` equals the value wins (Python equality: ``1``, ``1.0`` and ``true`` are equal; a named
value equals its name and nothing else), and a value no entry lists is dropped — counted here as
``unmapped_value``.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ivi.can.errors import MappingError
from ivi.can.expression import Transform, compile_math
from ivi.can.values import NamedValue

_MISSING = object()
#: Returned by a ``mapping`` transform for a value it does not list: the update is dropped
#: (KUKSA does the same) and counted as a rejection.
UNMAPPED: Any = _MISSING

TRANSFORM_KEYS = ("math", "mapping")
PAIR_KEYS = ("from", "to")

__all__ = [
    "UNMAPPED",
    "CompiledTransform",
    "compile_mapping",
    "compile_math",
    "compile_transform",
    "short_repr",
    "unknown_key",
]


@dataclass(frozen=True)
class CompiledTransform:
    """A ``transform`` object: ``kind`` is ``"math"`` or ``"mapping"``; ``fn`` maps a DBC value to a VSS value."""

    kind: str
    source: Any
    fn: Transform = field(compare=False, repr=False)

    @property
    def is_lookup(self) -> bool:
        return self.kind == "mapping"

    def __call__(self, value: Any) -> Any:
        return self.fn(value)


def short_repr(v: object) -> str:
    """A value from a mapping file for an error message: its repr, cut short (a repr of a long
    list would make the one-line error a page)."""
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "..."


def unknown_key(key: object, valid: tuple[str, ...] | frozenset[str], where: str) -> MappingError:
    """The error for a key that is not part of the format, naming the nearest valid key."""
    close = difflib.get_close_matches(str(key), sorted(valid), n=1, cutoff=0.5)
    hint = f" (did you mean {close[0]!r}?)" if close else f" (valid: {', '.join(sorted(valid))})"
    return MappingError(f"{where}: unknown key {short_repr(key)}{hint}")


def compile_mapping(pairs: object) -> Transform:
    """Compile a ``mapping`` transform (a list of ``{"from": a, "to": b}``) into a lookup."""
    if not isinstance(pairs, list) or not pairs:
        raise MappingError("mapping transform must be a non-empty list of {from, to}")
    by_value: dict[Any, Any] = {}  # numbers and booleans (Python equality: 1 == 1.0 == True)
    by_name: dict[str, Any] = {}  # strings: they match named values (and string values) by name
    for pair in pairs:
        if not isinstance(pair, dict):
            raise MappingError(f"mapping transform entry {short_repr(pair)} must be an object with 'from' and 'to'")
        for key in pair:
            if key not in PAIR_KEYS:
                raise unknown_key(key, PAIR_KEYS, "mapping transform entry")
        if "from" not in pair or "to" not in pair:
            raise MappingError(f"mapping transform entry {short_repr(pair)} needs 'from' and 'to'")
        source = pair["from"]
        if isinstance(source, str):
            by_name.setdefault(source, pair["to"])
        elif isinstance(source, (int, float)):
            by_value.setdefault(source, pair["to"])
        else:
            raise MappingError(
                f"mapping transform entry {short_repr(pair)}: 'from' must be a number, a string or a boolean"
            )

    def lookup(x: Any) -> Any:
        if isinstance(x, NamedValue):
            return by_name.get(x.name, _MISSING)
        if isinstance(x, str):
            return by_name.get(x, _MISSING)
        return by_value.get(x, _MISSING)

    return lookup


def compile_transform(spec: object, where: str = "transform") -> CompiledTransform | None:
    """``None`` (identity) or the compiled ``transform`` object of a dbc2vss/vss2dbc entry."""
    if spec is None:
        return None
    if not isinstance(spec, dict):
        raise MappingError(f"{where} must be an object with 'math' or 'mapping', got {short_repr(spec)}")
    for key in spec:
        if key not in TRANSFORM_KEYS:
            raise unknown_key(key, TRANSFORM_KEYS, where)
    if len(spec) != 1:
        raise MappingError(f"{where} must have exactly one of 'math' or 'mapping', got {sorted(spec)}")
    kind, source = next(iter(spec.items()))
    fn: Callable[[Any], Any] = compile_math(source) if kind == "math" else compile_mapping(source)
    return CompiledTransform(kind, source, fn)
