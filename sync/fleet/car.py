"""One simulated car of a fleet: the real state machine, a real MQTT session, a light or a
SQLite cache, all driven by a :class:`~sync.mqtt_loop.NetworkLoop` thread (no thread per car).

Like :class:`~sync.client.VehicleClient`, but single-threaded: the loop's thread receives each
message, runs :class:`~sync.protocol.vehicle.VehicleSync` and carries out its actions, and the
loop's timer ticks the car. The SQLite sample uses the product's own
:class:`~sync.client.CacheApplier` (its staging thread included).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from chargers.errors import RecordConflictError
from chargers.store import ChargerStore
from sync.client import CacheApplier
from sync.fleet.digest import DigestCache, cache_digest
from sync.mqtt_loop import NetworkLoop
from sync.protocol.actions import CACHE_WRITES
from sync.protocol.bodies import DEFAULT_DATASET, Topics
from sync.protocol.decoding import Decoding
from sync.protocol.messages import VerifierLike
from sync.protocol.pacing import Backoff
from sync.protocol.vehicle import Action, Reject, SendRequest, StateChanged, Subscribe, Unsubscribe, VehicleSync
from sync.transport import Incoming, MqttTransport

log = logging.getLogger(__name__)

__all__ = ["TICK_S", "FleetCar"]

TICK_S = 0.5


class FleetCar:
    """A car: ``start()`` connects (through the loop), ``go_offline()`` drops the connection
    without a goodbye, ``report()`` says where it stands. Touch only from the loop's thread."""

    def __init__(
        self,
        name: str,
        brokers: Sequence[str],
        verifier: VerifierLike,
        loop: NetworkLoop,
        *,
        decoding: Decoding | None = None,
        db_path: Path | None = None,
        dataset: str = DEFAULT_DATASET,
        jitter: str = "full",
        reconnect_base_s: float = 1.0,
        reconnect_cap_s: float = 60.0,
        clock: Any = time.time,
        wildcard: bool = False,
    ) -> None:
        self.name = name
        self.wildcard = wildcard  # one subscription for the four streams instead of one each
        self.brokers = list(brokers)
        self.loop = loop
        self.topics = Topics(dataset)
        self._clock = clock
        self.sqlite: CacheApplier | None = None
        self.light: DigestCache | None = None
        if db_path is not None:
            self.sqlite = CacheApplier(ChargerStore.open(db_path, seed=False), verifier, dataset)
            version, status_seq, staged = self.sqlite.ledger.position()
        else:
            self.light = DigestCache()
            version, status_seq, staged = self.light.position()
        rng = random.Random(name)
        self.sync = VehicleSync(
            verifier,
            name,
            dataset=dataset,
            version=version,
            status_seq=status_seq,
            staged=staged,
            rng=rng,
            decoding=decoding,
            one_filter=wildcard,
        )
        self._backoff = Backoff(reconnect_base_s, reconnect_cap_s, rng=rng, jitter=jitter)
        self.transport = self._transport()
        self.online = False  # wanted online (the loop keeps it connected)
        self.requests_sent = 0
        self.write_failures = 0
        self._ticking = False
        self._carried = (0, 0, 0, 0)  # bytes, messages, connects, refusals of earlier transports
        self.connect_times: list[float] = []  # each CONNACK (the reconnect-storm measurement)
        self._said: tuple[str, str] = ("", "")  # the state last logged

    def _transport(self) -> MqttTransport:
        return MqttTransport(
            self.brokers,
            self.name,
            on_message=self._on_message,
            on_connect=self._on_connect,
            on_disconnect=self._on_disconnect,
            mqtt5=False,  # NATS speaks 3.1.1
            keepalive_s=30,
            reconnect=self._backoff,
            loop=self.loop,
        )

    # ------------------------------------------------------------ life

    def start(self) -> None:
        self.online = True
        self.transport.begin()
        if not self._ticking:
            self._ticking = True
            self.loop.call_later(TICK_S * random.random(), self._tick)

    def go_offline(self) -> None:
        """The car is switched off: the socket closes without DISCONNECT; the session stays."""
        self.online = False
        self.transport.drop()
        self._run(self.sync.disconnected(self._clock()))

    def come_back(self) -> None:
        """Switched on again: a new connection (same client id, same session) from the first node."""
        old = self.transport
        self._carried = (
            self._carried[0] + old.bytes_received,
            self._carried[1] + old.messages_received,
            self._carried[2] + old.connects,
            self._carried[3] + old.subscribe_refusals,
        )
        self.transport = self._transport()
        self.start()

    def wipe_session(self) -> None:
        """What a broker's session expiry does while the car is away: a clean-session CONNECT
        under the car's id discards its session (NATS 2.9 has no expiry for MQTT sessions)."""

        def done() -> None:
            self.loop.call_later(0.0, wiper.close)

        wiper = MqttTransport(
            self.brokers, self.name, on_message=lambda m: None, on_connect=done, mqtt5=False, persistent=False,
            loop=self.loop,
        )  # fmt: skip
        wiper.begin()

    def close(self) -> None:
        self.online = False
        self._ticking = False
        self.transport.close()
        if self.sqlite is not None:
            self.sqlite.drain()
            self.sqlite.store.close()

    def _tick(self) -> None:
        if not self._ticking:
            return
        if self.online:
            self._run(self.sync.tick(self._clock()))
        self.loop.call_later(TICK_S, self._tick)

    # ------------------------------------------------------------ report

    def digest(self) -> str:
        if self.sqlite is not None:
            self.sqlite.drain()
            return cache_digest(self.sqlite.store)
        assert self.light is not None
        return self.light.digest()

    def report(self, with_digest: bool = False) -> dict[str, Any]:
        s = self.sync.status()
        t = self.transport
        out = {
            "car": self.name,
            "kind": "sqlite" if self.sqlite is not None else "digest",
            "state": s.state,
            "detail": s.detail,
            "synced": self.sync.synced,
            "version": self.sync.version,
            "status_seq": self.sync.status_seq,
            "online": self.online,
            "connected": t.connected,
            "node": f"{t.address.host}:{t.address.port}",
            "connects": t.connects + self._carried[2],
            "reconnect_failures": t.reconnect.failures,
            "subscribe_refusals": t.subscribe_refusals + self._carried[3],
            "bytes": t.bytes_received + self._carried[0],
            "messages": t.messages_received + self._carried[1],
            "requests": self.requests_sent,
            "rejected": dict(self.sync.rejected),
            "last_error": t.last_error,
        }
        if with_digest:
            out["digest"] = self.digest()
        return out

    # ------------------------------------------------------------ transport callbacks (loop thread)

    def _on_connect(self) -> None:
        self.connect_times.append(self._clock())
        for t in self.topics.car_subscriptions(self.name, one_filter=self.wildcard):
            self.transport.subscribe(t)
        self._run(self.sync.connected(self._clock()))

    def _on_disconnect(self) -> None:
        self._run(self.sync.disconnected(self._clock()))

    def _on_message(self, msg: Incoming) -> None:
        self._run(self.sync.receive(msg.topic, msg.payload, self._clock(), msg.retained))

    def _run(self, actions: Sequence[Action], recovering: bool = False) -> None:
        for a in actions:
            if isinstance(a, CACHE_WRITES):
                try:
                    if self.sqlite is not None:
                        self.sqlite.apply(a)
                    else:
                        assert self.light is not None
                        self.light.apply(a)
                except Exception as exc:
                    self.write_failures += 1
                    if not recovering and self.sqlite is not None:
                        permanent = isinstance(exc, RecordConflictError)
                        position = self.sqlite.ledger.position()
                        self._run(
                            self.sync.apply_failed(
                                a, str(exc), permanent=permanent, position=position, now=self._clock()
                            ),
                            recovering=True,
                        )
                    return
                self.sync.applied()
            elif isinstance(a, Subscribe):
                self.transport.subscribe(a.topic)
            elif isinstance(a, Unsubscribe):
                self.transport.unsubscribe(a.topic)
            elif isinstance(a, SendRequest):
                self.transport.publish(a.topic, a.request.to_json(), response_topic=a.request.reply_to)
                self.requests_sent += 1
            elif isinstance(a, StateChanged):
                said = (a.status.state, a.status.detail)
                if said != self._said:  # not every message's new last_contact
                    self._said = said
                    log.info("%s: %s (%s)", self.name, *said)
            elif isinstance(a, Reject):
                log.info("%s: refused a message on %s: %s", self.name, a.topic, a.reason)
