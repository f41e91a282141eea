"""The MQTT adapter: the only module that imports paho-mqtt.

:class:`MqttTransport` is one broker connection with what the sync needs and nothing else:
a persistent session (fixed client id, clean start off, a session expiry; MQTT 5, or 3.1.1 with
``clean_session=False`` for brokers that speak only that), QoS 1, reconnects, request/response
and message-expiry properties, TLS and username/password. Incoming messages are handed to
``on_message(Incoming)`` on paho's network thread and acknowledged once it returns (the sync
client never lets an exception out of it: every message is judged, applied or refused, and
acknowledged, so none can sit unacknowledged and use up the broker's in-flight window).

Reconnects wait a :class:`~sync.protocol.pacing.Backoff` delay (growing, full jitter, reset by
a successful CONNACK), so that a fleet does not come back in step after a broker restart. The
transport holds a list of broker addresses (a cluster's nodes, :func:`broker_urls`) and moves to
the next one after each failure, so a car whose node dies resumes its persistent session on
another node. A SUBSCRIBE the broker refuses (SUBACK 0x80: a NATS node that could not create
the session's JetStream consumer during a failure or under load) is sent again after a growing,
capped, jittered wait.

By default paho runs its own network thread (``loop_start``); given a
:class:`~sync.mqtt_loop.NetworkLoop` the client is driven by that loop's thread instead, with
every wait on its timers (the fleet simulator runs hundreds of cars on one thread that way).
"""

from __future__ import annotations

import logging
import random
import ssl
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from sync.addresses import BrokerAddress, broker_urls
from sync.errors import TransportError
from sync.mqtt_loop import NetworkLoop
from sync.protocol.pacing import Backoff

log = logging.getLogger(__name__)

DEFAULT_SESSION_EXPIRY_S = 30 * 24 * 3600  # a car may sleep in a garage for weeks
RECONNECT_BASE_S = 1.0
RECONNECT_CAP_S = 60.0
SUBSCRIBE_RETRY_BASE_S = 1.0
SUBSCRIBE_RETRY_CAP_S = 30.0
#: With a NetworkLoop paho's TCP connect blocks every car of the loop: keep it short.
LOOP_CONNECT_TIMEOUT_S = 2.0

__all__ = ["BrokerAddress", "Incoming", "MessageHandler", "MqttTransport", "broker_urls"]


@dataclass(frozen=True)
class Incoming:
    """One message from the broker: ``retained`` is set when the broker sent its retained copy
    (on a new subscription), not a message published while we were subscribed."""

    topic: str
    payload: bytes
    response_topic: str | None = None
    retained: bool = False


MessageHandler = Callable[[Incoming], None]


class MqttTransport:
    """One persistent-session connection. ``connect()`` blocks until the broker accepts us."""

    def __init__(
        self,
        url: str | Sequence[str],
        client_id: str,
        *,
        on_message: MessageHandler,
        on_connect: Callable[[], None] | None = None,
        on_disconnect: Callable[[], None] | None = None,
        mqtt5: bool = True,
        persistent: bool = True,
        session_expiry_s: int = DEFAULT_SESSION_EXPIRY_S,
        ca_file: str | None = None,
        username: str | None = None,
        password: str | None = None,
        keepalive_s: int = 15,
        reconnect: Backoff | None = None,
        loop: NetworkLoop | None = None,
    ) -> None:
        urls = broker_urls(url)
        if not urls:
            raise TransportError("no broker URL")
        self.addresses = [BrokerAddress.parse(u) for u in urls]
        if len({a.tls for a in self.addresses}) > 1:
            raise TransportError("the broker URLs mix mqtt:// and mqtts://")
        self._at = 0  # the address in use
        self.client_id = client_id
        self.mqtt5 = mqtt5
        self._on_message_cb = on_message
        self._on_connect_cb = on_connect
        self._on_disconnect_cb = on_disconnect
        self._persistent = persistent
        self._session_expiry_s = session_expiry_s
        self._keepalive_s = keepalive_s
        self._connected = threading.Event()
        self._refused: str | None = None
        self._acks: dict[int, int] = {}  # mid → PUBACK reason code value (MQTT 5)
        self._lock = threading.Lock()
        self.reconnect = reconnect or Backoff(RECONNECT_BASE_S, RECONNECT_CAP_S, rng=random.Random(), jitter="full")
        self._loop = loop
        self._sub_tries: dict[str, int] = {}  # topic → refused SUBSCRIBEs in a row
        self._sub_mids: dict[int, str] = {}
        self.subscribe_refusals = 0
        self.last_error = ""
        self._closing = False
        self.bytes_received = 0  # payload bytes, for the bandwidth measurements
        self.messages_received = 0
        self.connects = 0
        if mqtt5:
            c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
        else:
            c = mqtt.Client(
                mqtt.CallbackAPIVersion.VERSION2,
                client_id=client_id,
                protocol=mqtt.MQTTv311,
                clean_session=not persistent,
            )
        c.manual_ack_set(True)
        c.max_inflight_messages_set(50)
        if self.address.tls:
            c.tls_set(ca_certs=ca_file, cert_reqs=ssl.CERT_REQUIRED)
        if username:
            c.username_pw_set(username, password)
        c.on_connect = self._handle_connect
        c.on_connect_fail = self._handle_connect_fail
        c.on_disconnect = self._handle_disconnect
        c.on_message = self._handle_message
        c.on_publish = self._handle_publish
        c.on_subscribe = self._handle_subscribe
        self._client = c
        if loop is not None:
            c.connect_timeout = LOOP_CONNECT_TIMEOUT_S  # the TCP connect blocks the loop's thread
            loop.attach(c)

    # ------------------------------------------------------------ lifecycle

    @property
    def address(self) -> BrokerAddress:
        """The broker in use (or tried last)."""
        return self.addresses[self._at]

    def _connect_args(self) -> dict:
        a = self.address
        if not self.mqtt5:
            return {"host": a.host, "port": a.port, "keepalive": self._keepalive_s}
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = self._session_expiry_s if self._persistent else 0
        return {
            "host": a.host,
            "port": a.port,
            "keepalive": self._keepalive_s,
            "clean_start": not self._persistent,
            "properties": props,
        }

    def begin(self) -> None:
        """With a :class:`NetworkLoop`: start connecting without waiting (the loop's thread
        carries on, and retries with the backoff when no broker answers)."""
        if self._loop is None:
            raise TransportError("begin() needs a NetworkLoop; use connect()")
        self._closing = False
        self._client.connect_async(**self._connect_args())
        self._attempt()

    def _attempt(self) -> None:
        if self._closing:
            return
        try:
            self._client.reconnect()
        except (OSError, ssl.SSLError) as exc:
            self.last_error = f"cannot reach broker {self.address.host}:{self.address.port} ({exc})"
            self._next_attempt()

    def connect(self, timeout_s: float = 10.0) -> None:
        """Connect (the first broker that answers) and start the network thread, which reconnects
        by itself from then on; raises :class:`TransportError` if no broker accepts us."""
        if self._loop is not None:
            raise TransportError("a transport driven by a NetworkLoop connects with begin()")
        errors = []
        for _ in self.addresses:
            try:
                self._client.connect(**self._connect_args())
                break
            except (OSError, ssl.SSLError) as exc:
                errors.append(f"{self.address.host}:{self.address.port}: {exc}")
                self._at = (self._at + 1) % len(self.addresses)
        else:
            raise TransportError(f"cannot reach broker {'; '.join(errors)}")
        self._client.loop_start()
        if not self._connected.wait(timeout_s):
            self.close()
            raise TransportError(
                self._refused or f"broker {self.address.host}:{self.address.port} did not accept us in {timeout_s} s"
            )

    def close(self) -> None:
        self._closing = True
        self._client.disconnect()
        if self._loop is None:
            self._client.loop_stop()
        else:
            self._loop.call_later(1.0, lambda: self._loop.detach(self._client) if self._loop else None)

    def drop(self) -> None:
        """Close the socket without a DISCONNECT, as a car whose power is cut (the broker keeps
        the session and, for 3.1.1, notices at the keepalive or the socket's end)."""
        self._closing = True
        self._connected.clear()
        sock = self._client.socket()
        if sock is not None:
            self._client._sock_close()  # paho has no public "vanish"
        if self._loop is not None:
            self._loop.detach(self._client)

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def wait_connected(self, timeout_s: float) -> bool:
        return self._connected.wait(timeout_s)

    # ------------------------------------------------------------ messages

    def subscribe(self, topic: str) -> None:
        """QoS 1. A repeated SUBSCRIBE replaces the subscription and the broker sends the retained
        messages again; it is not preceded by an UNSUBSCRIBE, which on NATS would delete the
        session's replicated JetStream consumer only to create it again."""
        rc, mid = self._client.subscribe(topic, qos=1)
        if rc == mqtt.MQTT_ERR_SUCCESS and mid is not None:
            with self._lock:
                self._sub_mids[mid] = topic

    def unsubscribe(self, topic: str) -> None:
        self._client.unsubscribe(topic)

    def publish(
        self,
        topic: str,
        payload: bytes,
        *,
        retain: bool = False,
        qos: int = 1,
        response_topic: str | None = None,
        expiry_s: int | None = None,
        wait_s: float | None = None,
    ) -> None:
        """Queue one message. ``expiry_s`` (MQTT 5) lets the broker drop it, from its retained
        store and from sleeping cars' queues, once that old. With ``wait_s`` block until the
        broker acknowledged it and raise :class:`TransportError` if it refused (MQTT 5 reports
        ACL denials in the PUBACK). Never wait from inside ``on_message``: that thread is the one
        that reads the PUBACK."""
        props = None
        if (response_topic or expiry_s) and self.mqtt5:
            props = Properties(PacketTypes.PUBLISH)
            if response_topic:
                props.ResponseTopic = response_topic
            if expiry_s:
                props.MessageExpiryInterval = max(1, int(expiry_s))
        info = self._client.publish(topic, payload, qos=qos, retain=retain, properties=props)
        if info.rc not in (mqtt.MQTT_ERR_SUCCESS, mqtt.MQTT_ERR_NO_CONN):
            raise TransportError(f"publish to {topic} failed: {mqtt.error_string(info.rc)}")
        if wait_s is None:
            return
        try:
            info.wait_for_publish(wait_s)
        except (RuntimeError, ValueError) as exc:
            raise TransportError(f"publish to {topic} failed: {exc}") from exc
        if not info.is_published():
            raise TransportError(f"publish to {topic} not acknowledged within {wait_s} s")
        with self._lock:
            code = self._acks.pop(info.mid, 0)
        if code >= 0x80:
            raise TransportError(f"broker refused publish to {topic}: reason code {code:#x}")

    # ------------------------------------------------------------ paho callbacks (network thread)

    def _handle_connect(self, client, userdata, flags, reason_code, properties) -> None:
        if reason_code.is_failure:
            self._refused = self.last_error = f"broker refused the connection: {reason_code}"
            log.warning("%s: %s", self.client_id, self._refused)
            return
        self.reconnect.reset()  # a success: the next outage starts with a short wait again
        self.connects += 1
        log.info(
            "%s: connected to %s:%s (session present: %s)",
            self.client_id,
            self.address.host,
            self.address.port,
            getattr(flags, "session_present", None),
        )
        self._connected.set()
        if self._on_connect_cb:
            self._on_connect_cb()

    def _next_attempt(self) -> None:
        """Before paho waits to reconnect: pick the next broker and a jittered, growing wait."""
        delay = self.reconnect.next_delay()
        if len(self.addresses) > 1:
            self._at = (self._at + 1) % len(self.addresses)
            self._client.connect_async(**self._connect_args())
        if self._loop is not None:
            self._loop.call_later(delay, self._attempt)
        else:
            # paho types the delays as int; it sleeps fractions of a second as well.
            self._client.reconnect_delay_set(delay, delay)  # type: ignore[arg-type]
        log.info("%s: next attempt at %s:%s in %.1f s", self.client_id, self.address.host, self.address.port, delay)

    def _handle_connect_fail(self, client, userdata) -> None:
        self.last_error = f"cannot reach broker {self.address.host}:{self.address.port}"
        self._next_attempt()

    def _handle_disconnect(self, client, userdata, flags, reason_code, properties) -> None:
        was_connected = self._connected.is_set()
        self._connected.clear()
        if reason_code.is_failure:
            self.last_error = f"disconnected: {reason_code}"
        if not self._closing:
            self._next_attempt()
        if was_connected and self._on_disconnect_cb:
            self._on_disconnect_cb()

    def _handle_subscribe(self, client, userdata, mid, reason_codes, properties) -> None:
        with self._lock:
            topic = self._sub_mids.pop(mid, None)
        if topic is None:
            return
        if not any(rc.is_failure for rc in reason_codes):
            self._sub_tries.pop(topic, None)
            return
        self.subscribe_refusals += 1
        tries = self._sub_tries.get(topic, 0) + 1
        self._sub_tries[topic] = tries
        # Sent again, after a wait that grows with each refusal in a row (reset only by a granted
        # SUBSCRIBE) up to a cap, fully jittered. Not a failover: a refusal means the cluster's
        # JetStream is overloaded or electing, and moving a fleet's sessions around adds to that
        # (measured: 1,000 cars failing over on refusals kept a cluster refusing for minutes).
        ceiling = min(SUBSCRIBE_RETRY_CAP_S, SUBSCRIBE_RETRY_BASE_S * 2 ** min(tries - 1, 16))
        delay = ceiling * self.reconnect.rng.random()
        log.info("%s: broker refused the subscription to %s; again in %.1f s", self.client_id, topic, delay)
        self._later(delay, lambda: self.subscribe(topic) if self.connected else None)

    def _later(self, delay_s: float, fn: Callable[[], None]) -> None:
        if self._loop is not None:
            self._loop.call_later(delay_s, fn)
        else:
            t = threading.Timer(delay_s, fn)
            t.daemon = True
            t.start()

    def _handle_publish(self, client, userdata, mid, reason_code, properties) -> None:
        with self._lock:
            self._acks[mid] = reason_code.value if self.mqtt5 else 0
            if len(self._acks) > 10_000:
                self._acks.clear()

    def _handle_message(self, client, userdata, msg) -> None:
        response_topic = getattr(msg.properties, "ResponseTopic", None) if msg.properties else None
        payload = bytes(msg.payload)
        self.bytes_received += len(payload)
        self.messages_received += 1
        try:
            self._on_message_cb(Incoming(msg.topic, payload, response_topic, bool(msg.retain)))
        except Exception:  # acknowledged all the same: an unacknowledged message blocks the session
            log.exception("handling a message on %s failed", msg.topic)
        if msg.qos:
            client.ack(msg.mid, msg.qos)
