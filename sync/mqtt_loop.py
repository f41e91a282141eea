"""Many paho clients on one thread: :class:`NetworkLoop`, a selector over their sockets.

paho's own ``loop_start()`` runs a thread per client. A fleet simulator runs hundreds of cars in
one process, and a thread per car costs a stack, a share of the interpreter lock's hand-offs and
a wake-up every second per client for nothing. paho supports being driven from outside: its
socket callbacks (``on_socket_open``/``close``/``register_write``/``unregister_write``) tell us
which sockets to watch, and ``loop_read``/``loop_write``/``loop_misc`` do the work when a socket
is ready or the keepalive is due. One :mod:`selectors` loop therefore drives any number of
clients, and timers (reconnect waits, SUBACK retries, the cars' ticks) run on the same thread,
so nothing needs a lock. The loop never blocks longer than its timeout.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import logging
import selectors
import time
from collections.abc import Callable
from typing import Any

import paho.mqtt.client as mqtt

log = logging.getLogger(__name__)

__all__ = ["MISC_EVERY_S", "NetworkLoop"]

#: How often every client's keepalive bookkeeping (``loop_misc``) runs.
MISC_EVERY_S = 1.0


class NetworkLoop:
    """One selector and one timer heap for many paho clients; run it with :meth:`run_once` (or
    :meth:`run_until`) on one thread, and touch the clients only from that thread."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._sel = selectors.DefaultSelector()
        self._timers: list[tuple[float, int, Callable[[], None]]] = []
        self._seq = itertools.count()
        self._clients: set[mqtt.Client] = set()
        self._misc_at = 0.0
        self.errors = 0  # callbacks that raised (logged; the loop carries on)

    def attach(self, client: mqtt.Client) -> None:
        """Drive ``client`` from this loop (instead of ``loop_start``)."""
        client.on_socket_open = self._opened
        client.on_socket_close = self._closed
        client.on_socket_register_write = self._want_write
        client.on_socket_unregister_write = self._done_writing
        self._clients.add(client)

    def detach(self, client: mqtt.Client) -> None:
        self._clients.discard(client)

    def add_reader(self, fileobj: Any, callback: Callable[[], None]) -> None:
        """Call ``callback()`` on this thread whenever ``fileobj`` is readable (a control pipe)."""
        self._sel.register(fileobj, selectors.EVENT_READ, callback)

    def call_later(self, delay_s: float, fn: Callable[[], None]) -> None:
        heapq.heappush(self._timers, (self.clock() + max(0.0, delay_s), next(self._seq), fn))

    # ------------------------------------------------------------ paho's socket callbacks

    def _opened(self, client: mqtt.Client, userdata: Any, sock: Any) -> None:
        self._watch(sock, selectors.EVENT_READ, client)

    def _closed(self, client: mqtt.Client, userdata: Any, sock: Any) -> None:
        with contextlib.suppress(KeyError, ValueError):
            self._sel.unregister(sock)

    def _want_write(self, client: mqtt.Client, userdata: Any, sock: Any) -> None:
        self._watch(sock, selectors.EVENT_READ | selectors.EVENT_WRITE, client)

    def _done_writing(self, client: mqtt.Client, userdata: Any, sock: Any) -> None:
        self._watch(sock, selectors.EVENT_READ, client)

    def _watch(self, sock: Any, events: int, client: mqtt.Client) -> None:
        try:
            self._sel.modify(sock, events, client)
        except KeyError:
            self._sel.register(sock, events, client)
        except ValueError:  # the socket is already closed
            pass

    # ------------------------------------------------------------ running

    def run_once(self, timeout_s: float = 0.1) -> None:
        """Run the timers that are due, then wait up to ``timeout_s`` for sockets and serve them."""
        now = self.clock()
        while self._timers and self._timers[0][0] <= now:
            _, _, fn = heapq.heappop(self._timers)
            self._guard(fn)
        if self._timers:
            timeout_s = min(timeout_s, max(0.0, self._timers[0][0] - now))
        if self._sel.get_map():
            ready = self._sel.select(timeout_s)
        else:
            time.sleep(timeout_s)
            ready = []
        for key, mask in ready:
            client = key.data
            if not isinstance(client, mqtt.Client):
                self._guard(client)
                continue
            if mask & selectors.EVENT_READ:
                self._guard(client.loop_read)
            if mask & selectors.EVENT_WRITE:
                self._guard(client.loop_write)
        now = self.clock()
        if now >= self._misc_at:
            self._misc_at = now + MISC_EVERY_S
            for c in list(self._clients):
                self._guard(c.loop_misc)

    def run_until(self, done: Callable[[], bool], timeout_s: float, step_s: float = 0.05) -> bool:
        """Run until ``done()`` or ``timeout_s`` passed; returns ``done()``."""
        deadline = self.clock() + timeout_s
        while not done():
            if self.clock() >= deadline:
                return bool(done())
            self.run_once(step_s)
        return True

    def _guard(self, fn: Callable[[], object]) -> None:
        try:
            fn()
        except Exception:  # one car's failure must not stop the others
            self.errors += 1
            log.exception("network loop: %s failed", getattr(fn, "__qualname__", fn))

    def close(self) -> None:
        self._sel.close()
