"""The registry of fuzz harnesses: one module per parser, each exposing ``HARNESS``.

Modules are found by name in this folder (no list to edit when a harness is added, so harnesses written in parallel
do not collide); :data:`EXPECTED` lists the ones the project promises, and a test checks they all exist. A harness
module is imported only when asked for: the runner imports it inside atheris' instrumentation so that the parser's
modules are instrumented for coverage.
"""

from __future__ import annotations

import importlib
import pkgutil

from fuzz.harness import Harness

__all__ = ["EXPECTED", "load", "names"]

#: The parsers that take someone else's bytes (issue 19), by harness module name.
EXPECTED = (
    # the car's sync protocol and the partner data
    "sync_unsigned",
    "sync_signed",
    "sync_requests",
    "occupancy_model",
    "ocpi_records",
    "ocpi_feeds",
    "cli_args",
    # the CAN side and the loaders
    "can_frames",
    "dbc_files",
    "mapping_files",
    "math_expressions",
    "route_files",
    "profiles",
    "can_logs",
)


def names() -> list[str]:
    """Every harness module in this folder, sorted."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def load(name: str) -> Harness:
    """Import harness module ``name`` and return its ``HARNESS``."""
    if name not in names():
        raise KeyError(f"no fuzz harness named {name!r} (have: {', '.join(names())})")
    harness = importlib.import_module(f"{__name__}.{name}").HARNESS
    if not isinstance(harness, Harness):
        raise TypeError(f"fuzz.harnesses.{name}.HARNESS is not a fuzz.harness.Harness")
    return harness
