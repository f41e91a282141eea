"""The screen's reads of the charger cache (station detail, its tariff, search): the
``ChargerLookup`` port over a ``chargers.store.ChargerStore``. Runs on the screen's I/O worker."""

from __future__ import annotations

from chargers.models import Location, Tariff
from chargers.store import ChargerStore, Filters, Station

__all__ = ["CacheLookup"]


class CacheLookup:
    """``ChargerLookup`` over one open cache (it closes the cache when closed)."""

    def __init__(self, store: ChargerStore) -> None:
        self.store = store

    def station_count(self) -> int:
        return int(self.store.stats()["locations"])

    def location(self, location_id: str) -> Location | None:
        return self.store.location(location_id)

    def tariff_of(self, location: Location) -> Tariff | None:
        tid = next((t for e in location.evses for c in e.connectors for t in c.tariff_ids), None)
        return self.store.tariff(tid) if tid else None

    def search(self, text: str, limit: int, filters: Filters) -> list[Station]:
        return self.store.search(text, limit, filters)

    def close(self) -> None:
        self.store.close()
