"""The cloud side: reads partner feeds, publishes through MQTT, answers vehicle requests.

:class:`Publisher` wires the pure :class:`Operator` to a :class:`MqttTransport` and to a state
directory that remembers what was last published (``state.json.gz``, written atomically after
every publish; ``lock`` keeps a second publisher of the same state out). Without a state
directory the state lives in memory only (tests, benchmarks).
"""

from __future__ import annotations

import base64
import fcntl
import gzip
import json
import logging
import os
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chargers.models import Rejection
from chargers.ocpi import location_to_ocpi, parse_location, parse_tariff, read_feeds, tariff_to_ocpi
from sync.errors import SyncError
from sync.protocol.bodies import DEFAULT_DATASET, StatusChange, Topics, VehicleRequest
from sync.protocol.messages import Rejected, SignerLike
from sync.protocol.operator import Operator, OperatorState, Outgoing
from sync.transport import MqttTransport

log = logging.getLogger("sync.publisher")
STATE_FILE = "state.json.gz"
PUBLISH_WAIT_S = 30.0


class PublisherBusyError(SyncError):
    """Another publisher holds the state directory."""


@dataclass
class PublishReport:
    version: int
    messages: int = 0
    bytes: int = 0
    locations: int = 0
    update_bytes: int = 0  # what a car that is not taking the snapshot downloads: deltas + manifest
    rejections: list[Rejection] = field(default_factory=list)


def save_state(st: OperatorState, path: Path) -> None:
    doc = {
        "dataset": st.dataset,
        "version": st.version,
        "status_seq": st.status_seq,
        "snapshot_status_seq": st.snapshot_status_seq,
        "chunk_sha256": list(st.chunk_sha256),
        "locations": [location_to_ocpi(loc) for _, loc in sorted(st.locations.items())],
        "tariffs": [tariff_to_ocpi(t) for _, t in sorted(st.tariffs.items())],
        "live": {u: list(v) for u, v in st.live.items()},
        "deltas": {str(v): base64.b64encode(p).decode() for v, p in st.deltas.items()},
    }
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(gzip.compress(json.dumps(doc, ensure_ascii=False).encode(), compresslevel=3))
    os.replace(tmp, path)


def load_state(path: Path, dataset: str) -> OperatorState:
    if not path.exists():
        return OperatorState(dataset)
    try:
        d = json.loads(gzip.decompress(path.read_bytes()))
        st = OperatorState(
            d["dataset"],
            d["version"],
            d["status_seq"],
            d["snapshot_status_seq"],
            tuple(d["chunk_sha256"]),
            {loc.id: loc for loc in map(parse_location, d["locations"])},
            {t.id: t for t in map(parse_tariff, d["tariffs"])},
            {u: (v[0], v[1]) for u, v in d["live"].items()},
            {int(v): base64.b64decode(p) for v, p in d["deltas"].items()},
        )
    except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:
        raise SyncError(f"{path}: unreadable publisher state: {exc}") from exc
    if st.dataset != dataset:
        raise SyncError(f"{path} holds dataset {st.dataset!r}, not {dataset!r}")
    return st


class Publisher:
    """One operator publisher. ``start()`` connects and begins answering vehicle requests."""

    def __init__(
        self,
        broker_url: str,
        signer: SignerLike,
        *,
        state_dir: Path | None = None,
        dataset: str = DEFAULT_DATASET,
        client_id: str = "ivi-sync-publisher",
        mqtt5: bool = True,
        ca_file: str | None = None,
        username: str | None = None,
        password: str | None = None,
        **operator_options: Any,
    ) -> None:
        self.state_dir = state_dir
        self._lock_fh = None
        if state_dir is not None:
            state_dir.mkdir(parents=True, exist_ok=True)
            self._lock_fh = open(state_dir / "lock", "w")  # noqa: SIM115 — held until close()
            try:
                fcntl.flock(self._lock_fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise PublisherBusyError(f"another publisher is using {state_dir}") from exc
            state = load_state(state_dir / STATE_FILE, dataset)
        else:
            state = OperatorState(dataset)
        self.operator = Operator(state, signer, **operator_options)
        self._lock = threading.Lock()
        self.requests_answered = 0
        self.transport = MqttTransport(
            broker_url,
            client_id,
            on_message=self._on_request,
            on_connect=self._on_connect,
            mqtt5=mqtt5,
            ca_file=ca_file,
            username=username,
            password=password,
        )

    @property
    def state(self) -> OperatorState:
        return self.operator.state

    def start(self, timeout_s: float = 10.0) -> Publisher:
        self.transport.connect(timeout_s)
        return self

    def close(self) -> None:
        self.transport.close()
        if self._lock_fh:
            self._lock_fh.close()

    def _on_connect(self) -> None:
        self.transport.subscribe(Topics.REQUEST_FILTER)

    # ------------------------------------------------------------ publishing

    def _send(self, messages: Sequence[Outgoing], wait: bool = True) -> int:
        total = 0
        for i, m in enumerate(messages):
            # Waiting for the last one is enough: QoS 1 messages of one client arrive in order.
            last = wait and i == len(messages) - 1
            self.transport.publish(m.topic, m.payload, retain=m.retain, wait_s=PUBLISH_WAIT_S if last else None)
            total += len(m.payload)
        return total

    def _save(self) -> None:
        if self.state_dir is not None:
            save_state(self.state, self.state_dir / STATE_FILE)

    def publish_feeds(self, paths: Iterable[Path | str], now: float | None = None) -> PublishReport:
        """Validate the feeds, publish what changed since the last run; bad records are
        reported in the result and not published."""
        feed = read_feeds(paths)
        report = self.publish_dataset(feed.locations, feed.tariffs, now)
        report.rejections = list(feed.rejections)
        return report

    def publish_dataset(self, locations, tariffs, now: float | None = None) -> PublishReport:
        with self._lock:
            msgs = self.operator.publish_dataset(locations, tariffs, time.time() if now is None else now)
            self._save()
        sent = self._send(msgs)
        update = sum(len(m.payload) for m in msgs if "/snapshot/" not in m.topic)
        return PublishReport(self.state.version, len(msgs), sent, len(self.state.locations), update)

    def publish_statuses(self, changes: Iterable[StatusChange], wait: bool = False) -> int:
        with self._lock:
            msgs = self.operator.publish_statuses(changes)
        return self._send(msgs, wait=wait)

    def heartbeat(self, now: float | None = None) -> None:
        """Republish the retained manifest: it tells cars where the status stream stands and
        renews ``expires_at`` (a car whose manifest expires shows ``error``: frozen data)."""
        with self._lock:
            if not self.state.version:
                return
            msg = self.operator.manifest(time.time() if now is None else now)
            self._save()
        self._send([msg])

    # ------------------------------------------------------------ requests (transport thread)

    def _on_request(self, topic: str, payload: bytes, response_topic: str | None) -> None:
        parts = topic.split("/")
        if len(parts) != 3 or parts[0] != "vehicles" or parts[2] != "request":
            return
        own = Topics.response(parts[1])
        try:
            req = VehicleRequest.from_json(payload)
        except Rejected as exc:
            log.warning("request on %s rejected: %s", topic, exc)
            return
        reply_to = response_topic or req.reply_to
        if reply_to != own:  # a car may only ask for replies on its own response topic
            log.warning("request on %s wants replies on %s; refused", topic, reply_to)
            return
        with self._lock:
            msgs = self.operator.answer(req, reply_to)
        self.requests_answered += 1
        self._send(msgs, wait=False)  # never wait on the network thread
