"""What a decoded CAN value is: a plain number, or a name from the DBC's value table.

DBCs use value tables (``VAL_``) two ways. An *enum* signal names (nearly) every value it carries
(``0 "P" 1 "R" 2 "N" 3 "D"``); a *numeric* signal is a physical quantity whose table names only its
special states — ``511 "DI_UI_SPEED_SNA"``, ``255 "Fehler"``, ``0 "Init"`` — outside or at the edge of
its range. An unlisted value is a plain number either way (cantools' rule); a listed one is a
:class:`NamedValue`, compared with strings by name as cantools' ``NamedSignalValue`` is (so KUKSA
``mapping`` transforms and ``x == 'NAME'`` in ``math`` behave as in KUKSA).

:func:`is_enum` draws the line: a signal is an enum when it is unscaled (scale 1, offset 0, integer)
and its table names at least half of the values it can take (within its DBC range when the DBC gives
one). A named state of a numeric signal means "not available": the decoder withdraws the signal
instead of passing the raw number on as KUKSA does (511 km/h for an unavailable speed).
"""

from __future__ import annotations

from ivi.can.dbc import SignalSpec


class NamedValue:
    """A raw value the DBC names (``value`` is the raw integer, as in cantools). Immutable by convention:
    a plain class with slots, as it is made on the decoder's hot path."""

    __slots__ = ("name", "value")

    def __init__(self, value: int, name: str) -> None:
        self.value, self.name = value, name

    def __repr__(self) -> str:
        return f"NamedValue({self.value!r}, {self.name!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, NamedValue):
            return self.value == other.value and self.name == other.name
        if isinstance(other, str):
            return other == self.name
        return False

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(self.name)

    def __str__(self) -> str:
        return self.name


def is_enum(signal: SignalSpec) -> bool:
    """True when ``signal``'s value table describes what it carries, not just its special states."""
    choices, layout = signal.choices, signal.layout
    if not choices or layout is None or layout.is_float or not layout.identity:
        return False
    if signal.minimum is not None and signal.maximum is not None and signal.maximum > signal.minimum:
        low, high = int(signal.minimum), int(signal.maximum)
    elif layout.signed:
        low, high = -(1 << (layout.length_bits - 1)), (1 << (layout.length_bits - 1)) - 1
    else:
        low, high = 0, (1 << layout.length_bits) - 1
    named = sum(1 for raw in choices if low <= raw <= high)
    return 2 * named >= high - low + 1
