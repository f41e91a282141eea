"""The car's side, offline: will the station be full, or down, when I get there, and why.

:func:`predict` takes the (decoded) model, a station, the arrival instant (timezone-aware: the
station's OCPI ``time_zone`` decides which hour of which day it is) and, when the cache has one,
the station's live status. A fresh live status overrides the history for the near future and
fades into it with the half-life the learner fitted for that kind of place (:mod:`.halflife`);
an outage fades with the station's mean time to repair instead. A station the model does not
know borrows its peers' numbers (same network, place and size) and says so.

Reasons are plain data in English and Chinese (``Reason.en`` / ``Reason.zh``); the screen picks
the language and the layout.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from chargers.errors import OccupancyError
from chargers.models import status_age_min
from chargers.occupancy.calendar import bin_index, calendar_knows, day_of, describe_bin
from chargers.occupancy.events import BUSY, CLASS_OF_CODE, CODE_OF_STATUS, DOWN, FREE, UNSEEN
from chargers.occupancy.halflife import weight
from chargers.occupancy.model import GroupModel, OccupancyModel, StationFlags, StationModel
from chargers.occupancy.observe import S_DOWN, S_FREE, S_FULL, S_UNKNOWN
from chargers.occupancy.places import Place, StationInfo, size_class
from chargers.occupancy.window import zone

__all__ = ["LiveStatus", "Prediction", "Reason", "predict"]

#: A charger out of order this share of the time is "often out of order".
OFTEN_DOWN = 0.10
#: A live status weighing less than this no longer counts as the prediction's basis.
LIVE_MATTERS = 0.01
#: Used for an outage's fade when no repair was ever seen to end.
DEFAULT_MTTR_H = 12.0
NETWORK_ZH = {"NIO": "蔚来", "XPENG": "小鹏", "LI_AUTO": "理想"}
PLACE_EN = {Place.HIGHWAY: "service-area", Place.CITY: "city", Place.DESTINATION: "destination"}
PLACE_ZH = {Place.HIGHWAY: "服务区", Place.CITY: "城市", Place.DESTINATION: "目的地"}


@dataclass(frozen=True)
class LiveStatus:
    """What the cache says of a station right now: EVSE counts by meaning, and when it was said."""

    available: int
    busy: int
    down: int
    observed_at: datetime  # the newest EVSE ``last_updated``
    unknown: int = 0

    @classmethod
    def from_evses(cls, statuses: Iterable[tuple[str, str]], now: datetime) -> LiveStatus | None:
        """From ``(OCPI status, last_updated)`` per EVSE; None when no status is readable."""
        counts = [0] * 5
        newest: float | None = None
        for status, updated in statuses:
            counts[CLASS_OF_CODE[CODE_OF_STATUS.get(status, 6)]] += 1
            age = status_age_min(updated, now)
            if age is not None:
                newest = age if newest is None else min(newest, age)
        if newest is None:
            return None
        return cls(counts[FREE], counts[BUSY], counts[DOWN], now - timedelta(minutes=newest), counts[UNSEEN])

    @property
    def state(self) -> int:
        if self.available:
            return S_FREE
        if self.unknown:
            return S_UNKNOWN
        if self.busy:
            return S_FULL
        return S_DOWN if self.down else S_UNKNOWN


@dataclass(frozen=True)
class Reason:
    key: str  # what kind: "live", "occupancy", "wait", "reliability", "history"
    en: str
    zh: str


@dataclass(frozen=True)
class Prediction:
    station_id: str
    arrival: datetime
    p_full: float  # every working EVSE taken at arrival
    p_fail: float  # no EVSE works at arrival: the stop fails
    expected_wait_min: float  # averaged over full and not full
    wait_if_full_min: float
    usually: str  # "full", "busy" or "free" at that hour (history alone): what the screen shows
    basis: str  # "live", "live+history", "history" or "peers"
    flags: StationFlags
    often_down: int  # EVSEs often out of order
    evse_count: int
    holiday: str | None  # the holiday the arrival falls on (or is the eve of), in English
    reasons: tuple[Reason, ...]


def _peer_station(model: OccupancyModel, station_id: str, peers: StationInfo | None) -> StationModel:
    if peers is None:
        raise OccupancyError(f"station {station_id} is not in the model and no peers were given")
    group = model.find_group(peers.network, peers.place, size_class(peers.evse_count))
    if group is None:
        raise OccupancyError(f"the model has no stations like {station_id} ({peers.place.label})")
    gi = model.groups.index(group)
    return StationModel(
        station_id, gi, peers.time_zone, group.profile, 0.0, 0.0, 1.0, group.down_share, 0, StationFlags.NO_HISTORY, ()
    )


def _mttr_h(m: StationModel) -> float:
    times = sorted(e.mttr_h for e in m.evses if e.mttr_h is not None)
    return times[len(times) // 2] if times else DEFAULT_MTTR_H


def predict(
    model: OccupancyModel,
    station_id: str,
    arrival: datetime,
    *,
    live: LiveStatus | None = None,
    peers: StationInfo | None = None,
) -> Prediction:
    """P(full), P(the stop fails) and the expected wait at ``arrival`` (timezone-aware)."""
    if arrival.tzinfo is None:
        raise OccupancyError("the arrival must be timezone-aware")
    m = model.stations.get(station_id) or _peer_station(model, station_id, peers)
    g = model.group_of(m)
    local = arrival.astimezone(zone(m.time_zone))
    day = day_of(local.date())
    b = bin_index(day, local.hour)
    p_hist = model.p_full(m, b)
    wait_full = model.wait_if_full_min(m, b)
    p_down_hist = m.down_share
    p_full, p_down, basis = p_hist, p_down_hist, "peers" if m.flags & StationFlags.NO_HISTORY else "history"
    w = 0.0
    if live is not None and live.state != S_UNKNOWN:
        lead_s = (arrival - live.observed_at).total_seconds()
        w = weight(lead_s, model.half_life_min[g.place] if g.place < len(model.half_life_min) else 30.0)
        w_down = weight(lead_s, _mttr_h(m) * 60.0 * math.log(2))  # an outage's half-life: MTTR·ln 2
        x_full = 1.0 if live.state == S_FULL else 0.0
        x_down = 1.0 if live.state == S_DOWN else 0.0
        p_full = w * x_full + (1 - w) * p_hist * (1 - x_down * w_down)
        p_down = w_down * x_down + (1 - w_down) * p_down_hist
        said = max(w, w_down * x_down)  # how much the live status still counts
        if said >= LIVE_MATTERS:  # else it has faded into the history: the basis stays what it was
            basis = "live" if w >= 0.9 else "live+history"
    often = sum(e.down_share >= OFTEN_DOWN for e in m.evses)
    n = len(m.evses) or (peers.evse_count if peers else 0)
    reasons = _reasons(m, g, b, p_hist, p_full, wait_full, live, w, often, n)
    holiday = day.holiday_name.name_en if day.holiday is not None and day.holiday_name is not None else None
    if not calendar_knows(local.date()):
        holiday = None
    return Prediction(
        station_id,
        arrival,
        round(p_full, 4),
        round(p_down, 4),
        round(p_full * wait_full, 1),
        round(wait_full, 1),
        "full" if p_hist >= 0.5 else "busy" if p_hist >= 0.2 else "free",
        basis,
        m.flags,
        often,
        n,
        holiday,
        reasons,
    )


def _reasons(
    m: StationModel,
    g: GroupModel,
    b: int,
    p_hist: float,
    p_full: float,
    wait_full: float,
    live: LiveStatus | None,
    w: float,
    often: int,
    n: int,
) -> tuple[Reason, ...]:
    out = []
    if live is not None and w >= 0.5:
        total = live.available + live.busy + live.down + live.unknown
        if live.state == S_FREE:
            out.append(
                Reason("live", f"{live.available} of {total} free now", f"现在{total}个中有{live.available}个空闲")
            )
        elif live.state == S_FULL:
            out.append(
                Reason("live", f"all {live.busy} working chargers taken now", f"现在{live.busy}个可用充电桩全部占用")
            )
        elif live.state == S_DOWN:
            out.append(Reason("live", "out of service now", "目前整站无法使用"))
    when_en, when_zh = describe_bin(b)
    if p_hist >= 0.5:
        out.append(Reason("occupancy", f"usually full {when_en}", f"{when_zh}通常满"))
    elif p_hist >= 0.2:
        out.append(Reason("occupancy", f"often full {when_en}", f"{when_zh}经常满"))
    elif p_hist < 0.05:
        out.append(Reason("occupancy", f"usually free {when_en}", f"{when_zh}通常有空位"))
    else:
        out.append(Reason("occupancy", f"sometimes full {when_en}", f"{when_zh}偶尔满"))
    if p_full * wait_full >= 5:
        minutes = round(p_full * wait_full / 5) * 5
        out.append(Reason("wait", f"expect to wait about {minutes} min", f"预计等待约{minutes}分钟"))
    if often:
        out.append(
            Reason("reliability", f"{often} of {n} chargers often out of order", f"{n}个充电桩中有{often}个经常故障")
        )
    if m.down_share >= 0.02:
        out.append(Reason("reliability", "often entirely out of service", "经常整站无法使用"))
    if m.flags & StationFlags.NO_HISTORY:
        net_zh = NETWORK_ZH.get(g.network, g.network)
        out.append(
            Reason(
                "history",
                f"no history yet: the average {g.network} {PLACE_EN[g.place]} station",
                f"暂无历史数据：按{net_zh}{PLACE_ZH[g.place]}站平均估计",
            )
        )
    elif m.flags & StationFlags.SPARSE:
        out.append(Reason("history", "little history yet", "历史数据较少"))
    return tuple(out)
