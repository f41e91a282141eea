import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivi.can import ConsumptionLearner, SignalUpdate, VehicleState
from ivi.can.state import PACK_CURRENT, PACK_VOLTAGE, SOC_DISPLAYED, SPEED


def test_signal_goes_stale_after_three_cycles(decoder):
    state = VehicleState.for_decoder(decoder)
    state.apply([SignalUpdate(SOC_DISPLAYED, 64.0, "percent", 100.0)])
    assert state.snapshot(100.29).soc_percent == 64.0 and not state.snapshot(100.29).soc_stale  # cycle 100 ms
    snap = state.snapshot(100.31)
    assert snap.soc_stale and snap.soc_percent is None and snap.display(SOC_DISPLAYED) == "--"
    assert snap.signals[SOC_DISPLAYED].value == 64.0  # the old value is kept, marked stale


def test_never_received_signals_are_stale(decoder):
    snap = VehicleState.for_decoder(decoder).snapshot(0.0)
    assert all(s.stale and s.value is None for s in snap.signals.values())
    assert "Vehicle.CurrentLocation.Latitude" in snap.signals


def test_on_change_suppresses_repeats_but_keeps_signal_fresh(decoder):
    state = VehicleState.for_decoder(decoder)
    gear = "Vehicle.Powertrain.Transmission.SelectedGear"  # on_change in the bundled mapping
    assert state.apply([SignalUpdate(gear, 127, "", 1.0)])
    assert state.apply([SignalUpdate(gear, 127, "", 1.1)]) == []
    assert not state.snapshot(1.35).signals[gear].stale


@given(st.floats(5, 60), st.floats(40, 150), st.floats(600, 850))
def test_learner_finds_constant_consumption(power_kw, speed_kmh, voltage):
    learner = ConsumptionLearner(min_km=0.1)
    current = power_kw * 1000 / voltage
    for i in range(3000):  # 300 s at 10 Hz
        t = i * 0.1
        learner.observe(PACK_VOLTAGE, voltage, t)
        learner.observe(SPEED, speed_kmh, t)
        learner.observe(PACK_CURRENT, -current, t)  # VSS: discharge is negative
    assert learner.kwh_per_km == pytest.approx(power_kw / speed_kmh, rel=0.01)


def test_learner_ignores_parked_time_and_gaps():
    learner = ConsumptionLearner(min_km=0.01)
    for i in range(100):
        t = i * 0.1
        learner.observe(PACK_VOLTAGE, 800.0, t)
        learner.observe(SPEED, 0.0, t)
        learner.observe(PACK_CURRENT, -10.0, t)
    assert learner.kwh_per_km is None and learner.distance_km == 0
    learner.observe(SPEED, 100.0, 10.0)
    learner.observe(SPEED, 100.0, 40.0)  # a 30 s silence is not integrated
    assert learner.distance_km == 0
