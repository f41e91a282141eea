"""Shared by the sync tests: the publisher's truth as a cache, and waiting for convergence."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from chargers.store import ChargerStore
from sync.protocol.operator import Operator
from tests.waiting import wait_for  # noqa: F401  (the sync tests import it from here)

PY = sys.executable
ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}


def ivi_sync(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """``ivi-sync ARGS`` as a process of its own (what an operator or the app runs)."""
    return subprocess.run([PY, "-m", "sync", *args], capture_output=True, text=True, timeout=timeout, env=ENV)


def reference_rows(op: Operator) -> dict:
    """Every row a cache must hold to equal what ``op`` has published (statuses included)."""
    ref = ChargerStore.open(":memory:", seed=False)
    ref.upsert(list(op.effective_locations().values()), list(op.state.tariffs.values()))
    rows = ref.sync_ledger().dump_rows()
    ref.close()
    return rows


def assert_same_rows(store: ChargerStore, op: Operator) -> None:
    got = store.sync_ledger().dump_rows()
    want = reference_rows(op)
    for table in want:
        assert len(got[table]) == len(want[table]), table
        diff = [(a, b) for a, b in zip(got[table], want[table], strict=False) if a != b]
        assert not diff, f"{table}: {len(diff)} rows differ, e.g. {diff[:2]}"
