"""The publisher's memory on disk: ``state.json.gz`` in its state directory, written atomically
after every publish (the dataset as published, the live statuses, the recent signed deltas, the
key that signed them, and what was last checked on each broker); the occupancy model's bytes beside
it in ``occupancy-<hash>.bin``, written once per model.

The dataset's version history belongs to the dataset and the key, not to a broker: a new or
emptied broker gets the same version again (cars that hold it must not see a rollback), and what
it lacks is republished by the reconciliation (``sync.publisher``).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
from pathlib import Path

from chargers.ocpi import Invalid, location_to_ocpi, parse_location, parse_tariff, tariff_to_ocpi
from sync.errors import SyncError
from sync.protocol.bodies import OccupancyRef
from sync.protocol.messages import Rejected
from sync.protocol.operator import OperatorState

__all__ = ["STATE_FILE", "load_state", "save_state"]

STATE_FILE = "state.json.gz"


def save_state(st: OperatorState, path: Path) -> None:
    doc = {
        "dataset": st.dataset,
        "version": st.version,
        "status_seq": st.status_seq,
        "snapshot_status_seq": st.snapshot_status_seq,
        "chunk_sha256": list(st.chunk_sha256),
        "locations": [location_to_ocpi(loc) for _, loc in sorted(st.locations.items())],
        "tariffs": [tariff_to_ocpi(t) for _, t in sorted(st.tariffs.items())],
        "live": {u: list(v) for u, v in st.live.items()},
        "deltas": {str(v): base64.b64encode(p).decode() for v, p in st.deltas.items()},
        "key_id": st.key_id,
        "manifest_at": st.manifest_at,
        "brokers": st.brokers,
        "occupancy": st.occupancy.to_body() if st.occupancy else None,
    }
    if st.occupancy is not None:
        _save_model(path, st.occupancy.sha256, st.occupancy_data)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(gzip.compress(json.dumps(doc, ensure_ascii=False).encode(), compresslevel=3))
    os.replace(tmp, path)


def _model_path(path: Path, sha256: str) -> Path:
    return path.with_name(f"occupancy-{sha256[:16]}.bin")


def _save_model(path: Path, sha256: str, data: bytes) -> None:
    """The occupancy model beside the state file, named by its hash: written once per model (the
    state file is written at every heartbeat), the previous one removed after."""
    target = _model_path(path, sha256)
    if target.exists():
        return
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    for old in path.parent.glob("occupancy-*.bin"):
        if old != target:
            old.unlink(missing_ok=True)


def _load_model(path: Path, sha256: str) -> bytes:
    data = _model_path(path, sha256).read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ValueError(f"{_model_path(path, sha256)} is not the occupancy model the state names")
    return data


def load_state(path: Path, dataset: str) -> OperatorState:
    if not path.exists():
        return OperatorState(dataset)
    try:
        d = json.loads(gzip.decompress(path.read_bytes()))
        st = OperatorState(
            d["dataset"],
            d["version"],
            d["status_seq"],
            d["snapshot_status_seq"],
            tuple(d["chunk_sha256"]),
            {loc.id: loc for loc in map(parse_location, d["locations"])},
            {t.id: t for t in map(parse_tariff, d["tariffs"])},
            {u: (v[0], v[1]) for u, v in d["live"].items()},
            {int(v): base64.b64decode(p) for v, p in d["deltas"].items()},
            str(d.get("key_id", "")),
            float(d.get("manifest_at", 0.0)),
            dict(d.get("brokers", {})),
            OccupancyRef.from_body(d["occupancy"]) if d.get("occupancy") else None,
        )
        if st.occupancy is not None:
            st.occupancy_data = _load_model(path, st.occupancy.sha256)
    except (OSError, ValueError, KeyError, TypeError, EOFError, Invalid, Rejected) as exc:
        raise SyncError(f"{path}: unreadable publisher state: {exc}") from exc
    if st.dataset != dataset:
        raise SyncError(f"{path} holds dataset {st.dataset!r}, not {dataset!r}")
    return st
