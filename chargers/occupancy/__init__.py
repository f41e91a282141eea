"""Partner reliability and predicted occupancy: which charger will work, and be free, when I get there.

Pure code over plain data (no I/O, no clock; time comes in as arguments):

* :mod:`.calendar` — the official Chinese holiday schedule and the kinds of day the model tells apart;
* :mod:`.simulate` — a realistic, deterministic history of partner statuses (arrivals, queues,
  sessions, faults, repairs), assumptions in :mod:`.demand`, sources in docs/data.md;
* :mod:`.stream` — that history as the OCPI status stream partners send, and as a receiver that
  was disconnected for a while holds it;
* :mod:`.learn` — the operator's learner: status stream in, :class:`OccupancyModel` out;
* :mod:`.encoding` — the model as compact, checksummed bytes for the OTA sync;
* :mod:`.predict` — the car's offline prediction at an arrival instant, live status blended in;
* :mod:`.scoring` — Brier score and log loss, the baselines, used by ``python -m bench.occupancy``.

docs/occupancy.md explains the model and its evaluation.
"""

from chargers.occupancy.calendar import SCHEDULES, Day, Holiday, HolidayKind, day_of
from chargers.occupancy.encoding import decode_model, encode_model, station_bytes
from chargers.occupancy.learn import LearnSettings, OccupancyLearner
from chargers.occupancy.model import EvseReliability, GroupModel, OccupancyModel, StationFlags, StationModel
from chargers.occupancy.places import Place, StationInfo, catalog, place_of
from chargers.occupancy.predict import LiveStatus, Prediction, Reason, predict
from chargers.occupancy.simulate import StationHistory, WaitOutcome, realised_wait, simulate, simulate_station
from chargers.occupancy.stream import after_outages, live_stream, ocpi_changes, receiver_outages
from chargers.occupancy.window import Window

__all__ = [
    "SCHEDULES",
    "Day",
    "EvseReliability",
    "GroupModel",
    "Holiday",
    "HolidayKind",
    "LearnSettings",
    "LiveStatus",
    "OccupancyLearner",
    "OccupancyModel",
    "Place",
    "Prediction",
    "Reason",
    "StationFlags",
    "StationHistory",
    "StationInfo",
    "StationModel",
    "WaitOutcome",
    "Window",
    "after_outages",
    "catalog",
    "day_of",
    "decode_model",
    "encode_model",
    "live_stream",
    "ocpi_changes",
    "place_of",
    "predict",
    "realised_wait",
    "receiver_outages",
    "simulate",
    "simulate_station",
    "station_bytes",
]
