"""Decoding plans: everything the decoder needs per frame ID, computed once from the DBC and the mapping.

The hot path only looks things up: which signals of a message are mapped (and where their raw values
come out of the precompiled extractor), each signal's scaling, DBC range and value table, and for each
VSS entry fed by it the transform, VSS range, datatype, KUKSA ``multiplexer`` filter and change limit.
A signal name carried by several messages gets an entry in each message's plan.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ivi.can.dbc import CanDatabase, MessageSpec
from ivi.can.e2e import CounterCheck
from ivi.can.mapping import MappingEntry, VssMapping
from ivi.can.transform import CompiledTransform
from ivi.can.unpack import Extractor, compile_extractor
from ivi.can.values import is_enum
from ivi.can.vss import ChangeLimit

_LARGEST = sys.float_info.max
#: How an entry turns a signal value into its VSS value: the two common cases are handled inline by the decoder.
FLOAT_AS_IS, STRING_AS_IS, GENERAL = 0, 1, 2
#: A KUKSA ``multiplexer`` condition, precompiled: (index in the extracted values, identity, scale, offset, value)
Filter = tuple[int, bool, Any, Any, int]


@dataclass(frozen=True, slots=True)
class EntryPlan:
    path: str
    unit: str
    datatype: str
    transform: CompiledTransform | None
    lookup: bool  # a ``mapping`` transform: named values are looked up by name
    numeric: bool  # a number or boolean VSS signal (not ``string``)
    minimum: float | None
    maximum: float | None
    filters: tuple[Filter, ...]
    change_limit: ChangeLimit | None
    mode: int  # FLOAT_AS_IS / STRING_AS_IS: no transform, filter or limit; GENERAL: everything else


@dataclass(frozen=True, slots=True)
class SignalPlan:
    name: str
    identity: bool
    scale: Any
    offset: Any
    low: float  # DBC range (KUKSA drops numbers outside it); the largest float when the DBC gives none, so
    high: float  # that one comparison also refuses NaN and ±inf
    choices: dict[int, str] | None
    enum: bool  # see :func:`ivi.can.values.is_enum`
    entries: tuple[EntryPlan, ...]
    only: EntryPlan | None  # the signal's one entry, when it is FLOAT_AS_IS without VSS bounds


@dataclass(frozen=True, slots=True)
class MessagePlan:
    key: int
    frame_id: int
    name: str
    length: int
    is_extended: bool
    is_j1939: bool
    exact_length: bool  # E2E-protected: the checksum covers exactly ``length`` bytes
    signals: tuple[SignalPlan, ...]
    crc_ok: Callable[[bytes], bool] | None
    extract: Extractor  # raw values of ``signals`` in order, then the counter and filter signals
    counter_at: int  # index of the alive counter in the extracted values, -1 without one
    counter_check: Callable[[], CounterCheck]
    cycle_s: float | None


def compile_plans(
    database: CanDatabase, mapping: VssMapping, limits: Mapping[str, ChangeLimit]
) -> dict[int, MessagePlan]:
    by_message: dict[int, dict[str, list[MappingEntry]]] = {}
    for e in mapping.entries:
        for key in e.frame_keys:
            by_message.setdefault(key, {}).setdefault(e.signal, []).append(e)
    return {key: _message_plan(database, database.messages[key], sigs, limits) for key, sigs in by_message.items()}


def _message_plan(
    database: CanDatabase, spec: MessageSpec, sigs: dict[str, list[MappingEntry]], limits: Mapping[str, ChangeLimit]
) -> MessagePlan:
    names = list(sigs)
    extra: list[str] = []

    def index(name: str) -> int:
        if name in names:
            return names.index(name)
        if name not in extra:
            extra.append(name)
        return len(names) + extra.index(name)

    e2e = spec.e2e
    counter_at = index(e2e.counter_signal) if e2e.counter_signal else -1
    signals = []
    for name, entries in sigs.items():
        s = spec.signal(name)
        lay = s.layout
        assert lay is not None
        plans = tuple(_entry_plan(spec, e, index, limits.get(e.path)) for e in entries)
        signals.append(
            SignalPlan(
                name,
                lay.identity,
                lay.scale,
                lay.offset,
                -_LARGEST if s.minimum is None else s.minimum,
                _LARGEST if s.maximum is None else s.maximum,
                dict(s.choices) if s.choices else None,
                is_enum(s),
                plans,
                _only(plans),
            )
        )
    return MessagePlan(
        spec.key,
        spec.frame_id,
        spec.name,
        spec.length,
        spec.is_extended,
        spec.is_j1939,
        e2e.checksum_byte is not None,
        tuple(signals),
        e2e.checker(spec.frame_id),
        compile_extractor(database, spec, names + extra),
        counter_at,
        e2e.counter_check,
        spec.cycle_time_ms / 1000.0 if spec.cycle_time_ms else None,
    )


def _only(entries: tuple[EntryPlan, ...]) -> EntryPlan | None:
    if len(entries) != 1:
        return None
    e = entries[0]
    return e if e.mode == FLOAT_AS_IS and e.minimum is None and e.maximum is None else None


def _entry_plan(
    spec: MessageSpec, e: MappingEntry, index: Callable[[str], int], limit: ChangeLimit | None
) -> EntryPlan:
    filters = []
    for f in e.multiplexer:
        lay = spec.signal(f.signal).layout
        assert lay is not None
        filters.append((index(f.signal), lay.identity, lay.scale, lay.offset, f.value))
    plain = e.transform is None and not filters and limit is None
    mode = GENERAL
    if plain and e.datatype in ("float", "double"):
        mode = FLOAT_AS_IS
    elif plain and e.datatype == "string":
        mode = STRING_AS_IS
    return EntryPlan(
        e.path,
        e.unit,
        e.datatype,
        e.transform,
        e.transform is not None and e.transform.is_lookup,
        e.datatype != "string",
        e.minimum,
        e.maximum,
        tuple(filters),
        limit,
        mode,
    )
