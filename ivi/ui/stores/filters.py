"""FiltersStore: which chargers the driver wants to see, remembered between runs.

Kept as a small JSON file whose path the composition root gives (``ivi.settings``: the user
config dir, ``IVI_CONFIG_DIR`` or ``--config-dir``). A damaged file is ignored with a message on
screen; the defaults apply.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from ivi.services.ports import NETWORKS, Filters
from ivi.ui.signals import emit
from ivi.ui.stores.base import Store, prop

ALL_NETWORKS = tuple(NETWORKS)
POWER_STEPS_KW = (0, 60, 120, 250, 400)


@dataclass(frozen=True)
class FilterChoice:
    networks: tuple[str, ...] = ALL_NETWORKS
    min_power_kw: int = 0
    available_only: bool = False
    green_only: bool = False
    include_ac: bool = False  # AC destination chargers in the list (applied by the screen, not the query)

    @property
    def active_count(self) -> int:
        """How many filters narrow the list (for the "Filters (2)" button)."""
        return (
            (set(self.networks) != set(ALL_NETWORKS)) + (self.min_power_kw > 0) + self.available_only + self.green_only
        )

    def to_filters(self) -> Filters:
        nets = frozenset(self.networks)
        return Filters(
            networks=None if nets == set(ALL_NETWORKS) else nets,
            min_power_kw=float(self.min_power_kw),
            available_only=self.available_only,
            green_only=self.green_only,
        )


def load_choice(path: Path) -> tuple[FilterChoice, str]:
    """The saved choice and a problem description ("" when fine or simply absent)."""
    if not path.exists():
        return FilterChoice(), ""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        nets = tuple(n for n in doc.get("networks", ALL_NETWORKS) if n in ALL_NETWORKS)
        return FilterChoice(
            nets,
            int(doc.get("min_power_kw", 0)),
            bool(doc.get("available_only", False)),
            bool(doc.get("green_only", False)),
            bool(doc.get("include_ac", False)),
        ), ""
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        return FilterChoice(), f"saved filters unreadable ({exc}); using defaults"


def save_choice(path: Path, choice: FilterChoice) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(choice), indent=1), encoding="utf-8")
    tmp.replace(path)


class FiltersStore(Store):
    changed = Signal()
    filtersChanged = Signal()  # the choice changed (not emitted at start-up)

    _defaults = {
        "nio": True,
        "xpeng": True,
        "liAuto": True,
        "minPowerKw": 0,
        "availableOnly": False,
        "greenOnly": False,
        "includeAc": False,
        "activeCount": 0,
        "problem": "",
    }
    nio = prop(bool, "nio", changed)
    xpeng = prop(bool, "xpeng", changed)
    liAuto = prop(bool, "liAuto", changed)
    minPowerKw = prop(int, "minPowerKw", changed)
    availableOnly = prop(bool, "availableOnly", changed)
    greenOnly = prop(bool, "greenOnly", changed)
    includeAc = prop(bool, "includeAc", changed)
    activeCount = prop(int, "activeCount", changed)
    problem = prop(str, "problem", changed)

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        choice, problem = load_choice(self.path)
        self.choice = choice
        self._show(problem)

    def _show(self, problem: str | None = None) -> None:
        c = self.choice
        values: dict[str, object] = {
            "nio": "NIO" in c.networks,
            "xpeng": "XPENG" in c.networks,
            "liAuto": "LI_AUTO" in c.networks,
            "minPowerKw": c.min_power_kw,
            "availableOnly": c.available_only,
            "greenOnly": c.green_only,
            "includeAc": c.include_ac,
            "activeCount": c.active_count,
        }
        if problem is not None:
            values["problem"] = problem
        self.update(**values)

    def filters(self) -> Filters:
        return self.choice.to_filters()

    def set_choice(self, choice: FilterChoice) -> None:
        if choice == self.choice:
            return
        self.choice = choice
        try:
            save_choice(self.path, choice)
            self._show("")
        except OSError as exc:
            self._show(f"filters not saved: {exc}")
        emit(self.filtersChanged)

    @Slot(str)
    def toggleNetwork(self, network: str) -> None:
        nets = list(self.choice.networks)
        if network in nets:
            if len(nets) == 1:
                return  # never filter everything away
            nets.remove(network)
        elif network in ALL_NETWORKS:
            nets.append(network)
        self.set_choice(replace(self.choice, networks=tuple(n for n in ALL_NETWORKS if n in nets)))

    @Slot()
    def cycleMinPower(self) -> None:
        i = POWER_STEPS_KW.index(self.choice.min_power_kw) if self.choice.min_power_kw in POWER_STEPS_KW else 0
        self.set_choice(replace(self.choice, min_power_kw=POWER_STEPS_KW[(i + 1) % len(POWER_STEPS_KW)]))

    @Slot(int)
    def setMinPower(self, kw: int) -> None:
        self.set_choice(replace(self.choice, min_power_kw=max(0, int(kw))))

    @Slot()
    def toggleAvailable(self) -> None:
        self.set_choice(replace(self.choice, available_only=not self.choice.available_only))

    @Slot()
    def toggleGreen(self) -> None:
        self.set_choice(replace(self.choice, green_only=not self.choice.green_only))

    @Slot()
    def toggleAc(self) -> None:
        self.set_choice(replace(self.choice, include_ac=not self.choice.include_ac))

    @Slot()
    def clear(self) -> None:
        """ "Clear filters": every network, any power, not only available, not only green."""
        self.set_choice(FilterChoice(include_ac=self.choice.include_ac))
