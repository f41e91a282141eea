"""One generic list model for QML: rows are plain dicts, roles are their keys.

Every list on the screen (stops, EVSEs, tariff windows, trip stops, search results) is a list of
dicts built by a pure function in its store; this model only moves them into Qt. ``replace``
sends ``dataChanged`` for rows that differ when the count is unchanged (the common case on a
moving car) so delegates are updated in place instead of being rebuilt.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    Property,
    QAbstractListModel,
    QByteArray,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)

from ivi.ui.signals import emit


class DictListModel(QAbstractListModel):
    countChanged = Signal()

    def __init__(self, roles: Sequence[str], parent: Any = None) -> None:
        super().__init__(parent)
        self._keys = list(roles)
        self._roles = {Qt.ItemDataRole.UserRole + 1 + i: k for i, k in enumerate(self._keys)}
        self._rows: list[dict[str, Any]] = []

    def roleNames(self) -> dict[int, QByteArray]:
        return {r: QByteArray(k.encode()) for r, k in self._roles.items()}

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        key = self._roles.get(role)
        return self._rows[index.row()].get(key) if key else None

    def rows(self) -> list[dict[str, Any]]:
        return list(self._rows)

    @Slot(int, result="QVariantMap")
    def get(self, row: int) -> dict[str, Any]:
        return dict(self._rows[row]) if 0 <= row < len(self._rows) else {}

    def _count(self) -> int:
        return len(self._rows)

    count = Property(int, _count, notify=countChanged)

    def replace(self, rows: Sequence[dict[str, Any]]) -> None:
        rows = [dict(r) for r in rows]
        if len(rows) == len(self._rows):
            for i, (old, new) in enumerate(zip(self._rows, rows, strict=False)):
                if old != new:
                    self._rows[i] = new
                    idx = self.index(i)
                    emit(self.dataChanged, idx, idx)
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()
        emit(self.countChanged)
