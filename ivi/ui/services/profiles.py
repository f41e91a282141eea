"""Built-in vehicle profiles for ``--vehicle`` (a name below, or a TOML file with the same keys).

The vehicle-profile work in ``ivi/profiles`` may replace this table; the screen only needs
:class:`VehicleProfile`.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

from ivi.ui.services.ports import VehicleProfile

PROFILES: dict[str, VehicleProfile] = {
    "su7": VehicleProfile("Xiaomi SU7", battery_kwh=73.6, kwh_per_km=0.155, max_charge_kw=400.0),
    "su7-pro": VehicleProfile("Xiaomi SU7 Pro", battery_kwh=94.3, kwh_per_km=0.16, max_charge_kw=420.0),
    "su7-max": VehicleProfile("Xiaomi SU7 Max", battery_kwh=101.0, kwh_per_km=0.17, max_charge_kw=500.0),
    "yu7": VehicleProfile("Xiaomi YU7", battery_kwh=96.3, kwh_per_km=0.175, max_charge_kw=520.0),
}
DEFAULT_PROFILE = "su7-pro"


def load_profile(name_or_path: str) -> VehicleProfile:
    """A built-in profile by name, or one read from a TOML file. Raises ``ValueError`` with a reason."""
    key = name_or_path.strip().lower()
    if key in PROFILES:
        return PROFILES[key]
    path = Path(name_or_path)
    if not path.is_file():
        raise ValueError(f"unknown vehicle {name_or_path!r}: choose one of {', '.join(PROFILES)} or give a TOML file")
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        return VehicleProfile(
            name=str(doc.get("name", path.stem)), battery_kwh=float(doc["battery_kwh"]),
            kwh_per_km=float(doc["kwh_per_km"]), max_charge_kw=float(doc["max_charge_kw"]),
            reserve_percent=float(doc.get("reserve_percent", 10.0)),
        )
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"vehicle file {path}: {exc}") from None
