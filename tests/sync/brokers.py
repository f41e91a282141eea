"""Real brokers for the sync tests: Mosquitto (and NATS for MQTT 3.1.1) on free loopback ports,
with configs written here. Started and killed by the fixtures in ``conftest.py``."""

from __future__ import annotations

import getpass
import json
import shutil
import signal
import subprocess
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tests.waiting import PATIENCE_S, free_port, wait_for, wait_port


@dataclass
class Mosquitto:
    """A private Mosquitto. ``extra`` lines go into the config (ACLs, queue limits, TLS)."""

    workdir: Path
    port: int = field(default_factory=free_port)
    extra: tuple[str, ...] = ()
    listener: str = ""
    anonymous: bool = True
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def write_config(self) -> Path:
        (self.workdir / "data").mkdir(parents=True, exist_ok=True)
        lines = [
            self.listener or f"listener {self.port} 127.0.0.1",
            f"allow_anonymous {'true' if self.anonymous else 'false'}",
            f"user {getpass.getuser()}",  # as root, Mosquitto would drop to 'mosquitto' and lose the tmp dir
            "persistence true",
            f"persistence_location {self.workdir / 'data'}/",
            "log_dest stderr",
            "log_type error",
            *self.extra,
        ]
        conf = self.workdir / "mosquitto.conf"
        conf.write_text("\n".join(lines) + "\n")
        return conf

    def start(self) -> Mosquitto:
        conf = self.write_config()
        self.proc = subprocess.Popen(
            [shutil.which("mosquitto") or "/usr/sbin/mosquitto", "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=open(self.workdir / "mosquitto.log", "ab"),  # noqa: SIM115 — the broker holds it
        )
        wait_port(self.port, self.proc)
        return self

    def stop(self) -> None:
        """SIGTERM: Mosquitto writes its persistence file (retained messages, sessions) on exit."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.proc = None

    def kill(self) -> None:
        """SIGKILL: gone without writing anything (what a crash before the autosave loses)."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self.proc = None

    def replaced_by_empty(self) -> Mosquitto:
        """A new broker on the same port with nothing retained and no sessions (a broker restarted
        without persistence, or a new one behind the same address)."""
        self.kill()
        fresh = Mosquitto(
            self.workdir.with_name(self.workdir.name + "-new"), self.port, self.extra, self.listener, self.anonymous
        )
        return fresh.start()


@dataclass
class Nats:
    """NATS server with its MQTT 3.1.1 listener (persistent sessions need JetStream)."""

    workdir: Path
    port: int = field(default_factory=free_port)
    mqtt_port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.mqtt_port}"

    def start(self) -> Nats:
        conf = self.workdir / "nats.conf"
        conf.write_text(
            f'server_name: "ivi-test"\nlisten: 127.0.0.1:{self.port}\n'
            f'jetstream {{ store_dir: "{self.workdir / "js"}" }}\n'
            f"mqtt {{ listen: 127.0.0.1:{self.mqtt_port} }}\n"
        )
        self.proc = subprocess.Popen(
            [shutil.which("nats-server") or "/usr/sbin/nats-server", "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=open(self.workdir / "nats.log", "ab"),  # noqa: SIM115 — the server holds it
            cwd=self.workdir,  # nats-server 2.9 writes some consumers' meta.inf/meta.sum to its working directory
        )
        wait_port(self.mqtt_port, self.proc)
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


@dataclass
class NatsNode:
    """One node of :class:`NatsCluster`: its ports, its own JetStream store, its process."""

    name: str
    workdir: Path
    port: int = field(default_factory=free_port)
    http_port: int = field(default_factory=free_port)
    route_port: int = field(default_factory=free_port)
    mqtt_port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.mqtt_port}"

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def config(self, routes: list[str], ack_wait: str) -> str:
        # Replica counts set explicitly: left out, they follow the number of routes listed.
        # ack_wait 5 s: an in-flight QoS 1 message is redelivered after it (30 s by default).
        return (
            f'server_name: "{self.name}"\nhost: 127.0.0.1\nport: {self.port}\nhttp_port: {self.http_port}\n'
            f'jetstream {{ store_dir: "{self.workdir / "js"}" }}\n'
            f"cluster {{ name: ivi, host: 127.0.0.1, port: {self.route_port}, routes: [{', '.join(routes)}] }}\n"
            f"mqtt {{ host: 127.0.0.1, port: {self.mqtt_port}, "
            f'stream_replicas: 3, consumer_replicas: 3, ack_wait: "{ack_wait}" }}\n'
        )

    def monitor(self, path: str) -> dict | None:
        """The node's monitoring endpoint ``path`` as JSON, or None if it does not answer."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.http_port}{path}", timeout=1) as r:
                return json.loads(r.read())
        except (OSError, ValueError):
            return None


@dataclass
class NatsCluster:
    """Three (``size``) NATS servers clustered over routes on loopback, each with JetStream (its
    own store dir) and an MQTT 3.1.1 listener. ``start()`` returns once every node answers
    ``/healthz`` and a JetStream meta leader is elected; :meth:`kill` (SIGKILL) and
    :meth:`restart` are the faults the fleet tests inject."""

    workdir: Path
    size: int = 3
    ack_wait: str = "5s"
    nodes: list[NatsNode] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.nodes:
            self.nodes = [NatsNode(f"n{i}", self.workdir / f"n{i}") for i in range(self.size)]

    @property
    def urls(self) -> list[str]:
        return [n.url for n in self.nodes]

    def _launch(self, node: NatsNode) -> None:
        node.workdir.mkdir(parents=True, exist_ok=True)
        routes = [f"nats-route://127.0.0.1:{n.route_port}" for n in self.nodes]
        conf = node.workdir / "nats.conf"
        conf.write_text(node.config(routes, self.ack_wait))
        node.proc = subprocess.Popen(
            [shutil.which("nats-server") or "/usr/sbin/nats-server", "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=open(node.workdir / "nats.log", "ab"),  # noqa: SIM115 — the server holds it
            cwd=node.workdir,  # nats-server 2.9 writes some consumers' meta.inf/meta.sum to its working directory
        )

    def start(self, timeout_s: float = PATIENCE_S, tries: int = 3) -> NatsCluster:
        """Launch every node; a node that exits at once (a port taken meanwhile by another
        process on a shared machine) costs a fresh set of ports, up to ``tries`` times."""
        for attempt in range(tries):
            for n in self.nodes:
                self._launch(n)
            try:
                self.wait_ready(timeout_s)
                return self
            except RuntimeError:
                self.stop()
                if attempt == tries - 1:
                    raise
                for i, n in enumerate(self.nodes):
                    self.nodes[i] = NatsNode(n.name, n.workdir.with_name(f"{n.name}-{attempt + 1}"))
        return self

    def wait_ready(self, timeout_s: float = PATIENCE_S, *, healthy: bool = True) -> None:
        """Every live node's MQTT port open, routed to the others, healthy (``/healthz``; a
        restarted node under load fails it for minutes, while cars' consumers it holds are "not
        current", so a restart waits for the routes instead), and a JetStream meta leader known."""
        live = [n for n in self.nodes if n.proc is not None]
        for n in live:
            wait_port(n.mqtt_port, n.proc, timeout_s)

        def ready() -> bool:
            for n in live:
                if n.proc is not None and n.proc.poll() is not None:
                    raise RuntimeError(f"NATS node {n.name} exited with code {n.proc.returncode}")
            if healthy and not all(n.monitor("/healthz") == {"status": "ok"} for n in live):
                return False
            if not healthy and any((n.monitor("/routez") or {}).get("num_routes", 0) < len(live) - 1 for n in live):
                return False
            return any(((n.monitor("/jsz") or {}).get("meta_cluster") or {}).get("leader") for n in live)

        if not wait_for(ready, timeout_s):
            raise RuntimeError(f"the NATS cluster is not ready after {timeout_s:g} s (see {self.workdir}/n*/nats.log)")

    def leader(self) -> int | None:
        """The index of the node that leads JetStream's meta group, if one is known."""
        for n in self.nodes:
            name = ((n.monitor("/jsz") or {}).get("meta_cluster") or {}).get("leader")
            if name:
                return next((i for i, m in enumerate(self.nodes) if m.name == name), None)
        return None

    def kill(self, i: int, sig: int = signal.SIGKILL) -> None:
        """Node ``i`` gone at once (SIGKILL: no goodbye to its clients or its peers)."""
        n = self.nodes[i]
        if n.alive and n.proc is not None:
            n.proc.send_signal(sig)
            n.proc.wait(10)

    def restart(self, i: int, timeout_s: float = PATIENCE_S) -> None:
        """Node ``i`` back on the same ports and store (it rejoins and catches up)."""
        self.kill(i)
        self._launch(self.nodes[i])
        self.wait_ready(timeout_s, healthy=False)

    def pids(self) -> list[int | None]:
        return [n.proc.pid if n.alive and n.proc else None for n in self.nodes]

    def stop(self) -> None:
        """SIGTERM to every node (each flushes its store), SIGKILL for one that lingers."""
        for n in self.nodes:
            if n.alive and n.proc is not None:
                n.proc.terminate()
        for n in self.nodes:
            if n.proc is not None:
                try:
                    n.proc.wait(10)
                except subprocess.TimeoutExpired:
                    n.proc.kill()
                    n.proc.wait(5)
            n.proc = None
