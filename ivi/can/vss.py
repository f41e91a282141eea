"""COVESA VSS paths the head unit reads by name, and how fast their values can plausibly change."""

from __future__ import annotations

from dataclasses import dataclass

SOC_DISPLAYED = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"
SOC_CURRENT = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current"
PACK_VOLTAGE = "Vehicle.Powertrain.TractionBattery.CurrentVoltage"
PACK_CURRENT = "Vehicle.Powertrain.TractionBattery.CurrentCurrent"
SPEED = "Vehicle.Speed"


@dataclass(frozen=True)
class ChangeLimit:
    """A plausibility bound: between two accepted values ``|Δvalue| ≤ per_s × Δt + slack`` (receive times).

    State of charge cannot jump 20 % in 100 ms: even 500 kW into a 60 kWh pack is 0.23 %/s, so 10 %/s
    leaves room for a simulator running 40× faster than real time and still rejects such a jump.
    A real step (a BMS recalibration) is accepted once the time since the last accepted value covers it.
    """

    per_s: float
    slack: float = 0.0


DEFAULT_CHANGE_LIMITS: dict[str, ChangeLimit] = {
    SOC_DISPLAYED: ChangeLimit(per_s=10.0, slack=1.0),
    SOC_CURRENT: ChangeLimit(per_s=10.0, slack=1.0),
}
