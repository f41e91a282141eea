"""Partner charger data: the OCPI 2.2.1-shaped models, parsing and validation of partner feeds,
the deterministic feed generator, and the offline SQLite cache the car keeps (``chargers.store``).

Used on both sides: the cloud publisher validates and signs feeds with it (``sync``), the head
unit reads and writes its cache with it (``ivi``). It imports neither, and nothing here imports
Qt; the only other package of ours it uses is ``geo``.
"""

from chargers.errors import (
    ChargerDataError,
    FeedError,
    NotACacheError,
    OccupancyError,
    OccupancyModelError,
    SchemaTooNewError,
    SchemaTooOldError,
    StoreError,
)
from chargers.models import NETWORKS, Connector, Evse, ImportReport, Location, Rejection, Tariff, TariffWindow

__all__ = [
    "NETWORKS",
    "ChargerDataError",
    "Connector",
    "Evse",
    "FeedError",
    "ImportReport",
    "Location",
    "NotACacheError",
    "OccupancyError",
    "OccupancyModelError",
    "Rejection",
    "SchemaTooNewError",
    "SchemaTooOldError",
    "StoreError",
    "Tariff",
    "TariffWindow",
]
