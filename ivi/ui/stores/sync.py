"""SyncStore: the sync indicator (offline / syncing with progress / up to date / error)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject, Signal

from ivi.services.ports import SYNC_STATES, SyncStatus
from ivi.ui.stores.base import Store, prop
from ivi.ui.worker import Mailbox


class SyncStore(Store):
    changed = Signal()

    _defaults = {"state": "offline", "progress": 0.0, "version": "", "lastUpdate": "", "detail": ""}
    state = prop(str, "state", changed)
    progress = prop(float, "progress", changed)
    version = prop(str, "version", changed)
    lastUpdate = prop(str, "lastUpdate", changed)  # local "HH:MM", "" when never
    detail = prop(str, "detail", changed)

    def __init__(self, mailbox: Mailbox, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._mailbox = mailbox

    def deliver(self, status: SyncStatus) -> None:
        """Thread-safe entry point for the sync service."""
        self._mailbox.post(self.apply, status)

    def apply(self, status: SyncStatus) -> None:
        state = status.state if status.state in SYNC_STATES else "error"
        last = datetime.fromtimestamp(status.last_contact).strftime("%H:%M") if status.last_contact else ""
        self.update(
            state=state,
            progress=round(max(0.0, min(1.0, status.progress)), 3),
            version="" if status.version is None else str(status.version),
            lastUpdate=last or self._state["lastUpdate"],
            detail=status.detail,
        )
