"""``ivi.can``: the car's CAN bus as COVESA VSS signals. Headless; no Qt.

Public API (stable; the UI and the planner use only this)::

    from ivi.can import CanReader, BusSource, LogSource

    reader = CanReader(BusSource("virtual", "ivi"), on_update=callback).start()
    snap = reader.snapshot()                 # VehicleSnapshot, thread-safe, time passed in or now
    snap.signals[path]                       # SignalValue(path, value, unit, timestamp_s, stale)
    snap.value(path)                         # None when stale: never show an old number as current
    snap.display(path)                       # "42.0" or "--"
    snap.soc_percent, snap.soc_stale         # for the planner: plain float / bool
    snap.consumption_kwh_per_km              # learned from V × I over distance (None until learned)
    reader.stop()

    # another car: CanReader(source, dbc="car.dbc", mapping="car_vss.json")   (lax_dbc=True if it needs it)
    # simulator:   run_simulator(Simulator(polyline, start_soc_percent=80, speedup=10), bus, stop_event=...)

Pure parts (``Decoder``, ``VehicleState``, ``Simulator.frames``) take time as an argument.
"""

from ivi.can.dbc import EXTENDED_FLAG, CanDatabase, MessageSpec, SignalSpec, message_key
from ivi.can.decoder import Decoder, Frame, Rejection, RejectReason, SignalUpdate
from ivi.can.e2e import CounterWindow
from ivi.can.errors import (
    BusError,
    CanError,
    DatabaseError,
    LogFileError,
    MappingError,
    SimulationError,
    TransformError,
)
from ivi.can.learner import ConsumptionLearner
from ivi.can.mapping import MappingEntry, MultiplexerFilter, VssMapping, WriteEntry, load_mapping
from ivi.can.reader import BusSource, CanReader, LogSource, ReaderStatus
from ivi.can.sim_runner import run_simulator
from ivi.can.simulator import ChargeStop, FaultConfig, Silence, Simulator
from ivi.can.state import SignalValue, VehicleSnapshot, VehicleState
from ivi.can.values import NamedValue
from ivi.can.vss import PACK_CURRENT, PACK_VOLTAGE, SOC_CURRENT, SOC_DISPLAYED, SPEED, ChangeLimit

__all__ = [
    "EXTENDED_FLAG",
    "PACK_CURRENT",
    "PACK_VOLTAGE",
    "SOC_CURRENT",
    "SOC_DISPLAYED",
    "SPEED",
    "BusError",
    "BusSource",
    "CanDatabase",
    "CanError",
    "CanReader",
    "ChangeLimit",
    "ChargeStop",
    "ConsumptionLearner",
    "CounterWindow",
    "DatabaseError",
    "Decoder",
    "FaultConfig",
    "Frame",
    "LogFileError",
    "LogSource",
    "MappingEntry",
    "MappingError",
    "MessageSpec",
    "MultiplexerFilter",
    "NamedValue",
    "ReaderStatus",
    "RejectReason",
    "Rejection",
    "SignalSpec",
    "SignalUpdate",
    "SignalValue",
    "Silence",
    "SimulationError",
    "Simulator",
    "TransformError",
    "VehicleSnapshot",
    "VehicleState",
    "VssMapping",
    "WriteEntry",
    "load_mapping",
    "message_key",
    "run_simulator",
]
