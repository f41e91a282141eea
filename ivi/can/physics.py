"""A longitudinal physics model of the reference car (SU7-class: 2.2 t, Cd 0.195, 101 kWh, 800 V).

Pure functions over plain numbers: road load (aero drag with temperature-dependent air
density, rolling resistance, inertia), drivetrain and regeneration efficiency, HVAC and
auxiliary load, a pack with open-circuit voltage and internal resistance, a DC charging curve,
and cell temperature. Good enough that consumption, voltage sag and state of charge behave like
a real car (≈ 15–20 kWh/100 km at highway speed, more in the cold), and deterministic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

G_MPS2 = 9.81


@dataclass(frozen=True)
class VehicleParams:
    mass_kg: float = 2205.0 + 80.0  # kerb weight + driver
    drag_coefficient: float = 0.195
    frontal_area_m2: float = 2.35
    rolling_coefficient: float = 0.0085
    drivetrain_efficiency: float = 0.90
    regen_efficiency: float = 0.65
    aux_kw: float = 0.35  # 12 V loads, screens, pumps
    hvac_kw_per_k: float = 0.09  # heat pump / AC load per kelvin from the cabin target
    cabin_target_c: float = 22.0
    battery_kwh: float = 101.0  # gross; the displayed window is usable_min..usable_max
    usable_min_percent: float = 3.0
    usable_max_percent: float = 97.0
    cells_in_series: int = 200
    cell_ocv_empty_v: float = 3.40
    cell_ocv_full_v: float = 4.20
    pack_resistance_ohm: float = 0.075
    max_charge_kw: float = 210.0
    max_discharge_kw: float = 495.0


def air_density_kg_m3(outside_c: float) -> float:
    return 101325.0 / (287.05 * (outside_c + 273.15))


def hvac_kw(outside_c: float, p: VehicleParams, hvac_on: bool = True) -> float:
    return p.hvac_kw_per_k * abs(p.cabin_target_c - outside_c) if hvac_on else 0.0


def battery_power_kw(
    speed_mps: float, accel_mps2: float, outside_c: float, p: VehicleParams, hvac_on: bool = True
) -> float:
    """Power drawn from the pack (positive = discharge) to hold ``speed_mps`` while accelerating."""
    drag = 0.5 * air_density_kg_m3(outside_c) * p.drag_coefficient * p.frontal_area_m2 * speed_mps**2
    # Tyres roll harder when cold (≈ +1 % per K below 20 °C, capped).
    cold = 1.0 + min(0.25, max(0.0, (20.0 - outside_c) * 0.01))
    rolling = p.rolling_coefficient * cold * p.mass_kg * G_MPS2 if speed_mps > 0.05 else 0.0
    wheel_kw = (drag + rolling + p.mass_kg * accel_mps2) * speed_mps / 1000.0
    drive_kw = wheel_kw / p.drivetrain_efficiency if wheel_kw >= 0 else wheel_kw * p.regen_efficiency
    total = drive_kw + p.aux_kw + hvac_kw(outside_c, p, hvac_on)
    return max(-p.max_charge_kw, min(p.max_discharge_kw, total))


def ocv_v(soc_percent: float, p: VehicleParams) -> float:
    """Open-circuit pack voltage; gently S-shaped like NMC cells (840 V full, 680 V empty)."""
    s = max(0.0, min(100.0, soc_percent)) / 100.0
    shape = s + 0.06 * math.sin(2 * math.pi * s)
    return p.cells_in_series * (p.cell_ocv_empty_v + (p.cell_ocv_full_v - p.cell_ocv_empty_v) * shape)


def pack_voltage_current(power_kw: float, soc_percent: float, p: VehicleParams) -> tuple[float, float]:
    """Terminal voltage and current (positive = discharge) for a power: V = OCV − I·R, P = V·I."""
    ocv = ocv_v(soc_percent, p)
    r = p.pack_resistance_ohm
    watts = power_kw * 1000.0
    disc = max(0.0, ocv * ocv - 4.0 * r * watts)
    current = (ocv - math.sqrt(disc)) / (2.0 * r)
    return ocv - current * r, current


def displayed_soc_percent(actual_percent: float, p: VehicleParams) -> float:
    """The driver sees the usable window stretched to 0..100 %."""
    span = p.usable_max_percent - p.usable_min_percent
    return max(0.0, min(100.0, (actual_percent - p.usable_min_percent) / span * 100.0))


def actual_soc_percent(displayed_percent: float, p: VehicleParams) -> float:
    span = p.usable_max_percent - p.usable_min_percent
    return p.usable_min_percent + max(0.0, min(100.0, displayed_percent)) / 100.0 * span


def remaining_energy_kwh(actual_percent: float, p: VehicleParams) -> float:
    return max(0.0, actual_percent - p.usable_min_percent) / 100.0 * p.battery_kwh


def dc_charge_power_kw(displayed_percent: float, p: VehicleParams) -> float:
    """An 800 V DC curve: full power to 50 %, tapering linearly to 15 % of it at 100 %."""
    if displayed_percent <= 50.0:
        return p.max_charge_kw
    return p.max_charge_kw * (1.0 - 0.85 * (displayed_percent - 50.0) / 50.0)


def cell_temperature_step_c(cell_c: float, outside_c: float, current_a: float, dt_s: float, p: VehicleParams) -> float:
    """First-order thermal model: I²R heating, thermal management pulling towards 25 °C."""
    heat_k_per_s = (current_a**2) * p.pack_resistance_ohm / 450_000.0  # pack heat capacity ≈ 450 kJ/K
    target = 25.0 if outside_c < 25.0 else min(outside_c, 32.0)
    return cell_c + (heat_k_per_s - (cell_c - target) / 900.0) * dt_s
