"""The OTA sync over MQTT: the signed, versioned protocol (``sync.protocol``, sans-I/O), the paho
adapter (``sync.transport``), the car's client that writes the charger cache
(``sync.client``), the operator's publisher (``sync.publisher``), signing, and ``ivi-sync``.

Runs headless on a server or a test bench: nothing here imports Qt or ``ivi``. The charger data
it carries is ``chargers``; geography is ``geo``.
"""

from sync.errors import KeyFileError, ProtocolError, SyncError, TransportError

__version__ = "0.1.0"
__all__ = ["KeyFileError", "ProtocolError", "SyncError", "TransportError", "__version__"]
