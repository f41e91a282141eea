"""Vehicle profiles (``--vehicle FILE``, the driver's profiles folder): TOML read with
:func:`ivi.profiles.load_profile`, then used as the planner uses one (consumption at speeds and temperatures,
the charging curve and the minutes-to-charge table)."""

from __future__ import annotations

import functools
import itertools
import json
import math
import random
import tempfile
import tomllib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from fuzz.harness import Harness, expect, expect_finite, expect_in_range
from fuzz.mutators import mutate_bytes, mutate_json_value
from ivi.planner.errors import ProfileError
from ivi.planner.vehicle import charge_power_factor, charge_table_min, model_kwh_per_km
from ivi.profiles import load_profile, shipped_profile_ids

__all__ = ["HARNESS", "check", "mutate", "seeds", "to_toml"]

#: The documented ranges (ivi/profiles: parse_profile).
RANGES = {
    "usable_battery_kwh": (5, 300),
    "voltage_class_v": (100, 1500),
    "max_dc_power_kw": (1, 2000),
    "rolling_kwh_per_100km": (0.5, 60),
    "aero_kwh_per_100km_at_100kmh": (0.5, 60),
    "charge_efficiency": (0.5, 1.0),
    "cold_below_c": (-40, 40),
    "cold_percent_per_c": (0, 10),
    "hot_above_c": (0, 60),
    "hot_percent_per_c": (0, 10),
    "mass_kg": (500, 5000),
    "cold_charge_below_c": (-40, 40),
    "cold_charge_percent_per_c": (0, 10),
    "cold_charge_min_factor": (0.05, 1.0),
}


@functools.cache
def _file() -> Path:
    return Path(tempfile.mkdtemp(prefix="fuzz-profile-")) / "car.toml"


def check(data: bytes) -> None:
    path = _file()
    path.write_bytes(data)
    try:
        car = load_profile(path)
    except ProfileError as exc:
        expect(bool(str(exc)), "refusal-without-reason")
        str(exc).encode("utf-8")
        return
    for name, (lo, hi) in RANGES.items():
        expect_in_range(getattr(car, name), lo, hi, f"field-{name}")
    for name in ("id", "name", "connector", "chemistry"):
        expect(type(getattr(car, name)) is str, f"field-{name}-not-text")
    expect(car.hot_above_c >= car.cold_below_c, "hot-below-cold")
    curve = car.charge_curve
    expect(len(curve) >= 2, "curve-too-short")
    for i, (soc, kw) in enumerate(curve):
        expect_in_range(soc, 0, 100, "curve-soc")
        expect_finite(kw, "curve-power")
        expect(kw > 0, "curve-power-not-positive", str(kw))
        expect(i == 0 or soc > curve[i - 1][0], "curve-not-increasing")
    for speed in (0.0, 50.0, 120.0, 200.0):
        for temp in (-40.0, 0.0, 20.0, 50.0):
            kwh = model_kwh_per_km(car, speed, temp)
            expect(math.isfinite(kwh) and kwh > 0, "consumption", f"{kwh} at {speed} km/h, {temp} °C")
    for temp in (-40.0, 25.0):
        expect_in_range(charge_power_factor(car, temp), 0.05, 1.0, "cold-charge-factor")
        table = charge_table_min(car, 120.0, temp)
        expect(all(math.isfinite(t) for t in table), "charge-table-not-finite")
        expect(all(b >= a for a, b in itertools.pairwise(table)), "charge-table-not-monotonic")


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
    if isinstance(v, str):
        return json.dumps(v)  # a TOML basic string: the same escapes (a lone surrogate is TOML's to refuse)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))} = {_toml_value(x)}" for k, x in v.items()) + "}"
    return '""'  # None and the like: TOML has no null


def to_toml(doc: dict[str, Any]) -> str:
    """A small TOML writer for the documents the mutator makes (top-level keys, then one table per dict)."""
    lines = [f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in doc.items() if not isinstance(v, dict)]
    for k, v in doc.items():
        if isinstance(v, dict):
            lines.append(f"\n[{json.dumps(str(k))}]")
            lines += [f"{json.dumps(str(kk))} = {_toml_value(vv)}" for kk, vv in v.items()]
    return "\n".join(lines) + "\n"


def mutate(data: bytes, max_size: int, seed: int) -> bytes:
    """Parse the TOML, change one node (key, type, nesting, number, string), write it back; bytes that are not
    TOML get a byte-level edit."""
    rng = random.Random(seed)
    if rng.random() < 0.1:
        return mutate_bytes(data, max_size, seed)
    try:
        doc: Any = tomllib.loads(data.decode("utf-8"))
        for _ in range(rng.choice((1, 1, 2))):
            doc = mutate_json_value(doc, rng)
        if not isinstance(doc, dict):
            return mutate_bytes(data, max_size, seed)
        return to_toml(doc).encode("utf-8", "surrogatepass")[:max_size]
    except (ValueError, TypeError, RecursionError, OverflowError, tomllib.TOMLDecodeError):
        return mutate_bytes(data, max_size, seed)


def seeds() -> Iterator[bytes]:
    for pid in shipped_profile_ids():
        yield (resources.files("ivi.profiles") / f"{pid}.toml").read_bytes()


HARNESS = Harness(
    name="profiles",
    check=check,
    seeds=seeds,
    mutate=mutate,
    doc=(
        "load_profile either raises ProfileError naming the file and the field, or returns a profile whose every "
        "number is finite and within its documented range, whose charging curve rises in state of charge with "
        "positive finite power, and whose hot threshold is not below the cold one — so consumption and "
        "charging times computed from it are finite and positive."
    ),
)
