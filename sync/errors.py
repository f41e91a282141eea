"""The one exception hierarchy of the ``sync`` package (the OTA sync over MQTT).

::

    SyncError
     ├── ProtocolError (ValueError)     a sync message that is rejected (see ``sync.protocol``)
     ├── KeyFileError (ValueError)      an operator key file that is not an Ed25519 key
     └── TransportError (ConnectionError)  the MQTT broker cannot be reached or refuses us

The charger data it carries has its own tree (``chargers.errors``), geography too
(``geo.errors.GeoError``). Errors become messages only in the CLIs and the UI.
"""

from __future__ import annotations

__all__ = ["KeyFileError", "ProtocolError", "SyncError", "TransportError"]


class SyncError(Exception):
    """Base of every error raised by ``sync``."""


class ProtocolError(SyncError, ValueError):
    """A sync message that is refused (bad signature, rollback, malformed payload, ...)."""


class KeyFileError(SyncError, ValueError):
    """A key file that cannot be read as an Ed25519 key, or one that would be overwritten."""


class TransportError(SyncError, ConnectionError):
    """The MQTT broker cannot be reached, refuses the connection, or refuses a publish."""
