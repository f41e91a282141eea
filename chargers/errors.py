"""The one exception hierarchy of the ``chargers`` package.

::

    ChargerDataError
     ├── FeedError (ValueError)         a feed that cannot be read at all (not JSON, wrong shape)
     ├── OccupancyError (ValueError)    occupancy history or prediction asked for something impossible
     │    └── OccupancyModelError       an encoded occupancy model that is corrupt or of another version
     └── StoreError                     the cache file
          ├── RecordConflictError       rows that cannot fit the cache (a unique id or uid taken):
          │                             the same write will fail again, unlike a busy cache
          ├── NotACacheError            not an SQLite file, or not ours
          ├── SchemaTooNewError         written by a newer version of this module
          └── SchemaTooOldError         needs a migration, but was opened read-only

A single bad record in a feed is not an error: it is a counted rejection with a reason
(``chargers.models.Rejection``). Errors become messages only in the CLIs and the UI.
"""

from __future__ import annotations

__all__ = [
    "ChargerDataError",
    "FeedError",
    "NotACacheError",
    "OccupancyError",
    "OccupancyModelError",
    "RecordConflictError",
    "SchemaTooNewError",
    "SchemaTooOldError",
    "StoreError",
]


class ChargerDataError(Exception):
    """Base of every error raised by ``chargers``."""


class FeedError(ChargerDataError, ValueError):
    """A partner feed that cannot be read at all (single bad records are rejections, not errors)."""


class OccupancyError(ChargerDataError, ValueError):
    """Occupancy history, learning or prediction asked for something impossible (a naive datetime,
    an unknown time zone, an empty window). Single bad status records are counted, not raised."""


class OccupancyModelError(OccupancyError):
    """An encoded occupancy model that cannot be read: wrong magic or version, truncated, or its
    checksum does not match. It is refused whole; nothing of it is used."""


class StoreError(ChargerDataError):
    """The charger cache cannot be opened or written."""


class RecordConflictError(StoreError):
    """Rows that do not fit the cache (a constraint fails: an id or EVSE uid already taken). The
    write changed nothing; retrying the same rows cannot help (a busy cache is another matter)."""


class NotACacheError(StoreError):
    """The file exists but is not an SQLite charger cache; it is left untouched."""


class SchemaTooNewError(StoreError):
    """The cache was written by a newer schema version; it is left untouched."""


class SchemaTooOldError(StoreError):
    """The cache needs a migration, and it was opened read-only; it is left untouched."""
