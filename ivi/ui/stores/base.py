"""A tiny base for stores: plain attributes behind read-only Qt properties that share one
``changed`` signal, emitted only when a value really changed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Property, QObject, Signal

from ivi.ui.signals import emit


def prop(type_: Any, attr: str, notify: Signal) -> Property:
    """A read-only Qt property over ``self._state[attr]``."""
    return Property(type_, lambda self: self._state[attr], notify=notify)


class Store(QObject):
    """Subclasses declare ``changed = Signal()``, ``_state`` defaults and ``prop(...)`` s."""

    _defaults: dict[str, Any] = {}

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state: dict[str, Any] = dict(self._defaults)

    def update(self, **values: Any) -> bool:
        """Set values; emit ``changed`` once if any differs. Returns whether anything changed."""
        diff = {k: v for k, v in values.items() if self._state.get(k) != v}
        if diff:
            self._state.update(diff)
            emit(self.changed)  # type: ignore[attr-defined]  # each subclass declares its own Signal
        return bool(diff)

    def value(self, key: str) -> Any:
        return self._state[key]
