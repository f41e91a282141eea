"""DBC ↔ VSS mapping in the Eclipse KUKSA CAN provider's format, validated against a DBC.

The file is a VSS JSON tree (``{"Vehicle": {"type": "branch", "children": {...}}}``). A signal node
(``type`` sensor, actuator or attribute) that the CAN bus feeds carries a ``dbc2vss`` (legacy
synonym ``dbc``) object; an actuator may carry ``vss2dbc`` for the opposite direction::

    "dbc2vss": {"signal": "DI_uiSpeed", "interval_ms": 100, "on_change": false,
                "transform": {"math": "floor(x+0.5)"},                  # or {"mapping": [{"from", "to"}]}
                "multiplexer": [{"signal": "Mux", "value": 3}]}         # optional page filter

The rules are the KUKSA provider's: ``interval_ms`` defaults to 1000, or to 0 when ``on_change`` is
true; ``dbc`` and ``dbc2vss`` on one node is an error; ``vss2dbc`` only on actuators (its
``interval_ms``/``on_change`` are accepted and ignored); a signal name carried by several messages is
fed from each of them; the tree is walked as KUKSA walks it (typeless objects are looked through).
Stricter than KUKSA, so that a mistake is found at start-up and not as a silently empty screen:
unknown keys (``"interval"``, ``"dbc2vs"``, ``"form"``) are errors naming the nearest valid key; a
mapped node without ``type`` or ``datatype``, an unknown DBC signal, a ``math`` expression that
can never work and a tree nested deeper than :data:`MAX_DEPTH` are errors naming the VSS path.
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ivi.can.dbc import CanDatabase, MessageSpec
from ivi.can.errors import MappingError
from ivi.can.transform import CompiledTransform, compile_transform, short_repr, unknown_key
from ivi.can.vss import DATATYPES, coerce

DEFAULT_MAPPING = "su7_vss_mapping.json"
MAX_DEPTH = 64
DEFAULT_INTERVAL_MS = 1000
DBC2VSS_KEYS = ("signal", "interval_ms", "on_change", "transform", "multiplexer")
VSS2DBC_KEYS = ("signal", "transform", "interval_ms", "on_change")
MULTIPLEXER_KEYS = ("signal", "value")
_MAPPING_KEYS = ("dbc2vss", "dbc", "vss2dbc")
_SIGNAL_TYPES = ("sensor", "actuator", "attribute")
#: The longest wait between two updates ``interval_ms`` may ask for (a day).
MAX_INTERVAL_MS = 86_400_000


@dataclass(frozen=True)
class MultiplexerFilter:
    """A KUKSA ``multiplexer`` condition: the entry takes values only from frames where ``signal == value``."""

    signal: str
    value: int


@dataclass(frozen=True)
class MappingEntry:
    """One VSS signal fed by one DBC signal name (from every message that carries it)."""

    path: str
    signal: str
    frame_keys: tuple[int, ...]
    unit: str
    datatype: str
    minimum: float | None = None
    maximum: float | None = None
    interval_ms: int = DEFAULT_INTERVAL_MS
    on_change: bool = False
    cycle_time_ms: int | None = None
    transform: CompiledTransform | None = field(default=None, compare=False, repr=False)
    multiplexer: tuple[MultiplexerFilter, ...] = ()
    vss_type: str = "sensor"

    @property
    def frame_id(self) -> int:
        """The (first) message key feeding this entry."""
        return self.frame_keys[0]


@dataclass(frozen=True)
class WriteEntry:
    """A ``vss2dbc`` entry (VSS target value → CAN), parsed and validated for a future writer."""

    path: str
    signal: str
    frame_keys: tuple[int, ...]
    datatype: str
    transform: CompiledTransform | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class VssMapping:
    source: str
    entries: tuple[MappingEntry, ...]
    writes: tuple[WriteEntry, ...] = ()

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
        """Keys of every message some entry reads."""
        return frozenset(k for e in self.entries for k in e.frame_keys)


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
    except RecursionError as exc:
        raise MappingError(f"mapping file {path} is nested too deeply to be a VSS tree") from exc
    except ValueError as exc:  # JSONDecodeError, and Python's limit of 4,300 digits for an integer
        raise MappingError(f"mapping file {path} is not valid JSON: {exc}") from exc
    return parse_mapping(database, doc, source=str(path))


def parse_mapping(database: CanDatabase, doc: object, *, source: str = "<mapping>") -> VssMapping:
    if not isinstance(doc, dict) or not doc:
        raise MappingError(f'{source}: expected a VSS JSON tree like {{"Vehicle": {{...}}}}')
    try:  # a lone surrogate (JSON "\\ud800") in a name would make every message that names it unprintable
        json.dumps(doc, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise MappingError(f"{source}: holds text that is not valid Unicode (a lone surrogate, {exc.reason})") from exc
    except (TypeError, ValueError, RecursionError) as exc:
        raise MappingError(f"{source}: is not a JSON document: {exc}") from exc
    entries: list[MappingEntry] = []
    writes: list[WriteEntry] = []
    for path, node in _signal_nodes(doc, source):
        where = f"{source}: {path}"
        if "dbc" in node and "dbc2vss" in node:
            raise MappingError(f"{where}: has both 'dbc' and 'dbc2vss' (they are synonyms; keep one)")
        spec = node.get("dbc2vss", node.get("dbc"))
        if spec is not None:
            entries.append(_read_entry(database, path, node, spec, where))
        if "vss2dbc" in node:
            writes.append(_write_entry(database, path, node, node["vss2dbc"], where))
    if not entries:
        raise MappingError(f"{source}: no VSS signal carries a 'dbc2vss' entry")
    return VssMapping(source, tuple(entries), tuple(writes))


def _signal_nodes(doc: dict[str, Any], source: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """VSS signal nodes that carry a mapping, walked as KUKSA walks the tree, without recursion."""
    stack: list[tuple[str, dict[str, Any], int]] = [("", doc, 0)]
    while stack:
        prefix, tree, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise MappingError(f"{source}: the VSS tree is nested deeper than {MAX_DEPTH} levels at {prefix or 'top'}")
        children = []
        for name, node in tree.items():
            if not isinstance(node, dict):
                continue  # descriptions and other attributes of a typeless object
            path = f"{prefix}.{name}" if prefix else str(name)
            kind = node.get("type")
            _check_mapping_keys(node, f"{source}: {path}")
            carries = any(k in node for k in _MAPPING_KEYS)
            if kind in _SIGNAL_TYPES:
                if carries:
                    yield path, node
            elif kind == "branch":
                sub = node.get("children")
                if not isinstance(sub, dict):
                    raise MappingError(f"{source}: VSS branch {path} needs 'children' as an object")
                for child_name, child in sub.items():
                    if not isinstance(child, dict):
                        raise MappingError(f"{source}: VSS node {path}.{child_name} must be an object")
                children.append((path, sub, depth + 1))
            elif carries:
                got = "has no VSS 'type'" if kind is None else f"has VSS type {short_repr(kind)}"
                raise MappingError(
                    f"{source}: {path} carries a CAN mapping but {got} (a mapped node is a "
                    f"{', '.join(_SIGNAL_TYPES)}; KUKSA would ignore it silently)"
                )
            elif kind is None:
                children.append((prefix, node, depth + 1))  # KUKSA looks through typeless objects
        stack.extend(reversed(children))


def _check_mapping_keys(node: dict[str, Any], where: str) -> None:
    """A near miss of ``dbc2vss``/``vss2dbc``/``dbc`` (``dbc2vs``, ``vss2dbcc``) would be silently ignored."""
    for key in node:
        if key not in _MAPPING_KEYS and isinstance(key, str):
            close = difflib.get_close_matches(key, _MAPPING_KEYS, n=1, cutoff=0.8)
            if close:
                raise MappingError(f"{where}: unknown key {key!r} (did you mean {close[0]!r}?)")


def _messages(database: CanDatabase, signal: object, where: str, role: str = "signal") -> list[MessageSpec]:
    if not isinstance(signal, str) or not signal:
        raise MappingError(f"{where}: {role} must be a DBC signal name, got {short_repr(signal)}")
    found = [m for m, _ in database.find_signals(signal)]
    if not found:
        close = difflib.get_close_matches(signal, database.signal_names(), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise MappingError(f"{where}: signal {short_repr(signal)} is not in the CAN database {database.source}{hint}")
    return found


def _datatype(node: dict[str, Any], where: str) -> str:
    datatype = node.get("datatype")
    if not isinstance(datatype, str) or datatype not in DATATYPES:
        got = "no datatype" if datatype is None else f"datatype {short_repr(datatype)}"
        raise MappingError(f"{where}: a CAN-mapped VSS signal needs a scalar datatype, it has {got}")
    return str(datatype)


def _read_entry(database: CanDatabase, path: str, node: dict[str, Any], spec: object, where: str) -> MappingEntry:
    if not isinstance(spec, dict):
        raise MappingError(f"{where}: dbc2vss must be an object with a 'signal' name")
    for key in spec:
        if key not in DBC2VSS_KEYS:
            raise unknown_key(key, DBC2VSS_KEYS, f"{where}: dbc2vss")
    messages = _messages(database, spec.get("signal"), where)
    signal = str(spec["signal"])
    on_change = spec.get("on_change", False)
    if not isinstance(on_change, bool):
        raise MappingError(f"{where}: on_change must be true or false, got {short_repr(on_change)}")
    interval = spec.get("interval_ms", 0 if on_change else DEFAULT_INTERVAL_MS)
    if isinstance(interval, bool) or not isinstance(interval, int) or not 0 <= interval <= MAX_INTERVAL_MS:
        raise MappingError(
            f"{where}: interval_ms must be an integer from 0 to {MAX_INTERVAL_MS} (a day), got {short_repr(interval)}"
        )
    datatype = _datatype(node, where)
    transform = _transform(spec.get("transform"), datatype, "transform", where)
    cycles = [m.cycle_time_ms for m in messages if m.cycle_time_ms]
    first = messages[0].signal(signal)
    unit = node.get("unit", first.unit)
    if not isinstance(unit, str):
        raise MappingError(f"{where}: unit must be a string, got {short_repr(unit)}")
    minimum, maximum = _num(node.get("min"), where), _num(node.get("max"), where)
    if minimum is not None and maximum is not None and minimum > maximum:
        raise MappingError(f"{where}: min {minimum:g} is above max {maximum:g}")
    return MappingEntry(
        path=path,
        signal=signal,
        frame_keys=tuple(m.key for m in messages),
        unit=unit,
        datatype=datatype,
        minimum=minimum,
        maximum=maximum,
        interval_ms=interval,
        on_change=on_change,
        cycle_time_ms=max(cycles) if cycles else None,
        transform=transform,
        multiplexer=_multiplexer(database, spec.get("multiplexer"), messages, where),
        vss_type=str(node["type"]),
    )


def _multiplexer(
    database: CanDatabase, spec: object, messages: list[MessageSpec], where: str
) -> tuple[MultiplexerFilter, ...]:
    if spec is None:
        return ()
    if not isinstance(spec, list) or not spec:
        raise MappingError(f"{where}: multiplexer must be a non-empty list of {{signal, value}}")
    keys = {m.key for m in messages}
    out = []
    for item in spec:
        if not isinstance(item, dict):
            raise MappingError(
                f"{where}: multiplexer entry {short_repr(item)} must be an object with 'signal' and 'value'"
            )
        for key in item:
            if key not in MULTIPLEXER_KEYS:
                raise unknown_key(key, MULTIPLEXER_KEYS, f"{where}: multiplexer")
        value = item.get("value")
        if isinstance(value, bool) or not isinstance(value, int):
            raise MappingError(f"{where}: multiplexer value must be an integer, got {short_repr(value)}")
        carriers = {m.key for m in _messages(database, item.get("signal"), where, "multiplexer signal")}
        if carriers != keys:
            raise MappingError(
                f"{where}: multiplexer signal {item['signal']!r} and the data signal are not in the same CAN messages"
            )
        out.append(MultiplexerFilter(str(item["signal"]), value))
    return tuple(out)


def _write_entry(database: CanDatabase, path: str, node: dict[str, Any], spec: object, where: str) -> WriteEntry:
    if node.get("type") != "actuator":
        kind = short_repr(node.get("type"))
        raise MappingError(f"{where}: vss2dbc is only allowed on actuators (VSS type is {kind})")
    if not isinstance(spec, dict):
        raise MappingError(f"{where}: vss2dbc must be an object with a 'signal' name")
    for key in spec:
        if key not in VSS2DBC_KEYS:
            raise unknown_key(key, VSS2DBC_KEYS, f"{where}: vss2dbc")
    messages = _messages(database, spec.get("signal"), where)
    try:
        transform = compile_transform(spec.get("transform"), "vss2dbc transform")
    except MappingError as exc:
        raise type(exc)(f"{where}: {exc}") from exc
    return WriteEntry(path, str(spec["signal"]), tuple(m.key for m in messages), _datatype(node, where), transform)


def _transform(spec: object, datatype: str, role: str, where: str) -> CompiledTransform | None:
    """The compiled transform; a ``mapping``'s ``to`` values must each be a value of the VSS datatype
    (``"ECO"`` cannot feed a float, 1e76 an ``int8``): found at start-up, not as a rejection per frame."""
    try:
        transform = compile_transform(spec, role)
    except MappingError as exc:
        raise type(exc)(f"{where}: {exc}") from exc
    if transform is not None and transform.is_lookup:
        for pair in transform.source:
            try:
                coerce(datatype, pair["to"])
            except (TypeError, ValueError) as exc:
                raise MappingError(
                    f"{where}: mapping transform 'to' {short_repr(pair['to'])} is not a {datatype} value: {exc}"
                ) from exc
    return transform


def _num(v: object, where: str) -> float | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise MappingError(f"{where}: min/max must be numbers, got {short_repr(v)}")
    if isinstance(v, int) and v.bit_length() > 1000:
        raise MappingError(f"{where}: min/max {short_repr(v)} is not a finite number")
    if not math.isfinite(v):
        raise MappingError(f"{where}: min/max must be finite numbers, got {v!r}")
    return float(v)
