"""VehicleStore: the state of charge, range, speed and position as the screen shows them.

Samples arrive from the vehicle source's thread through :meth:`deliver` (thread-safe: the GUI
mailbox). The CAN layer marks a stale SoC as ``None``; as a second line, a timer marks it stale
when no fresh value came for ``stale_after_s``. Stale, the gauge shows "--" and the planner is
asked with the last known value, flagged stale. Moving means speed > 0 (the driver lock-out).
The range uses the consumption learned from CAN once there is one.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from ivi.services.ports import RangeEstimate, RangeModel, VehicleSample
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
        "reserveKm": 0,
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
    rangeKm = prop(int, "rangeKm", changed)
    reserveKm = prop(int, "reserveKm", changed)
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
            values.update(
                socPercent=soc,
                socText=f"{sample.soc_percent:.0f}",
                socStale=False,
                rangeKm=round(self._range(sample.soc_percent).usable_km),
            )
        else:
            values.update(self._stale_values())
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
        self.sampleApplied.emit()

    def _range(self, soc_percent: float) -> RangeEstimate:
        return self.range_model.estimate(soc_percent, self.learned_kwh_per_km, self.outside_temp_c)

    def _stale_values(self) -> dict[str, object]:
        return {"socText": "--", "socStale": True, "rangeKm": -1, "canState": "stale"}

    def check_stale(self) -> None:
        if self._state["socStale"]:
            return
        if time.monotonic() - self._soc_at > self.stale_after_s:
            self.update(**self._stale_values())

    def mark_no_source(self) -> None:
        self.update(canState="none", socText="--", socStale=True, rangeKm=-1)

    def position(self) -> tuple[float, float] | None:
        return None if self.last_sample is None else self.last_sample.position
