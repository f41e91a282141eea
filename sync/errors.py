"""The one exception hierarchy of the ``sync`` package.

::

    SyncError
     ├── GeoError (ValueError)          unknown place, coordinates outside the map, bad polyline
     ├── FeedError (ValueError)         a feed that cannot be read at all (not JSON, wrong shape)
     ├── StoreError                     the cache file
     │    ├── NotACacheError            not an SQLite file, or not ours
     │    ├── SchemaTooNewError         written by a newer version of this module
     │    └── SchemaTooOldError         needs a migration, but was opened read-only
     ├── ProtocolError (ValueError)     a sync message that is rejected (see ``sync.protocol``)
     ├── KeyFileError (ValueError)      an operator key file that is not an Ed25519 key
     └── TransportError (ConnectionError)  the MQTT broker cannot be reached or refuses us

Errors become messages only in the CLIs and the UI.
"""
from __future__ import annotations


class SyncError(Exception):
    """Base of every error raised by ``sync``."""


class GeoError(SyncError, ValueError):
    """A place name, coordinate or polyline that cannot be used."""


class FeedError(SyncError, ValueError):
    """A partner feed that cannot be read at all (single bad records are rejections, not errors)."""


class StoreError(SyncError):
    """The charger cache cannot be opened or written."""


class NotACacheError(StoreError):
    """The file exists but is not an SQLite charger cache; it is left untouched."""


class SchemaTooNewError(StoreError):
    """The cache was written by a newer schema version; it is left untouched."""


class SchemaTooOldError(StoreError):
    """The cache needs a migration, and it was opened read-only; it is left untouched."""


class ProtocolError(SyncError, ValueError):
    """A sync message that is refused (bad signature, rollback, malformed payload, ...)."""


class KeyFileError(SyncError, ValueError):
    """A key file that cannot be read as an Ed25519 key, or one that would be overwritten."""


class TransportError(SyncError, ConnectionError):
    """The MQTT broker cannot be reached, refuses the connection, or refuses a publish."""
