"""Vehicle profiles: the shipped Xiaomi SU7 variants and any profile the driver adds.

A profile is a TOML file (see ``su7-max.toml`` for every field). ``load_profile("su7-max")``
finds a shipped one; ``load_profile("path/to/car.toml")`` reads a file; a file dropped in the
driver's profiles folder (``user_dir``, which ``ivi.settings`` decides) is found by its id like a
shipped one. Stdlib ``tomllib`` reads them.
"""

from __future__ import annotations

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
        path = Path(text)
        if not path.is_file():
            raise ProfileError(f"vehicle profile file {path} does not exist")
        return parse_profile(path.read_bytes().decode("utf-8", "replace"), source=str(path))
    user_file = None if user_dir is None else user_dir / f"{text}.toml"
    if user_file is not None and user_file.is_file():
        return parse_profile(user_file.read_text("utf-8"), source=str(user_file))
    shipped = resources.files(__package__) / f"{text}.toml"
    if shipped.is_file():
        return parse_profile(shipped.read_text("utf-8"), source=f"{text}.toml")
    raise ProfileError(
        f"unknown vehicle {text!r}; known: {', '.join(available_profile_ids(user_dir))} (or give a .toml path)"
    )


def parse_profile(text: str, source: str = "<profile>") -> VehicleProfile:
    """Check and convert one profile; every problem names the file and the field."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{source}: not valid TOML: {exc}") from exc
    cons = _table(doc, "consumption", source)
    chg = _table(doc, "charging", source)
    curve = chg.get("curve")
    if not isinstance(curve, list) or len(curve) < 2:
        raise ProfileError(f"{source}: charging.curve must list at least two [soc_percent, power_kw] points")
    points: list[tuple[float, float]] = []
    for item in curve:
        if not (isinstance(item, list) and len(item) == 2 and all(_is_num(v) for v in item)):
            raise ProfileError(f"{source}: charging.curve point {item!r} is not [soc_percent, power_kw]")
        soc, kw = float(item[0]), float(item[1])
        if not 0 <= soc <= 100 or kw <= 0:
            raise ProfileError(f"{source}: charging.curve point {item!r} needs 0 ≤ soc ≤ 100 and power > 0")
        if points and soc <= points[-1][0]:
            raise ProfileError(f"{source}: charging.curve must have increasing state of charge")
        points.append((soc, kw))
    profile = VehicleProfile(
        id=_str(doc, "id", source),
        name=_str(doc, "name", source),
        usable_battery_kwh=_pos(doc, "usable_battery_kwh", source, 5, 300),
        voltage_class_v=int(_pos(doc, "voltage_class_v", source, 100, 1500)),
        max_dc_power_kw=_pos(doc, "max_dc_power_kw", source, 1, 2000),
        connector=_str(doc, "connector", source),
        rolling_kwh_per_100km=_pos(cons, "rolling_kwh_per_100km", f"{source}: consumption", 0.5, 60),
        aero_kwh_per_100km_at_100kmh=_pos(cons, "aero_kwh_per_100km_at_100kmh", f"{source}: consumption", 0.5, 60),
        charge_curve=tuple(points),
        charge_efficiency=float(chg.get("efficiency", 0.95)),
        chemistry=str(doc.get("chemistry", "")),
        cold_below_c=_num(cons, "cold_below_c", source, 20.0, -40, 40),
        cold_percent_per_c=_num(cons, "cold_percent_per_c", source, 1.2, 0, 10),
        hot_above_c=_num(cons, "hot_above_c", source, 28.0, 0, 60),
        hot_percent_per_c=_num(cons, "hot_percent_per_c", source, 0.8, 0, 10),
        mass_kg=_num(doc, "mass_kg", source, 2200.0, 500, 5000),
        cold_charge_below_c=_num(chg, "cold_charge_below_c", source, 15.0, -40, 40),
        cold_charge_percent_per_c=_num(chg, "cold_charge_percent_per_c", source, 2.5, 0, 10),
        cold_charge_min_factor=_num(chg, "cold_charge_min_factor", source, 0.3, 0.05, 1.0),
    )
    if not 0.5 <= profile.charge_efficiency <= 1.0:
        raise ProfileError(f"{source}: charging.efficiency must be between 0.5 and 1.0")
    return profile


def _num(doc: dict[str, Any], key: str, source: str, default: float, lo: float, hi: float) -> float:
    """An optional number: the default when absent, else checked against its range."""
    if key not in doc:
        return default
    return _pos(doc, key, source, lo, hi)


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


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
    v = doc.get(key)
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        raise ProfileError(f"{source}: {key} must be a number")
    if not lo <= float(v) <= hi:
        raise ProfileError(f"{source}: {key} = {v} is outside {lo}–{hi}")
    return float(v)
