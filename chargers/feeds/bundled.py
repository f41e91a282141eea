"""The scale-1 partner feeds shipped inside the package, so a car works offline out of the box."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

BUNDLED_FILES = ("nio.json.gz", "xpeng.json.gz", "li_auto.json.gz")


def bundled_feed_paths() -> list[Path]:
    root = resources.files("chargers") / "data" / "feeds"
    return [Path(str(root / name)) for name in BUNDLED_FILES]
