"""Vehicle physics the planner needs: how much energy a kilometre costs and how fast the battery
takes a charge. Pure functions over a frozen :class:`VehicleProfile`; profiles are read from
TOML by :mod:`ivi.profiles`.

Consumption model (documented in docs/planner.md): rolling + aerodynamic terms,
``kWh/100 km = rolling + aero·(v/100)²``, times a temperature factor (heating below
``cold_below_c``, cooling above ``hot_above_c``). A learned consumption from CAN replaces the
model at the conditions it was measured in and scales it everywhere else (clamped to ×0.6–×1.8
so that one bad reading cannot wreck a plan). Climbing costs ``m·g·Δh`` through the drivetrain;
going down gives part of it back (``regen_efficiency``).

Charging: the car's curve (battery-side kW against state of charge), capped by the car and the
charger, and slower with a cold battery: below ``cold_charge_below_c`` the power is cut by
``cold_charge_percent_per_c`` per degree (never below ``cold_charge_min_factor`` of it).
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from dataclasses import dataclass

#: The temperature the profiles' consumption is quoted at, and what the planner assumes unknown, °C.
STANDARD_TEMP_C = 20.0
LEARNED_FACTOR_MIN = 0.6
LEARNED_FACTOR_MAX = 1.8
GRAVITY_M_S2 = 9.81
J_PER_KWH = 3.6e6


@dataclass(frozen=True)
class VehicleProfile:
    id: str
    name: str
    usable_battery_kwh: float
    voltage_class_v: int
    max_dc_power_kw: float
    connector: str
    rolling_kwh_per_100km: float
    aero_kwh_per_100km_at_100kmh: float
    charge_curve: tuple[tuple[float, float], ...]  # (soc_percent, power_kw), soc ascending 0..100
    charge_efficiency: float = 0.95
    chemistry: str = ""
    cold_below_c: float = 20.0
    cold_percent_per_c: float = 1.2
    hot_above_c: float = 28.0
    hot_percent_per_c: float = 0.8
    mass_kg: float = 2200.0  # curb weight plus a driver and a passenger
    drivetrain_efficiency: float = 0.90  # battery to wheels, for the climbing energy
    regen_efficiency: float = 0.60  # share of the potential energy a descent gives back
    cold_charge_below_c: float = 15.0
    cold_charge_percent_per_c: float = 2.5
    cold_charge_min_factor: float = 0.3

    @property
    def kwh_per_percent(self) -> float:
        return self.usable_battery_kwh / 100.0


def model_kwh_per_km(vehicle: VehicleProfile, speed_kmh: float, outside_temp_c: float) -> float:
    """Consumption from the profile alone, before any correction from CAN."""
    base = vehicle.rolling_kwh_per_100km + vehicle.aero_kwh_per_100km_at_100kmh * (speed_kmh / 100.0) ** 2
    factor = 1.0
    if outside_temp_c < vehicle.cold_below_c:
        factor += (vehicle.cold_below_c - outside_temp_c) * vehicle.cold_percent_per_c / 100.0
    elif outside_temp_c > vehicle.hot_above_c:
        factor += (outside_temp_c - vehicle.hot_above_c) * vehicle.hot_percent_per_c / 100.0
    return base * factor / 100.0


def learned_factor(
    vehicle: VehicleProfile, learned_kwh_per_km: float | None, speed_kmh: float, outside_temp_c: float
) -> float:
    """How much the car's own measured consumption differs from the model (1.0 without one)."""
    if learned_kwh_per_km is None or learned_kwh_per_km <= 0:
        return 1.0
    ratio = learned_kwh_per_km / model_kwh_per_km(vehicle, speed_kmh, outside_temp_c)
    return min(LEARNED_FACTOR_MAX, max(LEARNED_FACTOR_MIN, ratio))


def climb_kwh(vehicle: VehicleProfile, climb_m: float) -> float:
    """Battery energy for a net altitude change: ``m·g·Δh`` through the drivetrain uphill, a
    share of it back downhill (negative)."""
    potential = vehicle.mass_kg * GRAVITY_M_S2 * climb_m / J_PER_KWH
    return potential / vehicle.drivetrain_efficiency if climb_m > 0 else potential * vehicle.regen_efficiency


def charge_power_factor(vehicle: VehicleProfile, outside_temp_c: float) -> float:
    """How much of its curve a battery at ``outside_temp_c`` takes (1.0 when warm enough)."""
    if outside_temp_c >= vehicle.cold_charge_below_c:
        return 1.0
    cut = (vehicle.cold_charge_below_c - outside_temp_c) * vehicle.cold_charge_percent_per_c / 100.0
    return max(vehicle.cold_charge_min_factor, 1.0 - cut)


def curve_power_kw(vehicle: VehicleProfile, soc_percent: float) -> float:
    """Battery-side charging power the car accepts at ``soc_percent`` (linear between points)."""
    pts = vehicle.charge_curve
    if soc_percent <= pts[0][0]:
        return pts[0][1]
    for (s0, p0), (s1, p1) in itertools.pairwise(pts):
        if soc_percent <= s1:
            return p0 + (p1 - p0) * (soc_percent - s0) / (s1 - s0) if s1 > s0 else p1
    return pts[-1][1]


def charge_table_min(
    vehicle: VehicleProfile, charger_kw: float, outside_temp_c: float = STANDARD_TEMP_C
) -> tuple[float, ...]:
    """Minutes to charge from 0 % to k % for k = 0..100 at a charger of ``charger_kw``.

    Each 1 % step is charged at min(car curve at the step's middle × the cold-battery factor, car
    max, charger) — the charger's rating is taken as battery-side power (losses go into the price,
    not the time). Times between whole percents are linear, so the table *is* the charging
    function."""
    kwh = vehicle.kwh_per_percent
    cold = charge_power_factor(vehicle, outside_temp_c)
    out = [0.0]
    for k in range(100):
        power = min(curve_power_kw(vehicle, k + 0.5) * cold, vehicle.max_dc_power_kw, charger_kw)
        out.append(out[-1] + kwh / max(power, 0.1) * 60.0)
    return tuple(out)


def soc_after_min(table: tuple[float, ...], from_soc_percent: float, minutes: float) -> float:
    """The state of charge ``minutes`` of charging take the battery to from ``from_soc_percent``
    (the inverse of :func:`table_at`; 100 at most)."""
    goal = table_at(table, from_soc_percent) + minutes
    if goal >= table[100]:
        return 100.0
    k = bisect_right(table, goal) - 1
    step = table[k + 1] - table[k]
    return k + ((goal - table[k]) / step if step > 0 else 0.0)


def table_at(table: tuple[float, ...], soc_percent: float) -> float:
    """The charging function at any state of charge (linear between whole percents)."""
    if soc_percent <= 0:
        return table[0]
    if soc_percent >= 100:
        return table[100]
    k = int(soc_percent)
    return table[k] + (table[k + 1] - table[k]) * (soc_percent - k)
