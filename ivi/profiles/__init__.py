"""Vehicle profiles: the shipped Xiaomi SU7 variants and any profile the driver adds.

A profile is a TOML file (see ``su7-max.toml`` for every field). ``load_profile("su7-max")``
finds a shipped one; ``load_profile("path/to/car.toml")`` reads a file; a file dropped in the
driver's profiles folder (``user_dir``, which ``ivi.settings`` decides) is found by its id like a
shipped one. Stdlib ``tomllib`` reads them.
"""

from __future__ import annotations

import math
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from ivi.planner.errors import ProfileError
from ivi.planner.vehicle import VehicleProfile

__all__ = [
    "ProfileError",
    "VehicleProfile",
    "available_profile_ids",
    "load_profile",
    "parse_profile",
    "shipped_profile_ids",
]


def shipped_profile_ids() -> list[str]:
    return sorted(p.name[:-5] for p in resources.files(__package__).iterdir() if p.name.endswith(".toml"))


def available_profile_ids(user_dir: Path | None = None) -> list[str]:
    extra = [p.stem for p in user_dir.glob("*.toml")] if user_dir is not None and user_dir.is_dir() else []
    return sorted(set(shipped_profile_ids()) | set(extra))


def load_profile(name_or_path: str | Path, user_dir: Path | None = None) -> VehicleProfile:
    """A profile by id (first in ``user_dir``, then the shipped ones), or a TOML file by path."""
    text = str(name_or_path)
    if text.endswith(".toml") or "/" in text or "\\" in text:
        return _read(Path(text))
    user_file = None if user_dir is None else user_dir / f"{text}.toml"
    if user_file is not None and user_file.is_file():
        return _read(user_file)
    shipped = resources.files(__package__) / f"{text}.toml"
    if shipped.is_file():
        return parse_profile(shipped.read_text("utf-8"), source=f"{text}.toml")
    raise ProfileError(
        f"unknown vehicle {text!r}; known: {', '.join(available_profile_ids(user_dir))} (or give a .toml path)"
    )


def _read(path: Path) -> VehicleProfile:
    """A profile file; bytes that are not UTF-8 become U+FFFD (TOML then says where)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ProfileError(f"vehicle profile file {path} does not exist") from exc
    except (OSError, ValueError) as exc:  # a folder, no permission, a NUL in the name
        raise ProfileError(f"vehicle profile file {path} cannot be read: {exc}") from exc
    return parse_profile(data.decode("utf-8", "replace"), source=str(path))


def parse_profile(text: str, source: str = "<profile>") -> VehicleProfile:
    """Check and convert one profile; every problem is a :class:`ProfileError` naming the file and
    the field. Every number is finite and within the physics of a car (a 300 kWh pack, a 2 MW
    charger, −40 … 60 °C), the charging curve rises in state of charge with positive, finite power,
    and the hot-weather threshold is not below the cold one."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{source}: not valid TOML: {exc}") from exc
    except RecursionError as exc:  # tomllib recurses into nested arrays and inline tables
        raise ProfileError(f"{source}: not valid TOML: nested too deeply") from exc
    cons = _table(doc, "consumption", source)
    chg = _table(doc, "charging", source)
    curve = chg.get("curve")
    if not isinstance(curve, list) or not 2 <= len(curve) <= MAX_CURVE_POINTS:
        raise ProfileError(f"{source}: charging.curve must list 2 to {MAX_CURVE_POINTS} [soc_percent, power_kw] points")
    points: list[tuple[float, float]] = []
    for item in curve:
        if not (isinstance(item, list) and len(item) == 2 and all(_is_num(v) for v in item)):
            raise ProfileError(f"{source}: charging.curve point {_shown(item)} is not [soc_percent, power_kw]")
        soc, kw = _finite(item[0]), _finite(item[1])
        if soc is None or kw is None or not 0 <= soc <= 100 or not 0 < kw <= MAX_POWER_KW:
            raise ProfileError(
                f"{source}: charging.curve point {_shown(item)} needs 0 ≤ soc ≤ 100 and 0 < power ≤ {MAX_POWER_KW:g} kW"
            )
        if points and soc <= points[-1][0]:
            raise ProfileError(f"{source}: charging.curve must have increasing state of charge")
        points.append((soc, kw))
    chemistry = doc.get("chemistry", "")
    if not isinstance(chemistry, str):
        raise ProfileError(f"{source}: chemistry must be a string")
    profile = VehicleProfile(
        id=_str(doc, "id", source),
        name=_str(doc, "name", source),
        usable_battery_kwh=_pos(doc, "usable_battery_kwh", source, 5, 300),
        voltage_class_v=int(_pos(doc, "voltage_class_v", source, 100, 1500)),
        max_dc_power_kw=_pos(doc, "max_dc_power_kw", source, 1, MAX_POWER_KW),
        connector=_str(doc, "connector", source),
        rolling_kwh_per_100km=_pos(cons, "rolling_kwh_per_100km", f"{source}: consumption", 0.5, 60),
        aero_kwh_per_100km_at_100kmh=_pos(cons, "aero_kwh_per_100km_at_100kmh", f"{source}: consumption", 0.5, 60),
        charge_curve=tuple(points),
        charge_efficiency=_num(chg, "efficiency", f"{source}: charging", 0.95, 0.5, 1.0),
        chemistry=chemistry,
        cold_below_c=_num(cons, "cold_below_c", f"{source}: consumption", 20.0, -40, 40),
        cold_percent_per_c=_num(cons, "cold_percent_per_c", f"{source}: consumption", 1.2, 0, 10),
        hot_above_c=_num(cons, "hot_above_c", f"{source}: consumption", 28.0, 0, 60),
        hot_percent_per_c=_num(cons, "hot_percent_per_c", f"{source}: consumption", 0.8, 0, 10),
        mass_kg=_num(doc, "mass_kg", source, 2200.0, 500, 5000),
        cold_charge_below_c=_num(chg, "cold_charge_below_c", f"{source}: charging", 15.0, -40, 40),
        cold_charge_percent_per_c=_num(chg, "cold_charge_percent_per_c", f"{source}: charging", 2.5, 0, 10),
        cold_charge_min_factor=_num(chg, "cold_charge_min_factor", f"{source}: charging", 0.3, 0.05, 1.0),
    )
    if profile.hot_above_c < profile.cold_below_c:
        raise ProfileError(
            f"{source}: consumption.hot_above_c ({profile.hot_above_c:g} °C) is below cold_below_c "
            f"({profile.cold_below_c:g} °C): a temperature cannot be both"
        )
    return profile


#: The most power a profile may name (kW): above any charger built.
MAX_POWER_KW = 2000.0
#: A charging curve longer than this is not a description of a battery.
MAX_CURVE_POINTS = 1000


def _num(doc: dict[str, Any], key: str, source: str, default: float, lo: float, hi: float) -> float:
    """An optional number: the default when absent, else checked against its range."""
    if key not in doc:
        return default
    return _pos(doc, key, source, lo, hi)


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _finite(v: int | float) -> float | None:
    """``v`` as a finite float, ``None`` for NaN, ±inf and integers past a float's range."""
    if isinstance(v, int) and v.bit_length() > 1000:
        return None
    f = float(v)
    return f if math.isfinite(f) else None


def _shown(v: object) -> str:
    """A TOML value for an error message, cut short (an array of a million points is one line too)."""
    text = repr(v) if not (isinstance(v, int) and v.bit_length() > 64) else "a huge integer"
    return text if len(text) <= 60 else text[:57] + "..."


def _table(doc: dict[str, Any], key: str, source: str) -> dict[str, Any]:
    v = doc.get(key)
    if not isinstance(v, dict):
        raise ProfileError(f"{source}: missing [{key}] table")
    return v


def _str(doc: dict[str, Any], key: str, source: str) -> str:
    v = doc.get(key)
    if not isinstance(v, str) or not v.strip():
        raise ProfileError(f"{source}: {key} must be a non-empty string")
    return v.strip()


def _pos(doc: dict[str, Any], key: str, source: str, lo: float, hi: float) -> float:
    """A required number, finite and within ``lo``–``hi``."""
    v = doc.get(key)
    if not isinstance(v, int | float) or isinstance(v, bool):
        raise ProfileError(f"{source}: {key} must be a number")
    f = _finite(v)
    if f is None or not lo <= f <= hi:
        raise ProfileError(f"{source}: {key} = {_shown(v)} is outside {lo:g}–{hi:g}")
    return f
