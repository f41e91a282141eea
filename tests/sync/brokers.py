"""Real brokers for the sync tests: Mosquitto (and NATS for MQTT 3.1.1) on free loopback ports,
with configs written here. Started and killed by the fixtures in ``conftest.py``."""

from __future__ import annotations

import getpass
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tests.waiting import free_port, wait_port


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
        )
        wait_port(self.mqtt_port, self.proc)
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
