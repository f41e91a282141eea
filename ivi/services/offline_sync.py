"""The sync service when there is no broker (the embedded default) or no client to reach it.

It reports one status and never writes to the cache. ``ivi.app`` replaces it with the MQTT
sync client (``sync.client``) when ``--broker`` is given and that client is available.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ivi.services.ports import SyncStatus


class OfflineSync:
    def __init__(self, state: str = "offline", detail: str = "", last_contact: float | None = None) -> None:
        self.status = SyncStatus(state, 0.0, None, last_contact, detail)

    def start(
        self, on_status: Callable[[SyncStatus], None], on_changed: Callable[[Sequence[str] | None], None]
    ) -> None:
        on_status(self.status)

    def stop(self) -> None:
        pass
