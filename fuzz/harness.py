"""The contract every fuzz harness follows, and the oracle's small helpers.

A harness feeds one input (bytes) to one parser and judges the outcome against the parser's documented contract:

* the parser returns a **valid result** — the harness checks its types, ranges and finiteness against the schema
  (VSS datatype, OCPI field rules, profile physics, the store read back through its public API), or
* the parser **refuses** the input the documented way — its package's own error type, or a counted rejection with a
  reason (a counter that went up, a reason string that is not empty).

Anything else is a finding: ``check`` raises :class:`Finding` (an outcome the contract forbids: a value outside its
type, a rejection without a reason) or simply lets the unexpected exception escape (``TypeError``,
``RecursionError``, ``OverflowError`` …). A hang or a memory blow-up is a finding too; the runner enforces those
limits from outside (a forked worker with a time limit and ``RLIMIT_AS``), so ``check`` needs no timers.

``check`` must be deterministic for a given input (a finding has to replay) and must not leak state from one input
to the next (a fresh temporary store per input, or a reset one).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

__all__ = ["Finding", "Harness", "Mutator", "expect", "expect_finite", "expect_in_range"]

#: A structure-aware mutator with atheris' custom-mutator signature: ``(data, max_size, seed) -> bytes``.
#: It must be deterministic for a given seed and return at most ``max_size`` bytes.
Mutator = Callable[[bytes, int, int], bytes]


class Finding(AssertionError):
    """An outcome the parser's contract forbids, found by a harness's oracle.

    ``kind`` is a short stable label (no input bytes in it): the runner deduplicates findings by it.
    """

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.detail = detail


@dataclass(frozen=True)
class Harness:
    """One parser under fuzzing.

    ``name`` is the harness's module name (and the folder of its regression corpus under ``tests/fuzz_corpus/``).
    ``check(data)`` runs the parser on ``data`` and the oracle on its outcome (see the module docstring).
    ``seeds()`` yields valid inputs to start from: real material where there is some (corpus DBCs, bundled feeds).
    ``byte_level`` says the parser reads raw bytes (CAN frames, signed payloads), so plain byte mutation is
    meaningful and the input count to aim for is in the millions; otherwise ``mutate`` should be given.
    ``mutate`` is an optional structure-aware mutator (keys, types, nesting, numbers, strings of a JSON/TOML/DBC
    text), used as atheris' custom mutator. ``doc`` states the parser's contract in a sentence or two
    (docs/fuzzing.md repeats it).
    """

    name: str
    check: Callable[[bytes], None]
    seeds: Callable[[], Iterable[bytes]]
    byte_level: bool = False
    mutate: Mutator | None = None
    doc: str = field(default="")


def expect(condition: bool, kind: str, detail: str = "") -> None:
    """Raise :class:`Finding` ``kind`` unless ``condition`` holds."""
    if not condition:
        raise Finding(kind, detail)


def expect_finite(value: object, kind: str) -> None:
    """A number must be a real, finite int or float (``bool`` and ``complex`` are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Finding(kind, f"not a real number: {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise Finding(kind, f"not finite: {value!r}")


def expect_in_range(value: object, low: float, high: float, kind: str) -> None:
    """A finite number within ``[low, high]``."""
    expect_finite(value, kind)
    assert isinstance(value, int | float)
    if not low <= value <= high:
        raise Finding(kind, f"{value!r} outside [{low}, {high}]")
