"""The OTA sync behind the screen: ``sync.client.VehicleClient`` as an ``ivi.services.ports.SyncService``.

The client writes the cache through its own connection (WAL: the screen keeps reading), on its
own threads; this adapter only translates its status for the screen and tells the screen which
stations changed after each committed write. A broker that refuses or cannot be reached is
shown as *offline* with the reason, and the connection is retried with backoff: the car keeps
working from its cache meanwhile.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Callable, Sequence

from sync.client import VehicleClient
from sync.client import SyncStatus as ClientStatus
from sync.errors import SyncError
from sync.signing import load_verifier
from sync.store import ChargerStore

from ivi.services.ports import SyncStatus

log = logging.getLogger(__name__)


def to_screen_status(s: ClientStatus) -> SyncStatus:
    return SyncStatus(s.state, s.progress, "" if s.version is None else str(s.version), s.last_contact, s.detail)


class MqttSync:
    """Follows the operator's dataset over MQTT into the cache at ``open_store()``."""

    def __init__(self, open_store: Callable[[], ChargerStore], broker_url: str, pubkey: Path | str, client_id: str, *,
                 mqtt5: bool = True, ca_file: str | None = None, username: str | None = None,
                 password: str | None = None, connect_timeout_s: float = 10.0,
                 retry_s: float = 2.0, max_retry_s: float = 60.0) -> None:
        self._open_store = open_store
        self._args = (broker_url, pubkey, client_id)
        self._options = dict(mqtt5=mqtt5, ca_file=ca_file, username=username, password=password)
        self._connect_timeout_s = connect_timeout_s
        self._retry_s, self._max_retry_s = retry_s, max_retry_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.client: VehicleClient | None = None
        self._store: ChargerStore | None = None

    def start(self, on_status: Callable[[SyncStatus], None],
              on_changed: Callable[[Sequence[str] | None], None]) -> None:
        on_status(SyncStatus("offline", 0.0, "", None, "connecting"))
        self._thread = threading.Thread(target=self._run, args=(on_status, on_changed), name="sync-connect", daemon=True)
        self._thread.start()

    def _run(self, on_status: Callable[[SyncStatus], None], on_changed: Callable[[Sequence[str] | None], None]) -> None:
        broker_url, pubkey, client_id = self._args
        try:
            verifier = load_verifier(pubkey)
            self._store = self._open_store()
            client = VehicleClient(self._store, verifier, broker_url, client_id, **self._options)  # type: ignore[arg-type]
        except (SyncError, OSError, ValueError) as exc:
            on_status(SyncStatus("error", 0.0, "", None, str(exc)))
            return
        client.add_observer(lambda s: on_status(to_screen_status(s)))
        client.add_change_listener(on_changed)
        delay = self._retry_s
        while not self._stop.is_set():
            try:
                client.start(self._connect_timeout_s)
                self.client = client
                return
            except SyncError as exc:  # refused, unreachable, bad TLS: say so, keep the cache, try again
                on_status(SyncStatus("offline", 0.0, "", None, f"broker: {exc}"))
                log.info("sync: %s; retrying in %.0f s", exc, delay)
            if self._stop.wait(delay):
                return
            delay = min(delay * 2, self._max_retry_s)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(self._connect_timeout_s + 1)
        if self.client is not None:
            self.client.stop()
        if self._store is not None:
            self._store.close()
