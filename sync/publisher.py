"""The cloud side: reads partner feeds, publishes through MQTT, answers vehicle requests, and keeps
the broker holding what it published.

:class:`Publisher` wires the pure :class:`Operator` to a :class:`MqttTransport` and to a state
directory that remembers what was last published (``sync.publisher_state``; ``lock`` keeps a
second publisher of the same state out). Without a state directory the state lives in memory
only (tests, benchmarks).

**Reconciliation.** The state says what was published; only the broker says what it still holds
(a broker restarted without persistence, one that crashed before its autosave, a new broker
behind the same address). On :meth:`start` and every :meth:`heartbeat` (the full check at most
once an hour, or whenever the manifest looks wrong) the publisher reads the broker's retained
manifest and chunks back (``sync.inspection``) and republishes what is missing or different,
then the manifest. A rotated signing key is noticed the same way: the chunks are signed again.

**Requests** are answered on the asking car's own response topic only, at most
:data:`REQUESTS_PER_CAR` at once and then one per :data:`REQUEST_REFILL_S` per car; a car that asks
faster gets a signed "not now, retry after N s" (at most one every :data:`NACK_EVERY_S`).
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chargers.dataset import check_dataset
from chargers.models import Location, Rejection, Tariff, rejections_by_partner
from chargers.ocpi import read_feeds
from sync.addresses import broker_urls
from sync.errors import SyncError
from sync.inspection import BrokerView, RetainedProbe, Verdict, judge
from sync.protocol.bodies import DEFAULT_DATASET, Nack, StatusChange, Topics, VehicleRequest
from sync.protocol.messages import Rejected, SignerLike, VerifierLike
from sync.protocol.operator import Operator, OperatorState, Outgoing
from sync.protocol.pacing import RateLimiter
from sync.publisher_state import STATE_FILE, load_state, save_state
from sync.transport import Incoming, MqttTransport

log = logging.getLogger("sync.publisher")
PUBLISH_WAIT_S = 30.0
REQUESTS_PER_CAR = 4
REQUEST_REFILL_S = 60.0
NACK_EVERY_S = 10.0
MANIFEST_CHECK_S = 60.0
FULL_CHECK_S = 3600.0

__all__ = ["STATE_FILE", "PublishReport", "Publisher", "PublisherBusyError", "Repair"]


class PublisherBusyError(SyncError):
    """Another publisher holds the state directory."""


@dataclass
class Repair:
    """What a reconciliation found on the broker and sent again."""

    checked_chunks: bool = False
    manifest: bool = False  # the manifest was republished
    chunks: list[int] = field(default_factory=list)  # chunks republished
    cleared: list[int] = field(default_factory=list)  # stale retained chunks removed
    occupancy: list[int] = field(default_factory=list)  # occupancy model parts republished
    problems: list[str] = field(default_factory=list)  # what the broker's copy looked like

    def __bool__(self) -> bool:
        return self.manifest or bool(self.chunks or self.cleared or self.occupancy)

    def to_json(self) -> dict[str, Any]:
        return {
            "manifest": self.manifest,
            "chunks": self.chunks,
            "cleared": self.cleared,
            "occupancy": self.occupancy,
            "found": self.problems,
        }


@dataclass
class PublishReport:
    version: int
    messages: int = 0
    bytes: int = 0
    locations: int = 0
    update_bytes: int = 0  # what a car that is not taking the snapshot downloads: deltas + manifest
    rejections: list[Rejection] = field(default_factory=list)
    kept_partners: list[str] = field(default_factory=list)  # whose feed could not be read: last records kept
    repair: Repair = field(default_factory=Repair)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "messages": self.messages,
            "bytes": self.bytes,
            "locations": self.locations,
            "rejected": len(self.rejections),
            "rejected_by_partner": rejections_by_partner(self.rejections),
            "kept_partners": self.kept_partners,
            "repaired": self.repair.to_json(),
        }


class Publisher:
    """One operator publisher. ``start()`` connects, repairs the broker, answers vehicle requests."""

    def __init__(
        self,
        broker_url: str | Sequence[str],
        signer: SignerLike,
        *,
        state_dir: Path | None = None,
        dataset: str = DEFAULT_DATASET,
        client_id: str = "ivi-sync-publisher",
        mqtt5: bool = True,
        ca_file: str | None = None,
        username: str | None = None,
        password: str | None = None,
        requests_per_car: int = REQUESTS_PER_CAR,
        request_refill_s: float = REQUEST_REFILL_S,
        **operator_options: Any,
    ) -> None:
        self.state_dir = state_dir
        self.broker_url = ",".join(broker_urls(broker_url))  # the state's key for what this broker holds
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
        key = str(getattr(signer, "key_id", ""))
        self.operator = Operator(state, signer, key_id=key, **operator_options)
        self.topics = Topics(dataset)
        self._lock = threading.Lock()
        self._probe: RetainedProbe | None = None
        self._checked_manifest_at = self._checked_all_at = 0.0
        self.limiter = RateLimiter(requests_per_car, 1.0 / request_refill_s)
        self._nacks = RateLimiter(1, 1.0 / NACK_EVERY_S)
        self.requests_answered = 0
        self._status_listeners: list[Callable[[list[StatusChange]], None]] = []
        self.transport = MqttTransport(
            broker_url,
            client_id,
            on_message=self._on_message,
            on_connect=self._on_connect,
            mqtt5=mqtt5,
            ca_file=ca_file,
            username=username,
            password=password,
        )

    @property
    def state(self) -> OperatorState:
        return self.operator.state

    def start(self, timeout_s: float = 10.0, *, reconcile: bool = True) -> Publisher:
        self.transport.connect(timeout_s)
        if reconcile and self.state.version:
            self.reconcile(full=True)
        return self

    def close(self) -> None:
        self.transport.close()
        if self._lock_fh:
            self._lock_fh.close()

    def _on_connect(self) -> None:
        self.transport.subscribe(Topics.REQUEST_FILTER)

    def _on_message(self, msg: Incoming) -> None:
        probe = self._probe
        if probe is not None and probe.offer(msg):
            return
        self._on_request(msg)

    # ------------------------------------------------------------ publishing

    def _send(self, messages: Sequence[Outgoing], wait: bool = True) -> int:
        total = 0
        for i, m in enumerate(messages):
            # Waiting for the last one is enough: QoS 1 messages of one client arrive in order.
            last = wait and i == len(messages) - 1
            self.transport.publish(
                m.topic, m.payload, retain=m.retain, expiry_s=m.expiry_s, wait_s=PUBLISH_WAIT_S if last else None
            )
            total += len(m.payload)
        return total

    def _save(self) -> None:
        if self.state_dir is not None:
            save_state(self.state, self.state_dir / STATE_FILE)

    def publish_feeds(self, paths: Iterable[Path | str], now: float | None = None) -> PublishReport:
        """Validate the feeds and publish what changed since the last run; bad records are
        reported (per partner and reason) and left out. A partner whose feed file could not be
        read at all keeps its last published records, rather than vanishing from every car."""
        feed = read_feeds(paths)
        locations, tariffs = feed.locations, feed.tariffs
        kept: list[str] = []
        if feed.unreadable and self.state.version:
            present = {loc.party_id for loc in locations}
            kept = sorted({loc.party_id for loc in self.state.locations.values()} - present)
            locations = [*locations, *(loc for loc in self.state.locations.values() if loc.party_id in kept)]
            have_t = {t.id for t in tariffs}
            tariffs = [
                *tariffs,
                *(t for t in self.state.tariffs.values() if t.party_id in kept and t.id not in have_t),
            ]
        # read_feeds applied the dataset-wide rules; what was kept joins the others under them too
        locations, tariffs, clashes = check_dataset(locations, tariffs) if kept else (locations, tariffs, [])
        report = self._publish(locations, tariffs, now)
        report.rejections = [*feed.rejections, *clashes]
        report.kept_partners = kept
        for partner, reasons in rejections_by_partner(report.rejections).items():
            log.warning("partner %s: left out %s", partner, ", ".join(f"{n} × {r}" for r, n in reasons.items()))
        if kept:
            log.warning("feeds unreadable (%s): kept the last records of %s", ", ".join(feed.unreadable), kept)
        return report

    def publish_dataset(
        self, locations: Sequence[Location], tariffs: Sequence[Tariff], now: float | None = None
    ) -> PublishReport:
        """Publish exactly ``locations`` and ``tariffs`` (already parsed); the dataset-wide rules
        (unique ids and EVSE uids, record sizes) are applied here too, whoever the caller."""
        locations, tariffs, refused = check_dataset(locations, tariffs)
        report = self._publish(locations, tariffs, now)
        report.rejections = refused
        return report

    def _publish(self, locations: Sequence[Location], tariffs: Sequence[Tariff], now: float | None) -> PublishReport:
        now = time.time() if now is None else now
        with self._lock:
            msgs = self.operator.publish_dataset(locations, tariffs, now)
            if msgs:
                msgs.append(self.operator.head(now))
            self._save()
        sent = self._send(msgs)
        update = sum(len(m.payload) for m in msgs if "/snapshot/" not in m.topic)
        return PublishReport(self.state.version, len(msgs), sent, len(self.state.locations), update)

    def publish_statuses(self, changes: Iterable[StatusChange], wait: bool = False) -> int:
        changes = list(changes)
        with self._lock:
            msgs = self.operator.publish_statuses(changes)
        for listener in self._status_listeners:
            listener(changes)
        return self._send(msgs, wait=wait)

    def add_status_listener(self, listener: Callable[[list[StatusChange]], None]) -> None:
        """``listener(changes)`` with every batch of partner status changes this publisher is handed
        (the occupancy learner's input: ``sync.occupancy``)."""
        self._status_listeners.append(listener)

    def publish_occupancy(self, data: bytes, created_s: int, now: float | None = None) -> int:
        """Publish an occupancy model (``chargers.occupancy.encode_model`` bytes) as the next model
        version: signed retained parts, then the manifest naming it. Returns the bytes sent."""
        now = time.time() if now is None else now
        if not self.state.version:
            raise SyncError("publish a dataset before its occupancy model")
        with self._lock:
            msgs = self.operator.publish_occupancy(data, created_s, now)
            msgs.append(self.operator.head(now))
            self._save()
        return self._send(msgs)

    def heartbeat(self, now: float | None = None) -> Repair:
        """The retained heartbeat (version, status sequence) for the cars; the manifest once a
        day (renewing ``expires_at``: a car whose manifest expires shows ``error``, frozen data);
        and a look at what the broker holds, repaired if need be."""
        now = time.time() if now is None else now
        if not self.state.version:
            return Repair()
        with self._lock:
            msgs = [self.operator.head(now)]
            if self.operator.manifest_due(now):
                msgs.append(self.operator.manifest(now))
            self._save()
        self._send(msgs)
        if now - self._checked_all_at >= FULL_CHECK_S:
            return self.reconcile(full=True, now=now)
        if now - self._checked_manifest_at >= MANIFEST_CHECK_S:
            return self.reconcile(full=False, now=now)
        return Repair()

    # ------------------------------------------------------------ reconciliation

    def inspect(self, *, chunks: bool = True) -> tuple[BrokerView, Verdict]:
        """What the broker holds of our dataset, as sent and as verified with our own key."""
        probe = RetainedProbe(self.transport, self.topics, chunks=chunks)
        self._probe = probe
        try:
            view = probe.run()
        finally:
            self._probe = None
        verdict = judge(view, self._verifier, self.state.dataset, time.time())
        if not view.complete:
            verdict.manifest_problem = verdict.manifest_problem or "the broker did not answer the probe in time"
        return view, verdict

    @property
    def _verifier(self) -> VerifierLike:
        verifier = getattr(self.operator.signer, "verifier", None)
        if verifier is None:
            raise SyncError("the signer cannot verify its own messages")
        return verifier

    def reconcile(self, *, full: bool = True, now: float | None = None) -> Repair:
        """Make the broker hold what we published: the chunks of the current snapshot (``full``:
        each one read back; otherwise only when the manifest is wrong) and the manifest."""
        now = time.time() if now is None else now
        st = self.state
        repair = Repair()
        if not st.version:
            return repair
        view, verdict = self.inspect(chunks=full)
        self._checked_manifest_at = now
        m = verdict.manifest
        manifest_ok = not verdict.manifest_problem and m is not None and m.version == st.version
        manifest_ok = manifest_ok and m is not None and m.chunk_sha256 == st.chunk_sha256
        manifest_ok = manifest_ok and m is not None and m.occupancy == st.occupancy
        if not manifest_ok and not full:
            view, verdict = self.inspect(chunks=True)  # the manifest is off: look at the chunks too
            full = True
        msgs: list[Outgoing] = []
        if full:
            self._checked_all_at = now
            repair.checked_chunks = True
            with self._lock:
                chunks = self.operator.chunks()
                shas = tuple(hashlib.sha256(c.payload).hexdigest() for c in chunks)
                if shas != st.chunk_sha256:  # made with another key or codec: these are the ones now
                    log.warning("the snapshot of version %d was signed again; the manifest will name it", st.version)
                    st.chunk_sha256 = shas
                    manifest_ok = False
            held = {i: hashlib.sha256(p).hexdigest() for i, p in view.chunks.items()}
            repair.chunks = [i for i, sha in enumerate(shas) if held.get(i) != sha]
            repair.cleared = sorted(i for i in held if i >= len(shas))
            msgs += [chunks[i] for i in repair.chunks]
            msgs += [Outgoing(self.topics.chunk(i), b"", retain=True) for i in repair.cleared]
            with self._lock:  # the model's parts, against what we published (the broker's manifest may be gone)
                parts = self.operator.occupancy_parts()
            own = [hashlib.sha256(m.payload).hexdigest() for m in parts]
            held_parts = {i: hashlib.sha256(p).hexdigest() for i, p in view.occupancy.items()}
            repair.occupancy = [i for i, sha in enumerate(own) if held_parts.get(i) != sha]
            msgs += [parts[i] for i in repair.occupancy]
            msgs += [
                Outgoing(self.topics.occupancy_part(i), b"", retain=True) for i in sorted(held_parts) if i >= len(own)
            ]
        if msgs or not manifest_ok:
            with self._lock:
                msgs.append(self.operator.manifest(now))
                msgs.append(self.operator.head(now))
                self._save()
            repair.manifest = True
        repair.problems = verdict.problems()
        st.brokers[self.broker_url] = {"key_id": st.key_id, "version": st.version, "checked_at": now}
        if msgs:
            self._send(msgs)
            log.warning(
                "broker %s lacked what was published (%s): republished %d chunks and the manifest",
                self.broker_url,
                "; ".join(repair.problems) or "an outdated manifest",
                len(repair.chunks),
            )
        return repair

    # ------------------------------------------------------------ requests (transport thread)

    def _on_request(self, msg: Incoming) -> None:
        parts = msg.topic.split("/")
        if len(parts) != 3 or parts[0] != "vehicles" or parts[2] != "request":
            return
        car = parts[1]
        own = Topics.response(car)
        try:
            req = VehicleRequest.from_json(msg.payload)
        except Rejected as exc:
            log.warning("request on %s rejected: %s", msg.topic, exc)
            return
        reply_to = msg.response_topic or req.reply_to
        if reply_to != own:  # a car may only ask for replies on its own response topic
            log.warning("request on %s wants replies on %s; refused", msg.topic, reply_to)
            return
        now = time.time()
        wait_s = self.limiter.allow(car, now)
        with self._lock:
            if wait_s:
                log.info("car %s asks too often (%s): retry after %.0f s", car, req.want, wait_s)
                if self._nacks.allow(car, now) == 0:  # at most one "retry after" per car now and then
                    out = [self.operator.nack(Nack(req.want, "too many requests", round(wait_s, 1)), reply_to)]
                    self._send(out, wait=False)
                return
            msgs = self.operator.answer(req, reply_to)
        self.requests_answered += 1
        self._send(msgs, wait=False)  # never wait on the network thread
