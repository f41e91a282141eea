"""The car's real consumption (kWh/km), learned from pack voltage × current over distance. Pure."""

from __future__ import annotations

from collections import deque

from ivi.can.vss import PACK_CURRENT, PACK_VOLTAGE, SPEED


class ConsumptionLearner:
    """Learns kWh/km from pack voltage × current and speed, integrated over the BMS's own clock.

    Each pack-current sample adds ``-V × I × Δt`` (energy) and ``speed × Δt`` (distance) over the
    same ``Δt``, so the ratio is consistent. ``Δt`` comes from the BMS message's alive counter ×
    its cycle time (``SignalUpdate.sender_time_s``), which is what the sending ECU's clock did: it is
    right whether frames arrive live, from a log, or from a simulator running 20× faster than real
    time, and a dropped frame shows as a counter step of 2. Only a car whose DBC gives the current
    message no counter falls back to receive times (correct live and from logs, not under speed-up).

    Energy and distance are counted only while the car moves (parked HVAC is not consumption per
    km) and only across gaps shorter than ``max_gap_s`` on both clocks (a silent bus must not be
    integrated as a straight line; the counter wraps after 16 cycles, so the receive gap guards it).
    Regeneration counts negative, as it does for the real battery.
    """

    PATHS = frozenset({PACK_VOLTAGE, SPEED, PACK_CURRENT})

    def __init__(
        self, window_km: float = 100.0, bin_km: float = 1.0, min_km: float = 0.5, max_gap_s: float = 1.0
    ) -> None:
        self.window_km, self.bin_km, self.min_km, self.max_gap_s = window_km, bin_km, min_km, max_gap_s
        self._bins: deque[tuple[float, float]] = deque()
        self._sum_km = self._sum_kwh = 0.0
        self._cur_km = self._cur_kwh = 0.0
        self._voltage: tuple[float, float] | None = None
        self._speed: tuple[float, float] | None = None
        self._power_ts: float | None = None  # receive time of the last current sample
        self._power_clock: float | None = None  # sender time (or receive time) of the same sample

    def observe(self, path: str, value: float, ts: float, sender_s: float | None = None) -> None:
        if path == PACK_VOLTAGE:
            self._voltage = (float(value), ts)
        elif path == SPEED:
            self._speed = (float(value), ts)
        elif path == PACK_CURRENT:
            clock = ts if sender_s is None else sender_s
            last_ts, last_clock = self._power_ts, self._power_clock
            self._power_ts, self._power_clock = ts, clock
            if last_ts is None or last_clock is None or self._voltage is None or self._speed is None:
                return
            dt, gap = clock - last_clock, self.max_gap_s
            speed_kmh = self._speed[0]
            if (
                not (0 < dt <= gap)
                or ts - last_ts > gap
                or ts - self._voltage[1] > gap
                or ts - self._speed[1] > gap
                or speed_kmh <= 0.5
            ):
                return
            # VSS: positive current flows into the battery, so the car uses -V*I.
            self._add(km=speed_kmh * dt / 3600.0, kwh=-self._voltage[0] * float(value) * dt / 3.6e6)

    def _add(self, km: float, kwh: float) -> None:
        self._cur_km += km
        self._cur_kwh += kwh
        if self._cur_km >= self.bin_km:
            self._bins.append((self._cur_km, self._cur_kwh))
            self._sum_km += self._cur_km
            self._sum_kwh += self._cur_kwh
            self._cur_km = self._cur_kwh = 0.0
            while self._bins and self._sum_km - self._bins[0][0] >= self.window_km:
                km0, kwh0 = self._bins.popleft()
                self._sum_km -= km0
                self._sum_kwh -= kwh0

    @property
    def distance_km(self) -> float:
        return self._sum_km + self._cur_km

    @property
    def kwh_per_km(self) -> float | None:
        km = self.distance_km
        return (self._sum_kwh + self._cur_kwh) / km if km >= self.min_km else None
