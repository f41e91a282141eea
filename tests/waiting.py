"""Waiting for real parts, shared by every test package: free loopback ports, a server's port
opening, a condition coming true. The bounds only cap how long a test waits for what it expects;
they are generous because CI machines can be slow, and a pass returns as soon as it happens."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable

#: Seconds a test waits for an expected event before it fails.
PATIENCE_S = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(cond: Callable[[], object], timeout_s: float = PATIENCE_S) -> bool:
    """Poll ``cond`` until it is true or ``timeout_s`` passes; returns its last value as a bool."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.05)
    return bool(cond())


def wait_port(port: int, proc: subprocess.Popen | None = None, timeout_s: float = PATIENCE_S) -> None:
    """Until something listens on 127.0.0.1:``port``; fails at once if ``proc`` (the server) exits."""

    def listening() -> bool:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server for port {port} exited with code {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            return False

    if not wait_for(listening, timeout_s):
        raise RuntimeError(f"nothing listens on port {port} after {timeout_s:g} s")
