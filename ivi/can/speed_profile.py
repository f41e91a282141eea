"""Where a simulated driver wants to go how fast: urban streets at both ends of a route (with
traffic lights), expressway in between (cruise with slow, seeded variation like traffic).

Pure: ``target_kmh(km, t_s)`` depends only on position, time and the seed.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field


@dataclass
class SpeedProfile:
    route_km: float
    urban_km: float = 5.0
    urban_kmh: float = 50.0
    highway_kmh: float = 115.0
    light_spacing_km: float = 0.8
    red_light_s: float = 20.0
    seed: int = 1
    _phase: float = field(init=False, default=0.0)
    _waited_at: dict[int, float] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._phase = random.Random(self.seed).uniform(0, 2 * math.pi)
        # Short routes are all urban at the start and end, with a highway middle if long enough.
        self.urban_km = min(self.urban_km, self.route_km / 3)

    def is_urban(self, km: float) -> bool:
        return km < self.urban_km or km > self.route_km - self.urban_km

    def target_kmh(self, km: float, t_s: float) -> float:
        if km >= self.route_km:
            return 0.0
        if self.is_urban(km):
            light = self._next_light(km)
            if light is not None:
                index, light_km = light
                dist_m = (light_km - km) * 1000.0
                if dist_m < 3.0:
                    started = self._waited_at.setdefault(index, t_s)
                    if t_s - started < self.red_light_s:
                        return 0.0
                elif index not in self._waited_at:
                    # Brake for the red light ahead (2 m/s² comfortable deceleration).
                    return min(self.urban_kmh, math.sqrt(2 * 2.0 * max(0.0, dist_m - 1.0)) * 3.6)
            return self.urban_kmh
        wobble = 8.0 * math.sin(2 * math.pi * t_s / 240.0 + self._phase) + 4.0 * math.sin(2 * math.pi * t_s / 67.0)
        return self.highway_kmh + wobble

    def _next_light(self, km: float) -> tuple[int, float] | None:
        """Every other light is red; the car stops at red ones."""
        index = int(km / self.light_spacing_km) + 1
        light_km = index * self.light_spacing_km
        if not self.is_urban(light_km) or light_km >= self.route_km - 0.05:
            return None
        if index % 2 == 1:
            return index, light_km
        return None
