"""The vehicle client: :class:`VehicleSync` (pure) + :class:`MqttTransport` + the cache.

Used by the head unit (``VehicleClient(...).start()``; observe :class:`SyncStatus` through
``add_observer``) and by ``ivi-sync follow``. Every message is handled on the transport's
thread under one lock: decoded and judged by the state machine, then its actions are carried
out, each cache write in one transaction that also records the new position, and then the
message is acknowledged. A crash at any point therefore leaves a cache that is true for the
position it records, and the broker's persistent session redelivers the rest.

A cache write that fails (another writer holds the lock, or rows that do not fit) changes
nothing; the message is acknowledged all the same (one left unacknowledged would hold a slot of
the broker's in-flight window for good) and the state machine starts again from what the cache
records, after a wait (``VehicleSync.apply_failed``).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from chargers.errors import RecordConflictError
from chargers.store import ChargerStore, OccupancyBlob
from sync.protocol.actions import CACHE_WRITES
from sync.protocol.bodies import DEFAULT_DATASET, Topics
from sync.protocol.messages import VerifierLike
from sync.protocol.vehicle import (
    Action,
    ApplyDelta,
    ApplyStatuses,
    BeginSnapshot,
    CommitSnapshot,
    Reject,
    SendRequest,
    StageChunk,
    StateChanged,
    StoreOccupancy,
    Subscribe,
    SyncStatus,
    Timing,
    Unsubscribe,
    VehicleSync,
)
from sync.transport import DEFAULT_SESSION_EXPIRY_S, Incoming, MqttTransport

log = logging.getLogger("sync.client")
TICK_S = 0.2
#: Rejections kept for inspection (all are counted by reason in ``VehicleSync.rejected``).
KEPT_REJECTIONS = 1000
#: Decoded snapshot chunks that may wait to be staged (~3.5 MB of Python objects each).
STAGING_QUEUE = 4

__all__ = ["CacheApplier", "SyncStatus", "VehicleClient"]


class StagingThread:
    """Stages snapshot chunks on a thread of its own. SQLite lets go of Python's interpreter lock
    while it writes, so one chunk's inserts overlap the decoding and checking of the next (a third
    off a million-charger snapshot). At most :data:`STAGING_QUEUE` chunks wait (a bounded memory;
    the network thread waits when it is full). A chunk staged late is safe to acknowledge early: a
    retained chunk whose staging is lost is fetched again. Every other cache write first waits for
    the staging to finish; a staging that failed is raised then, or at the next chunk."""

    def __init__(self, stage: Callable[[StageChunk], None]) -> None:
        self._stage = stage
        self._queue: queue.Queue[StageChunk | None] = queue.Queue(maxsize=STAGING_QUEUE)
        self._error: Exception | None = None
        self._thread: threading.Thread | None = None

    def submit(self, action: StageChunk) -> None:
        self._raise()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="sync-stage", daemon=True)
            self._thread.start()
        self._queue.put(action)

    def drain(self) -> None:
        """Wait until every submitted chunk is staged; raise the first failure."""
        if self._thread is not None:
            self._queue.join()
        self._raise()

    def close(self) -> None:
        """Stage what was submitted, then end the thread (a client or applier that is done with the cache); raises
        the first failure, like :meth:`drain`."""
        thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join()
        self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def _run(self) -> None:
        while True:
            action = self._queue.get()
            if action is None:  # close(): everything before it is staged
                self._queue.task_done()
                return
            try:
                if self._error is None:
                    self._stage(action)
            except Exception as exc:
                self._error = exc
            finally:
                self._queue.task_done()


class CacheApplier:
    """Carries out the cache actions of :class:`VehicleSync` on a :class:`ChargerStore`, through
    the store's :class:`~chargers.store.ledger.SyncLedger` (every SQL statement stays there).
    Snapshot chunks are staged behind (:class:`StagingThread`); every other write in order."""

    def __init__(self, store: ChargerStore, verifier: VerifierLike, dataset: str = DEFAULT_DATASET) -> None:
        self.store = store
        self.ledger = store.sync_ledger()
        self.verifier = verifier
        self.dataset = dataset
        self._rejections: deque[Reject] = deque(maxlen=KEPT_REJECTIONS)
        self.last_swap_s = 0.0  # how long the last snapshot swap held the write lock
        self.longest_write_s = 0.0  # the longest any one cache write held it
        self._staging = StagingThread(self._stage)

    @property
    def rejections(self) -> list[Reject]:
        """The latest rejections (at most :data:`KEPT_REJECTIONS`), oldest first."""
        return list(self._rejections)

    def locations_of(self, evse_uids: Sequence[str]) -> list[str]:
        """The ids of the locations these EVSEs belong to."""
        return self.ledger.locations_of(evse_uids)

    def new_sync(self, client_id: str, **options: Any) -> VehicleSync:
        """A state machine that starts where the cache stands (``options``: ``floor_s``,
        ``timing``, ``rng``, ``one_filter`` of :class:`VehicleSync`)."""
        version, status_seq, staged = self.ledger.position()
        return VehicleSync(
            self.verifier,
            client_id,
            dataset=self.dataset,
            version=version,
            status_seq=status_seq,
            staged=staged,
            occupancy=self.ledger.occupancy_head(),
            **options,
        )

    def apply(self, action: Action) -> bool:
        """Run one cache action; False if it is not a cache action. A failed write raises (and
        changed nothing)."""
        if isinstance(action, StageChunk):
            self._staging.submit(action)
            return True
        if isinstance(action, Reject):
            return self._apply(action)
        if not isinstance(action, CACHE_WRITES):
            return False
        self._staging.drain()
        t0 = time.perf_counter()
        self._apply(action)
        self.longest_write_s = max(self.longest_write_s, time.perf_counter() - t0)
        return True

    def drain(self) -> None:
        """Wait for the chunks still being staged (before the store is closed)."""
        self._staging.drain()

    def close(self) -> None:
        """Wait for the chunks still being staged and end the staging thread; raises a staging failure."""
        self._staging.close()

    def _stage(self, action: StageChunk) -> None:
        t0 = time.perf_counter()
        self.ledger.stage_rows(action.version, action.index, action.rows.locations, action.rows.tariffs)
        self.longest_write_s = max(self.longest_write_s, time.perf_counter() - t0)

    def _apply(self, action: Action) -> bool:
        if isinstance(action, ApplyStatuses):
            self.ledger.apply_statuses(action.changes, action.status_seq)
        elif isinstance(action, ApplyDelta):
            d = action.delta
            self.ledger.apply_delta(
                d.version,
                action.status_seq,
                d.upsert_locations,
                d.remove_locations,
                d.upsert_tariffs,
                d.remove_tariffs,
            )
        elif isinstance(action, BeginSnapshot):
            self.ledger.begin_snapshot()
        elif isinstance(action, StoreOccupancy):
            blob = OccupancyBlob(action.version, action.created_s, action.data, action.sha256)
            self.ledger.set_occupancy_model(blob, action.model)
            log.info("occupancy model %d stored: %d bytes", action.version, len(action.data))
        elif isinstance(action, CommitSnapshot):
            t0 = time.perf_counter()
            n = self.ledger.swap_snapshot(action.version, action.chunks, action.status_seq)
            self.last_swap_s = time.perf_counter() - t0
            log.info("snapshot %d swapped in: %d locations in %.2f s", action.version, n, self.last_swap_s)
        elif isinstance(action, Reject):
            self._rejections.append(action)
            log.warning(
                "rejected %s: %s%s",
                action.topic,
                action.reason,
                f" ({action.detail})" if action.detail else "",
            )
        else:
            return False
        return True


class VehicleClient:
    """Keeps a cache in step with the publisher over MQTT. ``start()`` returns once connected
    (or raises); the work happens on the transport's thread and a ticker thread."""

    def __init__(
        self,
        store: ChargerStore,
        verifier: VerifierLike,
        broker_url: str | Sequence[str],
        client_id: str,
        *,
        dataset: str = DEFAULT_DATASET,
        mqtt5: bool = True,
        session_expiry_s: int = DEFAULT_SESSION_EXPIRY_S,
        ca_file: str | None = None,
        username: str | None = None,
        password: str | None = None,
        floor_s: float = 0.0,
        timing: Timing = Timing(),
        clock: Callable[[], float] = time.time,
        one_filter: bool = True,
    ) -> None:
        self.applier = CacheApplier(store, verifier, dataset)
        # The four streams under one subscription (on NATS one JetStream consumer, not four: the
        # fleet's figures, docs/fleet.md); False subscribes to each, the manifest last.
        self.one_filter = one_filter
        self.client_id = client_id
        self.topics = Topics(dataset)
        self._clock = clock
        self._lock = threading.RLock()
        self._observers: list[Callable[[SyncStatus], None]] = []
        self._change_listeners: list[Callable[[list[str] | None], None]] = []
        self._synced = threading.Condition(self._lock)
        self.sync = self.applier.new_sync(client_id, floor_s=floor_s, timing=timing, one_filter=one_filter)
        self._status = self.sync.status()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None
        self.requests_sent = 0
        self.transport = MqttTransport(
            broker_url,
            client_id,
            on_message=self._on_message,
            on_connect=self._on_connect,
            on_disconnect=self._on_disconnect,
            mqtt5=mqtt5,
            session_expiry_s=session_expiry_s,
            ca_file=ca_file,
            username=username,
            password=password,
        )

    # ------------------------------------------------------------ public API

    def add_observer(self, callback: Callable[[SyncStatus], None]) -> None:
        """``callback(status)`` on every state change, from a background thread: a UI must hop
        to its own thread (a Qt store does it with a Signal)."""
        self._observers.append(callback)
        callback(self._status)

    def add_change_listener(self, callback: Callable[[list[str] | None], None]) -> None:
        """``callback(location_ids)`` after each committed cache write (``None``: a whole new
        dataset), from a background thread, so a screen can refresh just what changed."""
        self._change_listeners.append(callback)

    @property
    def status(self) -> SyncStatus:
        return self._status

    @property
    def rejections(self) -> list[Reject]:
        return self.applier.rejections

    def start(self, timeout_s: float = 10.0) -> VehicleClient:
        self._stop.clear()
        self.transport.connect(timeout_s)
        self._ticker = threading.Thread(target=self._tick_loop, name="sync-tick", daemon=True)
        self._ticker.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._ticker:
            self._ticker.join(2)
        self.transport.close()
        with self._lock:
            self._run(self.sync.disconnected(self._clock()))
            try:
                self.applier.close()
            except Exception:  # a chunk that failed to stage is fetched again next time
                log.exception("staging a snapshot chunk failed")

    def settled(self, predicate: Callable[[VehicleSync], Any]) -> Any:
        """``predicate`` of the sync state, between two events. The state machine runs ahead of
        the cache within an event (the actions that write the cache come after it), so a reader
        that checks the state and then reads the cache asks here."""
        with self._lock:
            return predicate(self.sync)

    def wait_synced(self, timeout_s: float) -> bool:
        """Block until the cache holds everything the broker's current manifest announces."""
        deadline = time.monotonic() + timeout_s
        with self._synced:
            while not self.sync.synced:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._synced.wait(min(left, 0.5))
        return True

    # ------------------------------------------------------------ transport callbacks

    def _on_connect(self) -> None:
        with self._lock:
            for t in self.topics.car_subscriptions(self.client_id, one_filter=self.one_filter):
                self.transport.subscribe(t)
            self._run(self.sync.connected(self._clock()))

    def _on_disconnect(self) -> None:
        with self._lock:
            self._run(self.sync.disconnected(self._clock()))

    def _on_message(self, msg: Incoming) -> None:
        with self._lock:
            self._run(self.sync.receive(msg.topic, msg.payload, self._clock(), msg.retained))

    def _tick_loop(self) -> None:
        while not self._stop.wait(TICK_S):
            with self._lock:
                self._run(self.sync.tick(self._clock()))

    # ------------------------------------------------------------ actions

    def _announce_change(self, action: Action) -> None:
        if not self._change_listeners:
            return
        ids: list[str] | None
        if isinstance(action, ApplyDelta):
            ids = [loc.id for loc in action.delta.upsert_locations] + list(action.delta.remove_locations)
        elif isinstance(action, ApplyStatuses):
            ids = self.applier.locations_of([c[0] for c in action.changes])
        elif isinstance(action, CommitSnapshot):
            ids = None
        else:
            return
        for cb in self._change_listeners:
            cb(ids)

    def _run(self, actions: Sequence[Action], *, recovering: bool = False) -> None:
        """Carry out ``actions`` in order. A cache write that fails stops the rest (they were
        planned on its success) and hands the failure to the state machine."""
        try:
            for a in actions:
                if isinstance(a, CACHE_WRITES):
                    try:
                        self.applier.apply(a)
                    except Exception as exc:
                        self._write_failed(a, exc, recovering)
                        return
                    self.sync.applied()
                    self._announce_change(a)
                elif isinstance(a, Reject):
                    self.applier.apply(a)
                elif isinstance(a, Subscribe):
                    self.transport.subscribe(a.topic)
                elif isinstance(a, Unsubscribe):
                    self.transport.unsubscribe(a.topic)
                elif isinstance(a, SendRequest):
                    self.transport.publish(a.topic, a.request.to_json(), response_topic=a.request.reply_to)
                    self.requests_sent += 1
                elif isinstance(a, StateChanged):
                    self._status = a.status
                    for cb in self._observers:
                        cb(a.status)
        finally:
            self._synced.notify_all()

    def _write_failed(self, action: Action, exc: Exception, recovering: bool) -> None:
        permanent = isinstance(exc, RecordConflictError)
        log.warning("%s failed (%s): %s", type(action).__name__, "will not fit" if permanent else "will retry", exc)
        if recovering:
            return
        try:
            position = self.applier.ledger.position()
        except Exception:
            log.exception("the cache's position cannot be read; the sync waits for the next event")
            return
        actions = self.sync.apply_failed(action, str(exc), permanent=permanent, position=position, now=self._clock())
        self._run(actions, recovering=True)
