"""The OTA sync behind the screen: ``ivi-sync follow --events`` in a process of its own.

Applying a snapshot of 30,000 chargers is Python work; in the screen's process it would compete
with the GUI thread for the interpreter lock (measured: a 394 ms stall on a thread of the app,
44 ms from another process). So the app supervises the headless vehicle client instead: it reads
the client's JSON lines (status, changed stations) on a thread and hands them to the screen. The
client writes the cache through its own connection (WAL: the screen keeps reading). A broker that
cannot be reached, or a client that dies, is shown as *offline* with the reason and the client is
started again after a wait that doubles up to a cap, jittered (a fleet whose broker comes back
does not restart in step), and short again once a client got connected; the car keeps working
from its cache meanwhile. The broker login (user, password file, CA file) and the trusted keys
are ``ivi-sync follow`` options, passed in ``extra_args`` (the password never on the command line).
"""

from __future__ import annotations

import json
import logging
import os
import random
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ivi.services.ports import SyncStatus
from sync.protocol.pacing import Backoff

log = logging.getLogger(__name__)


def to_screen_status(s: dict[str, Any]) -> SyncStatus:
    """The client's ``{"status": {...}}`` line back into a :class:`SyncStatus` (tolerant: a field
    of the wrong type becomes its default, an unknown state ``error``)."""
    version, contact = s.get("version"), s.get("last_contact")
    return SyncStatus(
        str(s.get("state", "error")),
        float(s.get("progress") or 0.0),
        version if isinstance(version, int) else None,
        float(contact) if isinstance(contact, (int, float)) else None,
        str(s.get("detail") or ""),
    )


class MqttSync:
    """Follows the operator's dataset over MQTT into the cache file ``db_path``."""

    def __init__(
        self,
        db_path: Path,
        broker_url: str,
        pubkey: Path | str,
        client_id: str,
        *,
        prepare: Callable[[], None] = lambda: None,
        extra_args: Sequence[str] = (),
        retry_s: float = 2.0,
        max_retry_s: float = 60.0,
        nice: int = 5,
    ) -> None:
        self.db_path = Path(db_path)
        self.command = [
            sys.executable,
            "-m",
            "sync",
            "follow",
            "--broker",
            broker_url,
            "--db",
            str(db_path),
            "--pubkey",
            str(pubkey),
            "--client-id",
            client_id,
            "--events",
            *extra_args,
        ]
        self._prepare = prepare
        self._retry_s, self._max_retry_s, self._nice = retry_s, max_retry_s, nice
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._proc: subprocess.Popen[str] | None = None

    def start(
        self, on_status: Callable[[SyncStatus], None], on_changed: Callable[[Sequence[str] | None], None]
    ) -> None:
        on_status(SyncStatus("offline", 0.0, None, None, "connecting"))
        self._thread = threading.Thread(target=self._supervise, args=(on_status, on_changed), name="sync", daemon=True)
        self._thread.start()

    def _supervise(
        self, on_status: Callable[[SyncStatus], None], on_changed: Callable[[Sequence[str] | None], None]
    ) -> None:
        try:
            self._prepare()  # e.g. seed a cache that does not exist yet, before the client opens it
        except Exception as exc:  # the screen says why; the cache stays as it is
            on_status(SyncStatus("error", 0.0, None, None, f"cache: {exc}"))
            return
        backoff = Backoff(self._retry_s, self._max_retry_s, rng=random.Random())
        while not self._stop.is_set():
            code, err, connected = self._run_once(on_status, on_changed)
            if self._stop.is_set():
                return
            if connected:  # that client got as far as the broker: the next wait starts short again
                backoff.reset()
            reason = (err.strip().splitlines() or [f"sync client exited with status {code}"])[-1].removeprefix(
                "Error: "
            )
            if code == 2:  # the client's usage error: trying again cannot help
                on_status(SyncStatus("error", 0.0, None, None, reason))
                return
            delay = backoff.next_delay()
            on_status(SyncStatus("offline", 0.0, None, None, reason))
            log.info("sync client: %s; starting again in %.1f s", reason, delay)
            if self._stop.wait(delay):
                return

    def _run_once(
        self, on_status: Callable[[SyncStatus], None], on_changed: Callable[[Sequence[str] | None], None]
    ) -> tuple[int, str, bool]:
        """One run of the client; (exit status, its stderr, whether it ever got connected)."""
        nice = self._nice
        self._proc = proc = subprocess.Popen(
            self.command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
            preexec_fn=(lambda: os.nice(nice)) if nice else None,  # noqa: PLW1509 — only os.nice, async-signal-safe
        )
        err_lines: list[str] = []
        drain = threading.Thread(target=lambda: err_lines.extend(proc.stderr or ()), daemon=True)
        drain.start()
        assert proc.stdout is not None
        connected = False
        for line in proc.stdout:
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue  # not an event line (a library's print): ignore it
            if "status" in event:
                status = to_screen_status(event["status"])
                connected = connected or status.state != "offline"
                on_status(status)
            elif "changed" in event:
                on_changed(event["changed"])
        code = proc.wait()
        drain.join(2)
        return code, "".join(err_lines), connected

    def stop(self) -> None:
        self._stop.set()
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.terminate()  # follow turns SIGTERM into a clean stop
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        if self._thread is not None:
            self._thread.join(5)
