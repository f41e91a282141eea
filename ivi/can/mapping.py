"""DBC → VSS mapping in the Eclipse KUKSA CAN provider format, validated against a DBC.

The file is a VSS JSON tree (``{"Vehicle": {"type": "branch", "children": {...}}}``); each leaf
that the CAN bus feeds carries a ``dbc2vss`` (or legacy ``dbc``) object::

    "dbc2vss": {"signal": "BMS_PackCurrent", "interval_ms": 100, "on_change": false,
                "transform": {"math": "-x"}}                       # or
    "dbc2vss": {"signal": "VCU_GearPosition",
                "transform": {"mapping": [{"from": "D", "to": 127}, ...]}}

``mapping`` transforms match the DBC value-table names (``VAL_``). The leaf's VSS ``unit``,
``datatype``, ``min`` and ``max`` are used for the output and for a second plausibility check.
Loading fails with a ``MappingError`` naming the VSS path when the file is malformed or names a
signal the DBC lacks, so a wrong mapping is found at start-up, never as a silently empty screen.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ivi.can.dbc import CanDatabase
from ivi.can.errors import MappingError
from ivi.can.transform import Transform, compile_transform

DEFAULT_MAPPING = "su7_vss_mapping.json"
_DATATYPES = {
    "boolean",
    "string",
    "float",
    "double",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
}


@dataclass(frozen=True)
class MappingEntry:
    """One VSS signal fed by one DBC signal."""

    path: str
    signal: str
    frame_id: int
    unit: str
    datatype: str
    minimum: float | None = None
    maximum: float | None = None
    interval_ms: int = 0
    on_change: bool = False
    cycle_time_ms: int | None = None
    transform: Transform | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class VssMapping:
    source: str
    entries: tuple[MappingEntry, ...]

    @property
    def paths(self) -> list[str]:
        return [e.path for e in self.entries]

    def entry(self, path: str) -> MappingEntry:
        for e in self.entries:
            if e.path == path:
                return e
        raise KeyError(path)

    @property
    def frame_ids(self) -> frozenset[int]:
        return frozenset(e.frame_id for e in self.entries)


def load_mapping(database: CanDatabase, path: str | Path | None = None) -> VssMapping:
    """Read and validate a mapping file (default: the bundled one for the reference car)."""
    if path is None:
        ref = resources.files("ivi.can") / "data" / DEFAULT_MAPPING
        with resources.as_file(ref) as p:
            return load_mapping(database, p)
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise MappingError(f"mapping file {path} does not exist") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"mapping file {path} cannot be read: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise MappingError(f"mapping file {path} is not valid JSON: {exc}") from exc
    return parse_mapping(database, doc, source=str(path))


def parse_mapping(database: CanDatabase, doc: object, *, source: str = "<mapping>") -> VssMapping:
    if not isinstance(doc, dict) or not doc:
        raise MappingError(f'{source}: expected a VSS JSON tree like {{"Vehicle": {{...}}}}')
    entries = [_entry(database, path, node, source) for path, node in _leaves(doc, "")]
    if not entries:
        raise MappingError(f"{source}: no VSS signal carries a 'dbc2vss' entry")
    return VssMapping(source, tuple(entries))


def _leaves(tree: dict[str, Any], prefix: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, node in tree.items():
        path = f"{prefix}.{name}" if prefix else name
        if not isinstance(node, dict):
            raise MappingError(f"VSS node {path} must be an object")
        children = node.get("children")
        if children is not None:
            if not isinstance(children, dict):
                raise MappingError(f"VSS branch {path}: 'children' must be an object")
            yield from _leaves(children, path)
        elif "dbc2vss" in node or "dbc" in node:
            yield path, node


def _entry(database: CanDatabase, path: str, node: dict[str, Any], source: str) -> MappingEntry:
    spec = node.get("dbc2vss", node.get("dbc"))
    where = f"{source}: {path}"
    if not isinstance(spec, dict) or not isinstance(spec.get("signal"), str):
        raise MappingError(f"{where}: dbc2vss must be an object with a 'signal' name")
    signal = spec["signal"]
    found = database.find_signal(signal)
    if found is None:
        close = difflib.get_close_matches(signal, database.signal_names(), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise MappingError(f"{where}: signal {signal!r} is not in the CAN database {database.source}{hint}")
    message, sig = found
    interval = spec.get("interval_ms", 0)
    if isinstance(interval, bool) or not isinstance(interval, int) or interval < 0:
        raise MappingError(f"{where}: interval_ms must be a non-negative integer, got {interval!r}")
    on_change = spec.get("on_change", False)
    if not isinstance(on_change, bool):
        raise MappingError(f"{where}: on_change must be true or false, got {on_change!r}")
    datatype = node.get("datatype", "float")
    if datatype not in _DATATYPES:
        raise MappingError(f"{where}: unknown VSS datatype {datatype!r}")
    try:
        transform = compile_transform(spec.get("transform"))
    except MappingError as exc:
        raise type(exc)(f"{where}: {exc}") from exc
    return MappingEntry(
        path=path,
        signal=signal,
        frame_id=message.frame_id,
        unit=str(node.get("unit", sig.unit)),
        datatype=datatype,
        minimum=_num(node.get("min"), where),
        maximum=_num(node.get("max"), where),
        interval_ms=interval,
        on_change=on_change,
        cycle_time_ms=message.cycle_time_ms,
        transform=transform,
    )


def _num(v: object, where: str) -> float | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise MappingError(f"{where}: min/max must be numbers, got {v!r}")
    return float(v)
