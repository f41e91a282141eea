"""The head unit's services behind the screen, without Qt: the ports the screen talks to
(``ports``), and their adapters: the CAN vehicle (``can_vehicle``), the cache reads
(``lookup``), the planner (``planning``), the sync (``mqtt_sync``, ``offline_sync``) and the
navigation hand-off (``navigation``). ``ivi.app`` wires them; ``ivi.ui`` only consumes the ports.

Adapters are imported from their modules (each pulls in its own library: python-can, SQLite, …);
this package exports only the vocabulary."""

from ivi.services import ports
from ivi.services.ports import *  # noqa: F403 — the ports are the package's surface

__all__ = list(ports.__all__)
