"""The reference car's lights over CAN: the simulator's light sensor and low beams follow the sun
over the route, decode into their COVESA VSS paths, and the screen's day/night takes them first."""

from __future__ import annotations

from datetime import UTC, datetime

from geo.routes import route_between
from ivi.can import CanDatabase, Decoder, Simulator, VehicleSnapshot, VehicleState, load_mapping
from ivi.services.can_vehicle import LIGHT_INTENSITY, LOW_BEAM, darkness

ROUTE = route_between("Beijing", "Shanghai").points


def _drive(start_at: datetime) -> VehicleSnapshot:
    """Five simulated seconds of the reference car's frames, decoded: what the reader would hold."""
    db = CanDatabase.load()
    decoder = Decoder(db, load_mapping(db))
    state = VehicleState.for_decoder(decoder)
    last = 0.0
    for frame in Simulator(ROUTE, start_at=start_at).frames():
        updates, rejections = decoder.decode(frame)
        assert not rejections
        state.apply(updates)
        last = frame.timestamp_s
        if last > 5.0:
            break
    return state.snapshot(last)


def test_lights_follow_the_sun_and_the_screen_reads_the_headlamps_first() -> None:
    n = _drive(datetime(2026, 12, 1, 14, 0, tzinfo=UTC))  # 22:00 in Beijing
    d = _drive(datetime(2026, 12, 1, 4, 0, tzinfo=UTC))  # 12:00 in Beijing
    assert n.value(LOW_BEAM) is True and n.value(LIGHT_INTENSITY) == 0
    assert d.value(LOW_BEAM) is False and d.value(LIGHT_INTENSITY) == 100
    # The screen: headlamps decide, whatever the sun at the position says.
    assert darkness(n, ROUTE[0], datetime(2026, 12, 1, 4, 0, tzinfo=UTC)) == (True, "headlamps")
    assert darkness(d, ROUTE[0], datetime(2026, 12, 1, 14, 0, tzinfo=UTC)) == (False, "headlamps")
