"""Structure-aware mutation shared by the harnesses: JSON documents and raw bytes.

A JSON mutation parses the input, picks one node, and changes its key, type, nesting, number or string — the
places where a parser's assumptions live (``x or []`` on a dict, ``float()`` on a list, ``2**63`` in an
``INTEGER`` column, a NUL in an id, ``"[" * 5000``). An input that is no longer JSON is mutated as bytes. Every
mutator takes atheris' custom-mutator arguments ``(data, max_size, seed)`` and is deterministic for a seed.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable
from typing import Any

__all__ = ["INTERESTING_VALUES", "json_mutator", "mutate_bytes", "mutate_json", "mutate_json_value"]

#: Values that break parsers: wrong types, extremes, non-finite numbers, control characters, deep nesting.
INTERESTING_VALUES: tuple[Any, ...] = (
    None,
    True,
    False,
    0,
    -1,
    1,
    2**31,
    2**63,
    -(2**63) - 1,
    10**400,
    0.0,
    -0.0,
    1e308,
    -1e308,
    1e-320,
    float("nan"),
    float("inf"),
    float("-inf"),
    "",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e999",
    "-5",
    "0x10",
    "\x00",
    "a\x00b",
    "\ud800",
    "é漢字🚗",
    "A" * 300,
    "[" * 1000,
    "2026-13-45T99:99:99Z",
    [],
    {},
    [1],
    [[]],
    {"": None},
)

_BYTE_TOKENS = (b"\x00", b"\xff", b"\x7f", b"\x80", b"[", b"{", b'"', b"\\", b"\n", b"\xc0\xaf", b"\xed\xa0\x80")


def mutate_bytes(data: bytes, max_size: int, seed: int) -> bytes:
    """One to four byte-level edits: flip, set, insert, delete, duplicate a span, or insert a token."""
    rng = random.Random(seed)
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(6)
        pos = rng.randrange(len(buf) + 1)
        if op == 0 and buf:
            i = rng.randrange(len(buf))
            buf[i] ^= 1 << rng.randrange(8)
        elif op == 1 and buf:
            buf[rng.randrange(len(buf))] = rng.choice((0, 1, 0x7F, 0x80, 0xFF, rng.randrange(256)))
        elif op == 2:
            buf[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif op == 3 and buf:
            del buf[pos : pos + rng.randint(1, 16)]
        elif op == 4 and buf:
            start = rng.randrange(len(buf))
            span = buf[start : start + rng.randint(1, 64)]
            buf[pos:pos] = span * rng.randint(1, 8)
        else:
            buf[pos:pos] = rng.choice(_BYTE_TOKENS) * rng.choice((1, 1, 2, 64))
    return bytes(buf[:max_size])


def _nodes(value: Any, max_depth: int = 64) -> list[tuple[Any, ...]]:
    """Paths of every node down to ``max_depth`` (iterative: mutated documents get deep)."""
    out: list[tuple[Any, ...]] = []
    stack: list[tuple[Any, tuple[Any, ...]]] = [(value, ())]
    while stack:
        node, path = stack.pop()
        out.append(path)
        if len(path) >= max_depth:
            continue
        if isinstance(node, dict):
            stack += [(child, (*path, key)) for key, child in node.items()]
        elif isinstance(node, list):
            stack += [(child, (*path, i)) for i, child in enumerate(node)]
    return out


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


def _interesting(rng: random.Random) -> Any:
    """A fresh copy of one of :data:`INTERESTING_VALUES`: the lists and objects among them must never be shared by a
    document (mutating one in place grew the module's own constants into a cycle, and ``_nodes`` ran out of memory)."""
    return copy.deepcopy(rng.choice(INTERESTING_VALUES))


def _mutated_scalar(rng: random.Random, old: Any) -> Any:
    if isinstance(old, bool) or old is None:
        return _interesting(rng)
    if isinstance(old, int | float):
        return copy.deepcopy(
            rng.choice(
                (old * -1, old * 10 ** rng.randint(1, 30), old + 1, old - 1, str(old), [old], *INTERESTING_VALUES)
            )
        )
    if isinstance(old, str):
        return copy.deepcopy(
            rng.choice(
                (
                    old + old,
                    old[: len(old) // 2],
                    old.upper(),
                    old + "\x00",
                    " " + old,
                    [old],
                    {old: old},
                    *INTERESTING_VALUES,
                )
            )
        )
    return _interesting(rng)


def mutate_json_value(value: Any, rng: random.Random) -> Any:
    """Return ``value`` with one node changed (a deep copy is not made: callers pass a freshly parsed document)."""
    paths = _nodes(value)
    path = rng.choice(paths)
    node = _get(value, path)
    op = rng.randrange(8)
    if op == 0 and isinstance(node, dict) and node:  # drop a key
        node.pop(rng.choice(list(node)))
        return value
    if op == 1 and isinstance(node, dict) and node:  # rename a key
        key = rng.choice(list(node))
        node[rng.choice((key.upper(), key + "_", "", "\x00", key * 2))] = node.pop(key)
        return value
    if op == 2 and isinstance(node, list) and node:  # duplicate or drop an element
        i = rng.randrange(len(node))
        if rng.random() < 0.5:
            node.insert(i, json.loads(json.dumps(node[i])))
        else:
            del node[i]
        return value
    if op == 3:  # wrap in nesting
        replacement: Any = node
        for _ in range(rng.choice((1, 2, 50, 1200))):
            replacement = [replacement]
        return _replace(value, path, replacement)
    if op == 4 and isinstance(node, dict | list):  # the container itself becomes another type
        return _replace(value, path, _interesting(rng))
    if op == 5 and isinstance(node, dict):  # add a key
        node[rng.choice(("extra", "id", "type", "", "__proto__"))] = _interesting(rng)
        return value
    if isinstance(node, dict | list):
        return value if not node else mutate_json_value(value, rng)
    return _replace(value, path, _mutated_scalar(rng, node))


def _replace(root: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    _get(root, path[:-1])[path[-1]] = new
    return root


def mutate_json(data: bytes, max_size: int, seed: int) -> bytes:
    """One structural edit of a JSON document; bytes that are not JSON get a byte-level edit instead."""
    rng = random.Random(seed)
    if rng.random() < 0.1:
        return mutate_bytes(data, max_size, seed)
    try:
        value = json.loads(data)
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            value = mutate_json_value(value, rng)
        out = json.dumps(value, ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass")
    except (ValueError, TypeError, RecursionError, OverflowError):
        return mutate_bytes(data, max_size, seed)
    return out[:max_size]


def json_mutator(decode: Callable[[bytes], Any], encode: Callable[[Any], bytes]) -> Callable[[bytes, int, int], bytes]:
    """A mutator for inputs that wrap a JSON value (a signed envelope, a compressed body): unwrap, mutate, rewrap.

    ``decode`` returns the JSON value inside ``data`` (or raises ``ValueError`` to fall back to byte mutation);
    ``encode`` builds the input back from a value.
    """

    def mutate(data: bytes, max_size: int, seed: int) -> bytes:
        rng = random.Random(seed)
        if rng.random() < 0.1:
            return mutate_bytes(data, max_size, seed)
        try:
            value = decode(data)
            for _ in range(rng.choice((1, 1, 2))):
                value = mutate_json_value(value, rng)
            return encode(value)[:max_size]
        except (ValueError, RecursionError, TypeError, OverflowError):
            return mutate_bytes(data, max_size, seed)

    return mutate
