"""Simulator → log / virtual bus → reader → state, with real python-can buses and log files."""

import threading
import time

import pytest

from ivi.can import BusSource, CanReader, FaultConfig, LogSource, Silence, Simulator
from ivi.can.bus import open_bus, read_log, shutdown
from ivi.can.sim_runner import run_simulator
from ivi.can.state import SOC_DISPLAYED, SPEED
from tests.waiting import wait_for

CHARGING = "Vehicle.Powertrain.TractionBattery.Charging.IsCharging"


def replay(path):
    reader = CanReader(LogSource(path)).start()
    assert reader.join(30)
    return reader


def test_learned_consumption_converges_to_the_simulators_truth(drive_asc):
    path, sim = drive_asc
    reader = replay(path)
    snap = reader.snapshot()
    assert reader.status.last_error is None and snap.rejected_total == 0
    assert snap.distance_learned_km == pytest.approx(sim.car.moving_km, rel=0.02)
    assert snap.consumption_kwh_per_km == pytest.approx(sim.true_consumption_kwh_per_km, rel=0.05)
    assert snap.soc_percent == pytest.approx(sim.displayed_soc_percent, abs=0.1)


def test_asc_and_blf_logs_round_trip_to_the_same_state(drive_asc, tmp_path):
    asc, _ = drive_asc
    blf = tmp_path / "drive.blf"
    from ivi.can.bus import LogWriter

    with LogWriter(blf) as w:
        for frame in read_log(asc):
            w.write(frame)
    a, b = replay(asc).snapshot(), replay(blf).snapshot()
    assert a.frames_accepted == b.frames_accepted > 10_000
    for path, sa in a.signals.items():
        sb = b.signals[path]
        assert (sa.value, sa.unit, sa.stale) == (sb.value, sb.unit, sb.stale), path
        assert sa.timestamp_s == pytest.approx(sb.timestamp_s, abs=1e-3)


def test_charging_stop_shows_up_on_the_bus(short_route, tmp_path):
    log = tmp_path / "charge.asc"
    sim = Simulator(short_route, start_soc_percent=40.0, charge_at=[], seed=5)
    sim.charge_to(43.0)  # the control channel, before the first tick
    run_simulator(sim, None, log=str(log))
    assert sim.stats.charge_stops and sim.stats.charge_stops[0][2] >= 43.0
    seen_charging = []
    reader = CanReader(
        LogSource(log), on_update=lambda ups: seen_charging.extend(u.value for u in ups if u.path == CHARGING)
    )
    reader.start().join(30)
    assert seen_charging[:3] == [False, True, False]
    assert reader.snapshot().soc_percent >= 42.0


def test_faults_are_counted_and_bms_silence_makes_soc_stale(short_route, tmp_path):
    log = tmp_path / "faults.asc"
    sim = Simulator(
        short_route,
        start_soc_percent=60.0,
        seed=9,
        faults=FaultConfig(drop_rate=0.02, corrupt_rate=0.02, silences=(Silence("BMS", 20.0, 10.0),)),
    )
    run_simulator(sim, None, log=str(log))
    soc_stale_at = []
    reader = CanReader(LogSource(log))
    # Feed by hand to look at the state at simulated times during the silence.
    for frame in read_log(log):
        reader.feed(frame)
        if 21.0 <= frame.timestamp_s <= 29.0:
            soc_stale_at.append(reader.snapshot(frame.timestamp_s).soc_stale)
    snap = reader.snapshot()
    assert soc_stale_at and all(soc_stale_at)
    assert not snap.soc_stale
    assert snap.rejections["bad_checksum"] > 0 and snap.rejections["wrong_dlc"] > 0
    # Corrupted BMS/VCU frames are caught by CRC/DLC: every SoC the state accepted is the true one.
    assert sim.stats.corrupted >= snap.rejections["bad_checksum"] + snap.rejections["wrong_dlc"] - 1
    assert snap.soc_percent == pytest.approx(sim.displayed_soc_percent, abs=0.1)


def test_simulator_on_virtual_bus_feeds_a_reader(short_route):
    channel = f"ivi-test-{time.monotonic_ns()}"
    updates = []
    reader = CanReader(BusSource("virtual", channel), on_update=updates.extend, queue_updates=True).start()
    bus = open_bus("virtual", channel)
    sim = Simulator(short_route[:2], start_soc_percent=75.0, speedup=200.0)
    try:
        result = run_simulator(sim, bus)
    finally:
        shutdown(bus)
    time.sleep(0.5)  # > 3 × the 100 ms BMS cycle
    reader.stop()
    snap = reader.snapshot()
    assert result.arrived and reader.status.frames_in == result.frames
    assert snap.rejected_total == 0
    assert snap.signals[SOC_DISPLAYED].value == pytest.approx(sim.displayed_soc_percent, abs=0.1)
    assert snap.soc_stale and snap.signals[SPEED].stale  # the bus went quiet: nothing shown as current
    assert reader.updates is not None and reader.updates.qsize() == len(updates) > 1000
    lat = snap.signals["Vehicle.CurrentLocation.Latitude"].value
    assert lat == pytest.approx(short_route[1][0], abs=1e-3)


def test_stop_event_ends_a_paced_run(short_route):
    bus = open_bus("virtual", f"ivi-stop-{time.monotonic_ns()}")
    stop = threading.Event()
    threading.Timer(0.3, stop.set).start()
    t0 = time.monotonic()
    try:
        result = run_simulator(Simulator(short_route, speedup=1.0), bus, stop_event=stop)
    finally:
        shutdown(bus)
    assert result.stopped and not result.arrived and time.monotonic() - t0 < 2.0


@pytest.mark.parametrize("speedup", [20.0])
def test_learned_consumption_is_right_under_speedup_on_a_virtual_bus(short_route, speedup):
    """Time steps come from the BMS alive counter × cycle time, not from receive times."""
    channel = f"ivi-speedup-{time.monotonic_ns()}"
    reader = CanReader(BusSource("virtual", channel)).start()
    bus = open_bus("virtual", channel)
    sim = Simulator(short_route[:2], start_soc_percent=75.0, speedup=speedup, seed=4)
    try:
        result = run_simulator(sim, bus)
    finally:
        shutdown(bus)
    time.sleep(0.3)
    reader.stop()
    snap = reader.snapshot()
    assert result.arrived and reader.status.frames_in == result.frames and snap.rejected_total == 0
    assert snap.distance_learned_km == pytest.approx(sim.car.moving_km, rel=0.03)
    assert snap.consumption_kwh_per_km == pytest.approx(sim.true_consumption_kwh_per_km, rel=0.05)


def test_a_reader_on_a_virtual_bus_takes_j1939_groups_from_any_source_address(tmp_path):
    import json

    from ivi.can import CanDatabase, Frame
    from ivi.can.bus import send
    from tests.can.conftest import corpus_file

    dbc = corpus_file("cantools/j1939.dbc")
    leaf = {"type": "sensor", "datatype": "double", "dbc2vss": {"signal": "Signal1", "interval_ms": 0}}
    (tmp_path / "m.json").write_text(json.dumps({"Vehicle": {"type": "branch", "children": {"S": leaf}}}))
    db = CanDatabase.load(dbc)
    m = db.message_by_name("Message1")
    channel = f"ivi-j1939-{time.monotonic_ns()}"
    reader = CanReader(BusSource("virtual", channel), dbc=dbc, mapping=tmp_path / "m.json").start()
    bus = open_bus("virtual", channel)
    try:
        for i, source_address in enumerate([0x00, 0x42, 0x17]):
            fid = (m.frame_id & 0x03FFFF00) | 6 << 26 | source_address
            send(bus, Frame(fid, db.encode(m.key, {"Signal1": i + 1}), 0.0, is_extended=True))
            send(bus, Frame(fid ^ 0x10000, bytes(8), 0.0, is_extended=True))  # another PGN: filtered out
            assert wait_for(lambda i=i: reader.snapshot().signals["Vehicle.S"].value == i + 1)
        assert reader.status.frames_in == 3 and reader.snapshot().rejected_total == 0
    finally:
        reader.stop()
        shutdown(bus)
