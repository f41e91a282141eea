"""How the route is driven, as the planner needs it: energy and time along the route.

A route is made of legs (``geo.routes.RouteLeg``): expressway, road (a national highway, an
access road off the graph) and ferry; its points may carry an altitude. Energy is computed per
stretch at the speed actually driven there (an expressway at its 120 km/h cruise, not at the
100 km/h average that the cruise and the slowdowns make), times the road factor (road km per
polyline km), plus the climbing energy; time at the average speed; a ferry costs no energy and
its whole crossing time. The planner plans with the energy raised by a margin (pessimistic
consumption), and reports the expected one beside it.

Positions are km from the car (the search's ``x``); energy in percent of the usable battery.
"""

from __future__ import annotations

import itertools
import math
from bisect import bisect_right
from dataclasses import dataclass
from typing import NamedTuple

from geo.routes import Route
from ivi.planner.vehicle import VehicleProfile, climb_kwh, learned_factor, model_kwh_per_km

EXPRESSWAY, ROAD, FERRY = "expressway", "road", "ferry"


class RoadLeg(NamedTuple):
    """A stretch of the route (route km) of one kind; see ``geo.routes.RouteLeg``."""

    from_km: float
    to_km: float
    kind: str = EXPRESSWAY
    road_factor: float = 1.0  # road km per polyline km
    crossing_min: float = 0.0  # a ferry's whole crossing: check-in, boarding, sailing
    name: str = ""


@dataclass(frozen=True)
class Road:
    """The legs of the route and the altitude of its points (route km → metres), as known.
    Empty: the whole route is flat expressway (a polyline from the navigation app)."""

    legs: tuple[RoadLeg, ...] = ()
    altitude_km: tuple[float, ...] = ()
    altitude_m: tuple[float, ...] = ()

    @classmethod
    def from_route(cls, route: Route) -> Road:
        """From a ``geo`` route (its legs and the altitudes of its points)."""
        legs = tuple(
            RoadLeg(leg.from_km, leg.to_km, leg.kind, leg.road_factor, leg.crossing_min, leg.name) for leg in route.legs
        )
        known = [(k, a) for k, a in zip(route.cum_km, route.altitudes_m, strict=False) if a is not None]
        return cls(legs, tuple(k for k, _ in known), tuple(float(a) for _, a in known))

    def altitude_at(self, km: float) -> float | None:
        """Linear between known points; None outside them (nothing is known there)."""
        ks = self.altitude_km
        if not ks or km < ks[0] - 1e-9 or km > ks[-1] + 1e-9:
            return None
        i = min(max(bisect_right(ks, km) - 1, 0), len(ks) - 1)
        if i == len(ks) - 1 or ks[i + 1] == ks[i]:
            return self.altitude_m[i]
        t = (km - ks[i]) / (ks[i + 1] - ks[i])
        return self.altitude_m[i] + t * (self.altitude_m[i + 1] - self.altitude_m[i])


@dataclass(frozen=True)
class Speeds:
    """The speeds of the model (``PlannerSettings`` holds the defaults)."""

    expressway_cruise_kmh: float
    expressway_average_kmh: float
    road_cruise_kmh: float
    road_average_kmh: float


@dataclass(frozen=True)
class RoadProfile:
    """Cumulative quantities at breakpoints from the car (km 0) to the destination; linear
    between breakpoints. ``plan_pct`` is what the search plans with (expected energy raised by
    the margin), ``expected_pct`` the expected energy, ``minutes`` the driving (and ferry) time,
    ``road_km`` the distance on the ground."""

    km: tuple[float, ...]
    plan_pct: tuple[float, ...]
    expected_pct: tuple[float, ...]
    minutes: tuple[float, ...]
    road_km: tuple[float, ...]
    ferries: tuple[RoadLeg, ...] = ()  # in km from the car
    expected_kwh_per_km: float = 0.0  # at expressway cruise, flat: what a drift is measured against

    @property
    def length_km(self) -> float:
        return self.km[-1]

    def _at(self, values: tuple[float, ...], x: float) -> float:
        ks = self.km
        if x <= ks[0]:
            return values[0]
        if x >= ks[-1]:
            return values[-1]
        i = bisect_right(ks, x) - 1
        span = ks[i + 1] - ks[i]
        return values[i] + (values[i + 1] - values[i]) * ((x - ks[i]) / span if span > 0 else 0.0)

    def plan_at(self, x: float) -> float:
        return self._at(self.plan_pct, x)

    def expected_at(self, x: float) -> float:
        return self._at(self.expected_pct, x)

    def minutes_at(self, x: float) -> float:
        return self._at(self.minutes, x)

    def road_km_at(self, x: float) -> float:
        return self._at(self.road_km, x)

    def peak_plan(self, x0: float, x1: float) -> float:
        """The highest planning energy on [x0, x1] (at an end or a breakpoint between)."""
        best = max(self.plan_at(x0), self.plan_at(x1))
        i = bisect_right(self.km, x0)
        while i < len(self.km) and self.km[i] < x1:
            best = max(best, self.plan_pct[i])
            i += 1
        return best

    def in_ferry(self, x: float) -> bool:
        return any(f.from_km < x < f.to_km for f in self.ferries)

    def runs_out_km(
        self, soc_percent: float, from_x: float, floor_percent: float = 0.0, expected: bool = True
    ) -> float:
        """Where a car leaving ``from_x`` with ``soc_percent`` first drops to ``floor_percent``
        (the destination, ``length_km``, if it never does)."""
        values = self.expected_pct if expected else self.plan_pct
        budget = soc_percent + self._at(values, from_x) - floor_percent
        prev_x, prev_v = from_x, self._at(values, from_x)
        i = bisect_right(self.km, from_x)
        while i < len(self.km):
            x, v = self.km[i], values[i]
            if v > budget:
                return prev_x + (x - prev_x) * ((budget - prev_v) / (v - prev_v) if v != prev_v else 0.0)
            prev_x, prev_v = x, v
            i += 1
        return self.km[-1]


def build_profile(
    vehicle: VehicleProfile,
    road: Road,
    from_km: float,
    to_km: float,
    speeds: Speeds,
    outside_temp_c: float,
    learned_kwh_per_km: float | None,
    margin: float,
) -> RoadProfile:
    """The profile of the route from ``from_km`` (the car) to ``to_km`` (the destination)."""
    legs = road.legs or (RoadLeg(0.0, to_km),)
    cuts = {from_km, to_km}
    cuts.update(k for leg in legs for k in (leg.from_km, leg.to_km) if from_km < k < to_km)
    cuts.update(k for k in road.altitude_km if from_km < k < to_km)
    breaks = sorted(cuts)
    learned = learned_factor(vehicle, learned_kwh_per_km, speeds.expressway_cruise_kmh, outside_temp_c)
    per_km = {
        EXPRESSWAY: (
            model_kwh_per_km(vehicle, speeds.expressway_cruise_kmh, outside_temp_c) * learned,
            60.0 / speeds.expressway_average_kmh,
        ),
        ROAD: (
            model_kwh_per_km(vehicle, speeds.road_cruise_kmh, outside_temp_c) * learned,
            60.0 / speeds.road_average_kmh,
        ),
    }
    pct = 1.0 / vehicle.kwh_per_percent
    km, plan, expected, minutes, ground = [0.0], [0.0], [0.0], [0.0], [0.0]
    ferries = []
    for a, b in itertools.pairwise(breaks):
        mid = (a + b) / 2
        leg = next((g for g in legs if g.from_km <= mid <= g.to_km), legs[-1])
        length = b - a
        if leg.kind == FERRY:
            e_kwh, t, d = 0.0, leg.crossing_min * length / max(leg.to_km - leg.from_km, 1e-9), 0.0
            ferries.append(RoadLeg(a - from_km, b - from_km, FERRY, leg.road_factor, t, leg.name))
        else:
            kwh_km, min_km = per_km.get(leg.kind, per_km[EXPRESSWAY])
            d = length * leg.road_factor
            e_kwh, t = d * kwh_km, d * min_km
            h0, h1 = road.altitude_at(a), road.altitude_at(b)
            if h0 is not None and h1 is not None:
                e_kwh += climb_kwh(vehicle, h1 - h0)
        e = e_kwh * pct
        km.append(b - from_km)
        expected.append(expected[-1] + e)
        plan.append(plan[-1] + e + margin * abs(e))
        minutes.append(minutes[-1] + t)
        ground.append(ground[-1] + d)
    return RoadProfile(
        tuple(km),
        tuple(plan),
        tuple(expected),
        tuple(minutes),
        tuple(ground),
        tuple(_merge_ferries(ferries)),
        per_km[EXPRESSWAY][0],
    )


def _merge_ferries(parts: list[RoadLeg]) -> list[RoadLeg]:
    """A ferry cut by altitude points is one crossing again."""
    out: list[RoadLeg] = []
    for f in parts:
        if out and out[-1].name == f.name and math.isclose(out[-1].to_km, f.from_km):
            last = out[-1]
            out[-1] = last._replace(to_km=f.to_km, crossing_min=last.crossing_min + f.crossing_min)
        else:
            out.append(f)
    return out
