"""Fixtures for the CAN tests: real DBCs, real python-can buses and log files, a real
python-can-remote server on a free loopback port."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ivi.can import CanDatabase, Decoder, Simulator, load_mapping
from ivi.can.sim_runner import run_simulator
from tests.waiting import free_port, wait_port

DATA = Path(__file__).parent / "data"


def _find_corpus() -> Path:
    """Real cars' DBCs (opendbc, cantools' test files, KUKSA's Model 3), kept outside the repository:
    ``$IVI_CAN_CORPUS``, else ``shared/can-corpus`` beside the checkout or beside any folder above it
    (``/work/main/../shared``), else the workplace's ``/work/shared`` (a CI clone elsewhere)."""
    if os.environ.get("IVI_CAN_CORPUS"):
        return Path(os.environ["IVI_CAN_CORPUS"])
    root = Path(__file__).resolve().parents[2]
    for folder in (root, *root.parents):
        candidate = folder.parent / "shared" / "can-corpus"
        if candidate.is_dir():
            return candidate
    return Path("/work/shared/can-corpus")


CORPUS = _find_corpus()


def corpus_file(relative: str) -> Path:
    """A corpus file, or a skip that says where the corpus was looked for."""
    path = CORPUS / relative
    if not path.is_file():
        pytest.skip(f"real-car DBC corpus not found: {path} (set IVI_CAN_CORPUS to the can-corpus folder)")
    return path


#: ~3 km in Beijing: urban start, a short fast middle, urban end. A few seconds of CPU to simulate.
SHORT_ROUTE = [(39.900, 116.400), (39.910, 116.410), (39.920, 116.420)]


@pytest.fixture(scope="session")
def database() -> CanDatabase:
    return CanDatabase.load()


@pytest.fixture(scope="session")
def mapping(database):  # type: ignore[no-untyped-def]
    return load_mapping(database)


@pytest.fixture()
def decoder(database, mapping) -> Decoder:  # type: ignore[no-untyped-def]
    return Decoder(database, mapping)


@pytest.fixture(scope="session")
def drive_asc(tmp_path_factory) -> tuple[Path, Simulator]:  # type: ignore[no-untyped-def]
    """One simulated drive written to an .asc log (shared: the simulation is the slow part)."""
    path = tmp_path_factory.mktemp("drive") / "drive.asc"
    sim = Simulator(SHORT_ROUTE, start_soc_percent=70.0, outside_temp_c=5.0, seed=3)
    run_simulator(sim, None, log=str(path))
    return path, sim


@pytest.fixture()
def remote_bus_server():  # type: ignore[no-untyped-def]
    """A python-can-remote server serving a virtual bus on loopback; yields its ws:// URL."""
    port = free_port()
    proc = start_remote_server(port, f"srv{port}")
    yield f"ws://127.0.0.1:{port}/", proc, port
    proc.terminate()
    proc.wait(5)


def start_remote_server(port: int, channel: str) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "can_remote", "-i", "virtual", "-c", channel, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_port(port, proc)
    except RuntimeError as exc:
        proc.kill()
        pytest.fail(f"python-can-remote server did not start: {exc}")
    return proc


@pytest.fixture(scope="session")
def short_route() -> list[tuple[float, float]]:
    return list(SHORT_ROUTE)
