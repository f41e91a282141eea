"""Every input the fuzzers ever broke a parser with, replayed; and a short hypothesis pass per parser.

``tests/fuzz_corpus/<harness>/<name>`` holds the minimized inputs (one file each, a few bytes to a few KB), replayed
through the harness of the folder's name: the parser must keep to its contract (a valid result, or its own error /
a counted rejection with a reason). The long, coverage-guided runs are ``make fuzz`` (docs/fuzzing.md).
"""

from __future__ import annotations

import functools
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz import harnesses, mutators
from fuzz.harness import Harness
from fuzz.mutators import mutate_bytes

CORPUS = Path(__file__).parent / "fuzz_corpus"
INPUTS = sorted(p for p in CORPUS.glob("*/*") if p.is_file())


@functools.cache
def _harness(name: str) -> Harness:
    return harnesses.load(name)


@functools.cache
def _seeds(name: str) -> tuple[bytes, ...]:
    return tuple(_harness(name).seeds())


def test_every_harness_is_listed_as_expected() -> None:
    assert set(harnesses.names()) <= set(harnesses.EXPECTED), sorted(set(harnesses.names()) - set(harnesses.EXPECTED))


def test_every_corpus_folder_names_a_harness() -> None:
    folders = {p.name for p in CORPUS.iterdir() if p.is_dir()}
    assert folders <= set(harnesses.names()), sorted(folders - set(harnesses.names()))


@pytest.mark.parametrize("name", harnesses.names())
def test_harness_is_registered_under_its_module_name(name: str) -> None:
    harness = _harness(name)
    assert harness.name == name
    assert harness.doc, "a harness states its parser's contract"
    assert _seeds(name), "a harness starts from valid seeds"


@pytest.mark.parametrize("path", INPUTS, ids=[f"{p.parent.name}/{p.name}" for p in INPUTS])
def test_corpus_input_keeps_the_contract(path: Path) -> None:
    _harness(path.parent.name).check(path.read_bytes())


@pytest.mark.parametrize("name", harnesses.names())
def test_seeds_keep_the_contract(name: str) -> None:
    for seed in _seeds(name):
        _harness(name).check(seed)


@pytest.mark.parametrize("name", harnesses.names())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pick=st.integers(min_value=0), seed=st.integers(min_value=0, max_value=2**32 - 1), rounds=st.integers(1, 3))
def test_mutated_seeds_keep_the_contract(name: str, pick: int, seed: int, rounds: int) -> None:
    harness = _harness(name)
    seeds = _seeds(name)
    data = seeds[pick % len(seeds)]
    mutate = harness.mutate or mutate_bytes
    for i in range(rounds):
        data = mutate(data, 1 << 16, seed + i)
    harness.check(data)


def test_json_mutation_never_changes_its_own_constants() -> None:
    """The interesting values (``[]``, ``{}``, ``[1]`` …) are copied into a document, never shared: mutated in place
    they once grew into a cycle that made the mutator hang and run out of memory between inputs."""
    before = repr(mutators.INTERESTING_VALUES)
    rng = random.Random(3)
    docs = [b'{"a": [1, {"b": "x"}], "c": 2.5}']
    for _ in range(3000):
        data = mutators.mutate_json(rng.choice(docs), 1 << 16, rng.getrandbits(32))
        if rng.random() < 0.3:
            docs.append(data)
    assert repr(mutators.INTERESTING_VALUES) == before
