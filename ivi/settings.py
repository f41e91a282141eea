"""Every default of the head unit in one place, and the environment read once.

The composition roots (the ``ivi`` CLI and ``ivi.app``) call :meth:`Settings.from_environment`
once and pass the result down; no other module reads the environment or picks a path. Library
code (``chargers``, ``ivi.planner``, ``ivi.profiles``) takes paths and numbers as arguments.

==========================  ====================================================  ==================================
environment variable        what                                                  default
==========================  ====================================================  ==================================
``IVI_DB``                  the charger cache file                                ``<user data dir>/chargers.db``
``IVI_CONFIG_DIR``          remembered filters and user vehicle profiles          ``<user config dir>``
                            (``profiles/*.toml``)
``IVI_VEHICLE``             vehicle profile id or ``.toml`` path                  ``su7-max``
``IVI_RESERVE_PERCENT``     the driver's reserve, %                               10
``IVI_CLIENT_ID``           the car's MQTT client id (sync)                       the username, else ``ivi-<host>``
``IVI_BROKER``              the sync's broker URL(s), a cluster comma-separated   none: offline
``IVI_PUBKEY``              the operator's public key file(s) (``--pubkey``),     none
                            ``:`` between two while a key is rotated
``IVI_MQTT_USERNAME``       the car's broker user (``--username``)                none
``IVI_MQTT_PASSWORD_FILE``  a file holding its password (``--password-file``)     none
``IVI_MQTT_CAFILE``         the CA bundle for ``mqtts://`` (``--cafile``)         the system's
``IVI_SYNC_NOT_BEFORE``     the manifest floor of a car with no data yet (epoch   none
                            seconds or ISO-8601, ``--not-before``)
==========================  ====================================================  ==================================

The user dirs are ``platformdirs``' for the app name ``ivi-charging`` (on Linux
``~/.local/share/ivi-charging`` and ``~/.config/ivi-charging``).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from ivi.planner.model import DEFAULT_RESERVE_PERCENT

__all__ = ["APP_NAME", "DEFAULT_RESERVE_PERCENT", "DEFAULT_VEHICLE", "ENVIRONMENT", "Settings", "SettingsError"]

APP_NAME = "ivi-charging"
DEFAULT_VEHICLE = "su7-max"
#: The environment variables :meth:`Settings.from_environment` reads, and what each sets.
ENVIRONMENT = {
    "IVI_DB": "db_path",
    "IVI_CONFIG_DIR": "config_dir",
    "IVI_VEHICLE": "vehicle",
    "IVI_RESERVE_PERCENT": "reserve_percent",
    "IVI_CLIENT_ID": "client_id",
    "IVI_BROKER": "broker",
    "IVI_PUBKEY": "pubkeys",
    "IVI_MQTT_USERNAME": "mqtt_username",
    "IVI_MQTT_PASSWORD_FILE": "mqtt_password_file",
    "IVI_MQTT_CAFILE": "mqtt_cafile",
    "IVI_SYNC_NOT_BEFORE": "sync_not_before",
}


class SettingsError(ValueError):
    """An environment variable with a value that cannot be used."""


@dataclass(frozen=True)
class Settings:
    """The head unit's defaults after the environment has had its say; CLI options override them."""

    db_path: Path
    config_dir: Path
    vehicle: str = DEFAULT_VEHICLE
    reserve_percent: float = DEFAULT_RESERVE_PERCENT
    client_id: str = ""
    broker: str = ""
    pubkeys: tuple[str, ...] = ()
    mqtt_username: str = ""
    mqtt_password_file: Path | None = None
    mqtt_cafile: Path | None = None
    sync_not_before: str = ""

    @property
    def profiles_dir(self) -> Path:
        """Where the driver's own vehicle profiles are found by id."""
        return self.config_dir / "profiles"

    @property
    def filters_file(self) -> Path:
        return self.config_dir / "filters.json"

    @classmethod
    def from_environment(cls, env: Mapping[str, str] | None = None) -> Settings:
        """The defaults, with each ``IVI_*`` variable that is set (and not empty) applied."""
        env = os.environ if env is None else env

        def get(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        reserve = DEFAULT_RESERVE_PERCENT
        if (text := get("IVI_RESERVE_PERCENT")) is not None:
            try:
                reserve = float(text)
            except ValueError as exc:
                raise SettingsError(f"IVI_RESERVE_PERCENT={text!r} is not a number") from exc
            if not 0.0 <= reserve <= 80.0:
                raise SettingsError(f"IVI_RESERVE_PERCENT={text} is outside 0–80 %")
        db = get("IVI_DB")
        config = get("IVI_CONFIG_DIR")
        user = get("IVI_MQTT_USERNAME") or ""
        password_file, cafile = get("IVI_MQTT_PASSWORD_FILE"), get("IVI_MQTT_CAFILE")
        return cls(
            db_path=Path(db) if db else Path(platformdirs.user_data_dir(APP_NAME)) / "chargers.db",
            config_dir=Path(config) if config else Path(platformdirs.user_config_dir(APP_NAME)),
            vehicle=get("IVI_VEHICLE") or DEFAULT_VEHICLE,
            reserve_percent=reserve,
            client_id=get("IVI_CLIENT_ID") or user or f"ivi-{socket.gethostname()}",
            broker=get("IVI_BROKER") or "",
            pubkeys=tuple(p for p in (get("IVI_PUBKEY") or "").split(os.pathsep) if p),
            mqtt_username=user,
            mqtt_password_file=Path(password_file) if password_file else None,
            mqtt_cafile=Path(cafile) if cafile else None,
            sync_not_before=get("IVI_SYNC_NOT_BEFORE") or "",
        )
