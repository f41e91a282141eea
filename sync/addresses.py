"""Broker addresses: one URL, or the nodes of a cluster given as a list or a comma-separated string."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlparse

from sync.errors import TransportError

__all__ = ["BrokerAddress", "broker_urls"]


def broker_urls(value: str | Sequence[str]) -> list[str]:
    """The broker URLs in ``value``: one URL, a comma-separated list, or a sequence of either
    (``--broker a --broker b,c``); blanks and repeats dropped, order kept."""
    parts = [value] if isinstance(value, str) else list(value)
    out: list[str] = []
    for p in parts:
        for u in p.split(","):
            u = u.strip()
            if u and u not in out:
                out.append(u)
    return out


@dataclass(frozen=True)
class BrokerAddress:
    host: str
    port: int
    tls: bool = False

    @classmethod
    def parse(cls, url: str) -> BrokerAddress:
        """``mqtt://host:1883``, ``mqtts://host:8883`` or ``host:port``."""
        u = urlparse(url if "://" in url else f"mqtt://{url}")
        if u.scheme not in ("mqtt", "mqtts", "tcp", "ssl") or not u.hostname:
            raise TransportError(f"not a broker URL: {url!r} (expected mqtt://host:port or mqtts://host:port)")
        tls = u.scheme in ("mqtts", "ssl")
        try:
            port = u.port or (8883 if tls else 1883)
        except ValueError as exc:
            raise TransportError(f"bad port in broker URL {url!r}") from exc
        return cls(u.hostname, port, tls)
