"""The publisher's memory on disk: ``state.json.gz`` in its state directory, written atomically
after every publish (the dataset as published, the live statuses, the recent signed deltas, the
key that signed them, and what was last checked on each broker).

The dataset's version history belongs to the dataset and the key, not to a broker: a new or
emptied broker gets the same version again (cars that hold it must not see a rollback), and what
it lacks is republished by the reconciliation (``sync.publisher``).
"""

from __future__ import annotations

import base64
import gzip
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
        "occupancy_data": base64.b64encode(st.occupancy_data).decode(),
    }
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(gzip.compress(json.dumps(doc, ensure_ascii=False).encode(), compresslevel=3))
    os.replace(tmp, path)


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
            base64.b64decode(d.get("occupancy_data", "")),
        )
    except (OSError, ValueError, KeyError, TypeError, EOFError, Invalid, Rejected) as exc:
        raise SyncError(f"{path}: unreadable publisher state: {exc}") from exc
    if st.dataset != dataset:
        raise SyncError(f"{path} holds dataset {st.dataset!r}, not {dataset!r}")
    return st
