"""SyncStore: the sync indicator (offline / syncing with progress / up to date / error), and what
is fresh: the charger *data* may be up to date (its version) while the *live statuses* on screen
are days old (``statusAgeMin``: the freshest availability among the stations shown), and the
header says both rather than "Up to date" alone."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject, Signal

from ivi.services.ports import SYNC_STATES, SyncStatus
from ivi.ui.stores.base import Store, prop
from ivi.ui.worker import Mailbox


def version_text(version: object) -> str:
    """``12`` → ``v12``; a version that already names itself (``v2``, ``2026-11-25``) as it is."""
    text = str(version)
    return f"v{text}" if text.isdigit() else text


class SyncStore(Store):
    changed = Signal()

    _defaults = {"state": "offline", "progress": 0.0, "version": "", "lastUpdate": "", "detail": "", "statusAgeMin": -1}
    state = prop(str, "state", changed)
    progress = prop(float, "progress", changed)
    version = prop(str, "version", changed)
    lastUpdate = prop(str, "lastUpdate", changed)  # local "HH:MM", "" when never
    detail = prop(str, "detail", changed)
    statusAgeMin = prop(int, "statusAgeMin", changed)  # freshest availability shown, minutes; -1 none

    def set_status_age(self, minutes: float | None) -> None:
        self.update(statusAgeMin=-1 if minutes is None else int(minutes))

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
            version="" if status.version is None else version_text(status.version),
            lastUpdate=last or self._state["lastUpdate"],
            detail=status.detail,
        )
