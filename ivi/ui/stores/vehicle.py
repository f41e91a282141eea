"""VehicleStore: the state of charge, range, speed and position as the screen shows them.

Samples arrive from the vehicle source's thread through :meth:`deliver` (thread-safe: the GUI
mailbox). The CAN layer marks a stale SoC as ``None``; as a second line, a timer marks it stale
when no fresh value came for ``stale_after_s``. Stale, the gauge shows "--", the screen says
what it last knew and how long ago ("last 12 % 40 s ago"), and the planner is asked with the last
known value, flagged stale. Moving means speed > 0 (the driver lock-out).

Range is shown as two numbers, never netted into one: the distance to empty and the part of it
that is the reserve (at 10 % the car still has ~50 km to empty even though the reserve is reached).
Both use the consumption learned from CAN once there is one. While charging: the power into the
pack and the BMS's minutes to its target.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from ivi.services.ports import RangeEstimate, RangeModel, VehicleSample
from ivi.ui.signals import emit
from ivi.ui.stores.base import Store, prop
from ivi.ui.worker import Mailbox


class VehicleStore(Store):
    changed = Signal()
    sampleApplied = Signal()  # for the controller (Python side), after the properties changed

    _defaults = {
        "socPercent": -1.0,
        "socText": "--",
        "socStale": True,
        "rangeKm": -1,
        "toEmptyKm": -1,
        "reserveKm": 0,
        "belowReserve": False,
        "lastSocText": "",
        "socAgeS": -1,
        "chargePowerKw": -1,
        "chargeMinutesLeft": -1,
        "speedKmh": 0.0,
        "moving": False,
        "charging": False,
        "canState": "waiting",
        "routeKm": 0.0,
        "lat": 0.0,
        "lon": 0.0,
        "headingDeg": 0.0,
    }
    socPercent = prop(float, "socPercent", changed)
    socText = prop(str, "socText", changed)
    socStale = prop(bool, "socStale", changed)
    rangeKm = prop(int, "rangeKm", changed)  # before the reserve (-1 unknown): what planning uses
    toEmptyKm = prop(int, "toEmptyKm", changed)  # to an empty battery (-1 unknown): what the driver reads
    reserveKm = prop(int, "reserveKm", changed)
    belowReserve = prop(bool, "belowReserve", changed)
    lastSocText = prop(str, "lastSocText", changed)  # the last value known ("" never), shown when stale
    socAgeS = prop(int, "socAgeS", changed)  # seconds since that value (-1 never)
    chargePowerKw = prop(int, "chargePowerKw", changed)  # -1 when not charging or unknown
    chargeMinutesLeft = prop(int, "chargeMinutesLeft", changed)  # the BMS's estimate, -1 unknown
    speedKmh = prop(float, "speedKmh", changed)
    moving = prop(bool, "moving", changed)
    charging = prop(bool, "charging", changed)
    canState = prop(str, "canState", changed)  # waiting | live | stale | none
    routeKm = prop(float, "routeKm", changed)

    def __init__(
        self, range_model: RangeModel, mailbox: Mailbox, stale_after_s: float = 2.0, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.range_model = range_model
        self.stale_after_s = stale_after_s
        self.last_sample: VehicleSample | None = None
        self.last_soc_percent: float | None = None  # last value known, even when stale
        self.learned_kwh_per_km: float | None = None
        self.outside_temp_c: float | None = None
        self._soc_at = 0.0
        self._mailbox = mailbox
        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.check_stale)
        self._timer.start()
        self.update(reserveKm=round(range_model.estimate(0.0).reserve_km))

    def deliver(self, sample: VehicleSample) -> None:
        """Thread-safe entry point for vehicle sources."""
        self._mailbox.post(self.apply, sample)

    def apply(self, sample: VehicleSample) -> None:
        self.last_sample = sample
        values: dict[str, object] = {"canState": "live"}
        if sample.learned_kwh_per_km is not None and sample.learned_kwh_per_km > 0:
            self.learned_kwh_per_km = sample.learned_kwh_per_km  # the range model clamps it, as the planner does
        if sample.outside_temp_c is not None:
            self.outside_temp_c = sample.outside_temp_c
        if sample.soc_percent is not None:
            self._soc_at = time.monotonic()
            self.last_soc_percent = sample.soc_percent
            soc = round(sample.soc_percent, 1)
            est = self._range(sample.soc_percent)
            values.update(
                socPercent=soc,
                socText=f"{sample.soc_percent:.0f}",
                lastSocText=f"{sample.soc_percent:.0f}",
                socAgeS=0,
                socStale=False,
                rangeKm=round(est.usable_km),
                toEmptyKm=round(est.to_empty_km),
                reserveKm=round(est.reserve_km),
                belowReserve=sample.soc_percent < self.range_model.reserve_percent,
            )
        else:
            values.update(self._stale_values())
        charging = sample.charging
        values.update(
            chargePowerKw=round(sample.charge_power_kw) if charging and sample.charge_power_kw is not None else -1,
            chargeMinutesLeft=round(sample.charge_minutes_left)
            if charging and sample.charge_minutes_left is not None
            else -1,
        )
        if sample.speed_kmh is not None:
            values.update(speedKmh=round(sample.speed_kmh, 1), moving=sample.speed_kmh > 0.0)
        if sample.position is not None:
            values.update(lat=sample.position[0], lon=sample.position[1])
        if sample.heading_deg is not None:
            values.update(headingDeg=round(sample.heading_deg))
        if sample.route_km is not None:
            values.update(routeKm=round(sample.route_km, 2))
        values.update(charging=sample.charging)
        self.update(**values)
        emit(self.sampleApplied)

    def _range(self, soc_percent: float) -> RangeEstimate:
        return self.range_model.estimate(soc_percent, self.learned_kwh_per_km, self.outside_temp_c)

    def _stale_values(self) -> dict[str, object]:
        return {
            "socText": "--",
            "socStale": True,
            "rangeKm": -1,
            "toEmptyKm": -1,
            "canState": "stale",
            "socAgeS": self._age_s(),
        }

    def _age_s(self) -> int:
        return -1 if self.last_soc_percent is None else int(time.monotonic() - self._soc_at)

    def check_stale(self) -> None:
        if self._state["socStale"]:
            if self.last_soc_percent is not None:
                self.update(socAgeS=self._age_s())
            return
        if time.monotonic() - self._soc_at > self.stale_after_s:
            self.update(**self._stale_values())

    def mark_no_source(self) -> None:
        self.update(canState="none", socText="--", socStale=True, rangeKm=-1, toEmptyKm=-1)

    def position(self) -> tuple[float, float] | None:
        return None if self.last_sample is None else self.last_sample.position
