"""Handing a stop to the navigation app.

The head unit's navigation app listens on the vehicle's local MQTT broker; until that link is
wired (``sync``'s MQTT transport is the one paho adapter), the hand-off is one JSON line on
stdout — ``{"navigate_to": {...}}`` — which a wrapper script or the navigation app can read.
The message shape is the same either way (topic ``vehicle/navigation/destination``).
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable
from dataclasses import asdict
from typing import TextIO

from ivi.services.ports import NavTarget

NAV_TOPIC = "vehicle/navigation/destination"


def nav_message(target: NavTarget) -> str:
    return json.dumps({"navigate_to": asdict(target)}, ensure_ascii=False, sort_keys=True)


class PrintNavigation:
    """``NavigationSink`` that prints the hand-off message (one line) to a stream."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream
        self._lock = threading.Lock()
        self.sent: list[NavTarget] = []

    def navigate_to(self, target: NavTarget) -> None:
        with self._lock:
            self.sent.append(target)
            out = self.stream or sys.stdout
            out.write(nav_message(target) + "\n")
            out.flush()


class PublishNavigation:
    """``NavigationSink`` over any ``publish(topic, payload)`` callable (e.g. an MQTT client)."""

    def __init__(self, publish: Callable[[str, str], None]) -> None:
        self.publish = publish

    def navigate_to(self, target: NavTarget) -> None:
        self.publish(NAV_TOPIC, nav_message(target))
