"""Freshness that cannot lie: frames from the future, clocks that step, counters that run backwards or jump,
values that change implausibly fast — each is stale or rejected, and counted."""

import re
import threading
import time
from importlib import resources

import pytest

from ivi.can import (
    BusSource,
    CanDatabase,
    CanReader,
    Decoder,
    Frame,
    LogSource,
    SignalUpdate,
    VehicleState,
    load_mapping,
)
from ivi.can.bus import open_bus, send, shutdown
from ivi.can.state import SOC_DISPLAYED, SPEED
from tests.waiting import wait_for

SPEED_ID, SOC_ID = 0x120, 0x2F0


def sealed(db, frame_id, counter, **values):
    m = db.messages[frame_id]
    full = {s.name: 0 for s in m.signals} | values | {m.e2e.counter_signal: counter}
    return m.e2e.seal(frame_id, db.encode(frame_id, full))


def speed(db, counter, kmh=50.0, ts=1.0):
    return Frame(SPEED_ID, sealed(db, SPEED_ID, counter, VCU_VehicleSpeed=kmh), ts)


class FakeClock:
    def __init__(self, t: float = 1000.0) -> None:
        self.t = t
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.t

    def advance(self, dt: float) -> None:
        with self._lock:
            self.t += dt


# --- time ------------------------------------------------------------------------------------------------


def test_a_value_stamped_in_the_future_is_stale_and_counted_once(decoder):
    state = VehicleState.for_decoder(decoder)
    state.apply([SignalUpdate(SOC_DISPLAYED, 64.0, "percent", 86_480.0)])
    for _ in range(2):
        snap = state.snapshot(100.0)  # age −86,380 s
        assert snap.soc_stale and snap.soc_percent is None
        assert snap.signals[SOC_DISPLAYED].reason == "timestamp in the future"
    assert snap.rejections == {"future_timestamp": 1}
    assert state.snapshot(86_480.1).soc_percent == 64.0  # once its time has come it is an ordinary value


def test_the_live_path_refuses_frames_stamped_after_now(database):
    clock = FakeClock(500.0)
    reader = CanReader(BusSource("virtual", "unused"), clock=clock)  # never started: fed by hand
    future = speed(database, 1, ts=clock() + 86_380.0)
    reader.feed_batch([(future.arbitration_id, future.data, future.timestamp_s, False, False, False)], clock())
    snap = reader.snapshot()
    assert snap.value(SPEED) is None and snap.rejections["future_timestamp"] == 1


def test_a_wall_clock_step_does_not_change_ages_on_the_live_path(database, monkeypatch):
    """python-can stamps frames with the wall clock; the reader ages them on its own monotonic clock."""
    clock = FakeClock()
    channel = f"ivi-step-{time.monotonic_ns()}"
    reader = CanReader(BusSource("virtual", channel), clock=clock).start()
    bus = open_bus("virtual", channel)
    try:
        wall = time.time
        monkeypatch.setattr(time, "time", lambda: wall() - 86_400.0)  # NTP steps the clock back a day
        send(bus, speed(database, 3, 42.0))
        assert wait_for(lambda: reader.snapshot().value(SPEED) == 42.0)
        monkeypatch.setattr(time, "time", lambda: wall() + 86_400.0)  # ... and forward two
        assert reader.snapshot().value(SPEED) == 42.0  # still fresh: nothing happened on the reader's clock
        clock.advance(0.061)  # > 3 × the 20 ms cycle
        snap = reader.snapshot()
        assert snap.value(SPEED) is None and snap.signals[SPEED].reason == "not refreshed"
        assert snap.rejected_total == 0
    finally:
        reader.stop()
        shutdown(bus)


def candump_line(frame: Frame) -> str:
    return f"({frame.timestamp_s:.6f}) can0 {frame.arbitration_id:03X}#{frame.data.hex().upper()}\n"


def test_a_log_whose_clock_steps_back_counts_the_step_and_never_shows_a_stale_value_as_fresh(database, tmp_path):
    """A candump log as the kernel stamped it, across a clock step back of an hour."""
    frames = [speed(database, i, 50.0 + i, ts=1000.0 + i * 0.02) for i in range(5)]
    frames.append(Frame(SOC_ID, sealed(database, SOC_ID, 0, BMS_SOC_Displayed=60.0), 1000.1))
    frames += [speed(database, i, 50.0 + i, ts=-2600.0 + i * 0.02) for i in range(5, 10)]
    log = tmp_path / "step.log"
    log.write_text("".join(candump_line(f) for f in frames))
    reader = CanReader(LogSource(log)).start()
    assert reader.join(10)
    snap = reader.snapshot()  # at the last frame's time, on the stepped clock
    assert snap.rejections["clock_step"] == 1  # the first frame after the step is older than the value it replaces
    assert snap.value(SPEED) == 59.0  # the newest value, fresh on the clock it came with
    assert snap.soc_stale and snap.signals[SOC_DISPLAYED].reason == "timestamp in the future"


# --- the alive counter (AUTOSAR E2E window) -----------------------------------------------------------------


def counters(decoder, database, values):
    out = []
    for i, c in enumerate(values):
        updates, rejections = decoder.decode(speed(database, c % 16, ts=1.0 + i * 0.02))
        out.append("ok" if updates else re.split(r" \(|: ", rejections[0].detail.split(": ", 1)[1])[0])
    return out


def test_a_backward_counter_is_a_replay_and_the_sequence_recovers_after_two_good_frames(decoder, database):
    assert counters(decoder, database, [5, 6, 7, 6, 7, 8, 9, 10]) == [
        "ok",
        "ok",
        "ok",
        "counter went back by 1",  # 7 → 6: replayed or foreign frame
        "counter resynchronising after a wrong sequence",
        "counter resynchronising after a wrong sequence",
        "ok",
        "ok",
    ]


def test_a_jump_beyond_the_window_is_rejected_and_lost_frames_within_it_are_not(decoder, database):
    assert counters(decoder, database, [1, 3, 6, 13, 14, 15, 16]) == [
        "ok",
        "ok",  # one frame lost
        "ok",  # two lost: still within MaxDeltaCounter 3
        "counter jumped by 7",
        "counter resynchronising after a wrong sequence",
        "counter resynchronising after a wrong sequence",
        "ok",
    ]


def test_a_repeated_counter_is_a_frozen_sender(decoder, database):
    assert counters(decoder, database, [4, 4, 4, 5])[1:] == [
        "counter repeated at 4",
        "counter repeated at 4",
        "ok",
    ]


def test_the_window_comes_from_the_dbc_when_it_says(tmp_path):
    text = (resources.files("ivi.can") / "data" / "su7.dbc").read_text(encoding="utf-8")
    text = text.replace(
        'BA_DEF_ BO_ "E2E_CounterSignal" STRING ;',
        'BA_DEF_ BO_ "E2E_CounterSignal" STRING ;\nBA_DEF_ BO_ "E2E_MaxDeltaCounter" INT 1 14;',
    )
    (tmp_path / "strict.dbc").write_text(text + '\nBA_ "E2E_MaxDeltaCounter" BO_ 288 1;\n', encoding="utf-8")
    db = CanDatabase.load(tmp_path / "strict.dbc")
    assert db.messages[SPEED_ID].e2e.window.max_delta == 1
    decoder = Decoder(db, load_mapping(db))
    assert counters(decoder, db, [1, 3])[1] == "counter jumped by 2"


# --- plausibility -------------------------------------------------------------------------------------------


def soc(database, counter, percent, ts):
    return Frame(SOC_ID, sealed(database, SOC_ID, counter, BMS_SOC_Displayed=percent), ts)


def test_state_of_charge_cannot_jump_20_percent_in_100_ms(decoder, database):
    ups, _ = decoder.decode(soc(database, 1, 50.0, 10.0))
    assert {u.path: u.value for u in ups}[SOC_DISPLAYED] == 50.0
    ups, rejections = decoder.decode(soc(database, 2, 70.0, 10.1))
    assert SOC_DISPLAYED not in {u.path for u in ups}
    assert [(r.reason.value, r.path) for r in rejections] == [("implausible_change", SOC_DISPLAYED)]
    ups, _ = decoder.decode(soc(database, 3, 50.1, 10.2))
    assert {u.path: u.value for u in ups}[SOC_DISPLAYED] == pytest.approx(50.1)
    ups, _ = decoder.decode(soc(database, 4, 70.0, 12.2))  # a recalibration: 20 % over 2 s passes the bound
    assert {u.path: u.value for u in ups}[SOC_DISPLAYED] == 70.0


def test_no_limit_no_check(database, mapping):
    decoder = Decoder(database, mapping, change_limits={})
    decoder.decode(soc(database, 1, 50.0, 10.0))
    ups, rejections = decoder.decode(soc(database, 2, 70.0, 10.1))
    assert rejections == [] and {u.path: u.value for u in ups}[SOC_DISPLAYED] == 70.0
