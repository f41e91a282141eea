"""The car's prediction: local time decides the hour, a fresh live status overrides the history and
fades into it at the learned half-life, reliability and fallbacks speak in both languages."""

import itertools
import math
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chargers.errors import OccupancyError
from chargers.occupancy import (
    EvseReliability,
    GroupModel,
    LiveStatus,
    OccupancyModel,
    Place,
    StationFlags,
    StationInfo,
    StationModel,
    decode_model,
    encode_model,
    predict,
)
from chargers.occupancy.calendar import REGULAR_BINS
from chargers.occupancy.halflife import LEADS_MIN, LeadSums, fit_half_life, hour_weight, weight

SHANGHAI = timezone(timedelta(hours=8))
FRIDAY_18 = 4 * 24 + 18
HALF_LIFE = 20.0


def model(
    profile_at: dict[int, float] | None = None, evses: tuple[EvseReliability, ...] = (), down: float = 0.0
) -> OccupancyModel:
    profile = [0.02] * REGULAR_BINS
    for b, p in (profile_at or {FRIDAY_18: 0.8}).items():
        profile[b] = p
    holiday = tuple([0.5] * 96)
    group = GroupModel(
        "NIO", Place.HIGHWAY, 1, tuple(profile), holiday, (3.0, 5, 8, 12, 15, 20, 30, 40), 0.001, True, 10
    )
    ok = EvseReliability(0.01, 1.0, 8.0)
    station = StationModel(
        "S", 0, "Asia/Shanghai", tuple(profile), 0.0, 0.0, 1.0, down, 2000, StationFlags.NONE, evses or (ok,) * 6
    )
    return OccupancyModel(0, 0, 0, (HALF_LIFE, 10.0, 30.0), (group,), {"S": station})


def friday_18_local() -> datetime:
    return datetime(2026, 11, 6, 18, 20, tzinfo=SHANGHAI)


def test_local_time_decides_the_hour() -> None:
    m = model()
    here = predict(m, "S", friday_18_local())
    utc = predict(m, "S", friday_18_local().astimezone(UTC))
    assert here.p_full == utc.p_full == pytest.approx(0.8, abs=1e-4)
    assert here.usually == "full" and here.basis == "history"
    assert here.reasons[0].en == "usually full at 18:00 on Fridays" and here.reasons[0].zh == "周五 18:00通常满"
    assert predict(m, "S", friday_18_local() - timedelta(hours=3)).usually == "free"
    with pytest.raises(OccupancyError, match="timezone-aware"):
        predict(m, "S", datetime(2026, 11, 6, 18))


def test_holidays_use_the_holiday_profile() -> None:
    p = predict(model(), "S", datetime(2026, 10, 1, 10, tzinfo=SHANGHAI))
    assert p.holiday == "National Day" and p.p_full == pytest.approx(0.5, abs=1e-3)
    assert "first day of a holiday" in p.reasons[0].en and "假期首日" in p.reasons[0].zh


def test_a_fresh_status_overrides_and_fades_at_the_half_life() -> None:
    m = model()
    arrival = friday_18_local() - timedelta(hours=3)  # a quiet hour: history says 0.02
    full_now = LiveStatus(0, 6, 0, arrival)
    assert predict(m, "S", arrival, live=full_now).p_full == pytest.approx(1.0)
    half = predict(m, "S", arrival, live=LiveStatus(0, 6, 0, arrival - timedelta(minutes=HALF_LIFE)))
    assert half.p_full == pytest.approx(0.5 * 1 + 0.5 * 0.02, abs=1e-3) and half.basis == "live+history"
    assert "all 6 working chargers taken now" in [r.en for r in half.reasons]
    leads = [0, 5, 10, 20, 40, 80, 160, 320]
    ps = [predict(m, "S", arrival, live=LiveStatus(0, 6, 0, arrival - timedelta(minutes=t))).p_full for t in leads]
    assert all(a > b for a, b in itertools.pairwise(ps)) and ps[-1] == pytest.approx(0.02, abs=0.001)
    # A free station at the rush hour: the live status wins now, the rush wins later.
    rush = friday_18_local()
    free_now = [
        predict(m, "S", rush, live=LiveStatus(3, 3, 0, rush - timedelta(minutes=t))).p_full for t in (0, 20, 200)
    ]
    assert free_now[0] == 0.0 and free_now[1] == pytest.approx(0.4, abs=1e-3) and free_now[2] > 0.79
    assert predict(m, "S", rush, live=LiveStatus(3, 3, 0, rush)).reasons[0].zh == "现在6个中有3个空闲"


def test_an_outage_fades_with_the_time_to_repair() -> None:
    m = model()
    arrival = friday_18_local() - timedelta(hours=3)
    down_now = LiveStatus(0, 0, 6, arrival)
    assert predict(m, "S", arrival, live=down_now).p_fail == pytest.approx(1.0)
    later = predict(m, "S", arrival, live=LiveStatus(0, 0, 6, arrival - timedelta(hours=8)))
    assert later.p_fail == pytest.approx(math.exp(-1), abs=0.001)  # repairs take 8 h on average: e^(-8/8) still down
    assert predict(m, "S", arrival).p_fail == 0.0


def test_reliability_speaks_both_languages() -> None:
    flaky = EvseReliability(0.3, 20.0, 30.0)
    ok = EvseReliability(0.0, 0.0, None)
    p = predict(model(evses=(flaky, flaky, ok, ok, ok, ok), down=0.03), "S", friday_18_local())
    texts = {(r.key, r.en, r.zh) for r in p.reasons}
    assert ("reliability", "2 of 6 chargers often out of order", "6个充电桩中有2个经常故障") in texts
    assert ("reliability", "often entirely out of service", "经常整站无法使用") in texts
    assert p.often_down == 2 and p.evse_count == 6 and p.p_fail == 0.03


def test_expected_wait_grows_with_congestion() -> None:
    m = model({FRIDAY_18: 0.8, FRIDAY_18 - 2: 0.1})
    busy, quiet = predict(m, "S", friday_18_local()), predict(m, "S", friday_18_local() - timedelta(hours=2))
    assert busy.wait_if_full_min == 40 and busy.expected_wait_min == pytest.approx(32.0)
    assert quiet.wait_if_full_min == 12 and quiet.expected_wait_min == pytest.approx(1.2)
    assert ("wait", "expect to wait about 30 min", "预计等待约30分钟") in {(r.key, r.en, r.zh) for r in busy.reasons}


def test_a_station_the_model_does_not_know_borrows_its_peers() -> None:
    m = model()
    peers = StationInfo("NEW", "NIO", Place.HIGHWAY, ("a", "b", "c", "d", "e"), "Asia/Shanghai", 250.0)
    p = predict(m, "NEW", friday_18_local(), peers=peers)
    assert p.basis == "peers" and p.flags & StationFlags.NO_HISTORY and p.p_full == pytest.approx(0.8, abs=1e-4)
    assert p.reasons[-1].en == "no history yet: the average NIO service-area station"
    assert p.reasons[-1].zh == "暂无历史数据：按蔚来服务区站平均估计"
    with pytest.raises(OccupancyError, match="not in the model"):
        predict(m, "NEW", friday_18_local())


def test_predictions_survive_the_encoding() -> None:
    m = decode_model(encode_model(model()))
    assert predict(m, "S", friday_18_local()).p_full == pytest.approx(0.8, abs=0.005)


def test_live_status_from_the_cache() -> None:
    now = datetime(2026, 11, 6, 10, tzinfo=UTC)
    live = LiveStatus.from_evses(
        [
            ("CHARGING", "2026-11-06T09:50:00Z"),
            ("OUTOFORDER", "2026-11-01T00:00:00Z"),
            ("AVAILABLE", "2026-11-06T09:55:00Z"),
        ],
        now,
    )
    assert live is not None and (live.available, live.busy, live.down) == (1, 1, 1)
    assert live.observed_at == datetime(2026, 11, 6, 9, 55, tzinfo=UTC)
    assert LiveStatus.from_evses([("CHARGING", "")], now) is None


@given(st.floats(0, 600), st.floats(1, 600))
def test_hour_weight_is_the_mean_weight_over_the_hour(lead_min: float, half_life: float) -> None:
    steps = 600
    mean = sum(weight((lead_min + (i + 0.5) * 60 / steps) * 60, half_life) for i in range(steps)) / steps
    assert hour_weight(lead_min * 60, half_life) == pytest.approx(mean, rel=1e-3, abs=1e-9)


@pytest.mark.parametrize("true_half_life", [8.0, 30.0, 120.0])
def test_the_half_life_fit_recovers_a_known_one(true_half_life: float) -> None:
    sums = LeadSums()
    sums.count = 1
    for i, lead in enumerate(LEADS_MIN):
        sums.xx[i] = 1.0
        sums.xy[i] = hour_weight(lead * 60, true_half_life)  # the Brier-optimal weight at each lead
    assert fit_half_life(sums) == pytest.approx(true_half_life, rel=0.07)
    assert math.isclose(fit_half_life(LeadSums()), 30.0)


def test_a_live_status_that_has_faded_is_no_longer_the_basis() -> None:
    m = model()
    arrival = friday_18_local() - timedelta(hours=3)
    old = predict(m, "S", arrival, live=LiveStatus(0, 6, 0, arrival - timedelta(hours=4)))
    assert old.basis == "history" and old.p_full == pytest.approx(0.02, abs=1e-3)
    assert predict(m, "S", arrival, live=LiveStatus(0, 6, 0, arrival - timedelta(minutes=60))).basis == "live+history"
