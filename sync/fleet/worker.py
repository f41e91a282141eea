"""A fleet worker process: many :class:`FleetCar` on one :class:`NetworkLoop` thread, steered by
JSON lines on stdin and answering with JSON lines on stdout (``python -m sync.fleet.worker``).

Commands (one object a line): ``setup`` {brokers: [[url, ...] per car], names, sqlite: [names],
db_dir, pubkeys, dataset, jitter}; ``start`` {rate: new sessions/s}; ``offline`` / ``online`` /
``wipe`` {cars}; ``report`` {id, digest: bool, connects_since: t}; ``stop``. Every command is
answered with one line ``{"id": ..., "ok": true, ...}`` (``report`` with each car's state)."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

import orjson

from sync.fleet.car import FleetCar
from sync.mqtt_loop import NetworkLoop
from sync.protocol.bodies import DEFAULT_DATASET
from sync.protocol.decoding import SharedDecoding
from sync.signing import load_verifier

__all__ = ["Worker", "main"]

log = logging.getLogger(__name__)


class Worker:
    """The cars of one process and the commands that steer them."""

    def __init__(self, loop: NetworkLoop) -> None:
        self.loop = loop
        self.cars: dict[str, FleetCar] = {}
        self.decoding = SharedDecoding()
        self.stopping = False

    def handle(self, cmd: dict[str, Any]) -> dict[str, Any]:
        op = cmd.get("op")
        out: dict[str, Any] = {"id": cmd.get("id"), "ok": True}
        if op == "setup":
            self._setup(cmd)
        elif op == "start":
            rate = float(cmd.get("rate") or 100.0)
            for i, car in enumerate(self.cars.values()):
                self.loop.call_later(i / rate, car.start)
        elif op in ("offline", "online", "wipe"):
            for name in cmd.get("cars", []):
                one = self.cars.get(name)
                if one is None:
                    continue
                if op == "offline":
                    one.go_offline()
                elif op == "online":
                    one.come_back()
                else:
                    one.wipe_session()
        elif op == "report":
            since = cmd.get("connects_since")
            cars = []
            for car in self.cars.values():
                r = car.report(with_digest=bool(cmd.get("digest")))
                if since is not None:
                    r["connect_times"] = [t for t in car.connect_times if t >= since]
                cars.append(r)
            out.update(
                cars=cars,
                loop_errors=self.loop.errors,
                decoded=self.decoding.decoded,
                reused=self.decoding.reused,
                pid=os.getpid(),
            )
        elif op == "stop":
            for car in self.cars.values():
                car.close()
            self.stopping = True
        else:
            out.update(ok=False, error=f"unknown command {op!r}")
        return out

    def _setup(self, cmd: dict[str, Any]) -> None:
        verifier = load_verifier(*cmd["pubkeys"])
        sqlite = set(cmd.get("sqlite", []))
        db_dir = Path(cmd["db_dir"]) if cmd.get("db_dir") else None
        for name, brokers in zip(cmd["names"], cmd["brokers"], strict=True):
            db = db_dir / f"{name}.db" if db_dir is not None and name in sqlite else None
            self.cars[name] = FleetCar(
                name,
                brokers,
                verifier,
                self.loop,
                decoding=self.decoding,
                db_path=db,
                dataset=cmd.get("dataset", DEFAULT_DATASET),
                jitter=cmd.get("jitter", "full"),
                wildcard=bool(cmd.get("wildcard")),
            )


def main() -> None:
    # IVI_FLEET_LOG=INFO puts every reconnect and refused subscription in the worker's log.
    logging.basicConfig(
        level=os.environ.get("IVI_FLEET_LOG", "WARNING").upper(),
        format="%(asctime)s worker %(levelname)s %(name)s: %(message)s",
    )
    loop = NetworkLoop()
    worker = Worker(loop)
    fd = sys.stdin.fileno()
    os.set_blocking(fd, False)
    buf = bytearray()

    def readable() -> None:
        try:
            chunk = os.read(fd, 1 << 16)
        except BlockingIOError:
            return
        if not chunk:
            worker.handle({"op": "stop"})
            return
        buf.extend(chunk)
        while b"\n" in buf:
            line, _, rest = bytes(buf).partition(b"\n")
            buf[:] = rest
            try:
                reply = worker.handle(orjson.loads(line))
            except Exception as exc:  # a bad command is answered, the cars carry on
                log.exception("command failed")
                reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
            sys.stdout.buffer.write(orjson.dumps(reply) + b"\n")
            sys.stdout.buffer.flush()

    loop.add_reader(fd, readable)
    while not worker.stopping:
        loop.run_once(0.05)
    end = time.monotonic() + 1.0  # let the DISCONNECTs go out
    while time.monotonic() < end:
        loop.run_once(0.05)


if __name__ == "__main__":
    main()
