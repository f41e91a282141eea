"""Valid starting inputs from real material: records of the partner feeds bundled in the package."""

from __future__ import annotations

import functools
import gzip
import json
from pathlib import Path
from typing import Any

__all__ = ["feed_records", "feed_tariffs"]

FEEDS = Path(__file__).resolve().parents[1] / "chargers" / "data" / "feeds"


@functools.cache
def _feeds() -> tuple[dict[str, Any], ...]:
    return tuple(json.loads(gzip.decompress(p.read_bytes())) for p in sorted(FEEDS.glob("*.json.gz")))


def feed_records(per_feed: int = 4) -> list[dict[str, Any]]:
    """A few locations of each bundled feed: the first ones, and ones with several EVSEs, hours or a bearing."""
    out: list[dict[str, Any]] = []
    for feed in _feeds():
        data = feed["data"]
        out += data[: per_feed // 2]
        out += [r for r in data if "regular_hours" in r.get("opening_times", {})][:1]
        out += [r for r in data if "x_carriageway_bearing_deg" in r][:1]
    unique = {r["id"]: r for r in out}
    return json.loads(json.dumps(list(unique.values())))  # a private copy


def feed_tariffs(per_feed: int = 2) -> list[dict[str, Any]]:
    """A few tariffs of each bundled feed (day-of-week restrictions included where there are some)."""
    out: list[dict[str, Any]] = []
    for feed in _feeds():
        tariffs = feed.get("tariffs", [])
        out += tariffs[:per_feed]
        out += [t for t in tariffs if "day_of_week" in json.dumps(t)][:1]
    unique = {t["id"]: t for t in out}
    return json.loads(json.dumps(list(unique.values())))
