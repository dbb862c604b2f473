"""Real password-protected redis-server processes, one per handed-out Redis database.

Each server's port and password are kept in the store, so a restarted sandbox starts the same
servers again on the same ports and old connection strings keep working. Data is not persisted
(no RDB/AOF): like a fresh cache after a restart.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import redis

from sandbox.core.postgres import free_port
from sandbox.core.store import Store

_VENDOR, _KIND = "_backing", "redis"


class RedisFleet:
    """Starts, re-keys and stops the sandbox's redis-server processes."""

    def __init__(self, state_dir: Path, store: Store, host: str = "127.0.0.1") -> None:
        self.host = host
        self.root = state_dir / "redis"
        self._store = store
        self._processes: dict[str, subprocess.Popen[bytes]] = {}
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server not found: run `make setup`")
        self._binary = binary

    def create(self, id_: str, password: str) -> int:
        """Start a new server for ``id_``; returns its port."""
        port = free_port(self.host)
        self._launch(id_, port, password)
        return port

    def restart_all(self) -> None:
        """Bring back every server the store knows about (after a sandbox restart)."""
        for doc in self._store.all(_VENDOR, _KIND):
            self._launch(doc["id"], doc["port"], doc["password"])

    def set_password(self, id_: str, password: str) -> None:
        """Change the password of a running server; old connections keep their session."""
        doc = self._store.get(_VENDOR, _KIND, id_)
        if doc is None:
            raise KeyError(id_)
        client = redis.Redis(host=self.host, port=doc["port"], password=doc["password"])
        client.config_set("requirepass", password)
        client.close()
        self._store.put(_VENDOR, _KIND, id_, "", {**doc, "password": password})

    def flush(self, id_: str) -> None:
        doc = self._store.get(_VENDOR, _KIND, id_)
        if doc is not None:
            redis.Redis(host=self.host, port=doc["port"], password=doc["password"]).flushall()

    def delete(self, id_: str) -> None:
        """Stop the server and forget it; unknown ids are fine."""
        process = self._processes.pop(id_, None)
        if process is not None:
            process.terminate()
            process.wait(timeout=10)
        self._store.delete(_VENDOR, _KIND, id_)

    def running(self) -> list[str]:
        return sorted(self._processes)

    def stop_all(self) -> None:
        """Stop the processes but keep their records, so a restart brings them back."""
        for process in self._processes.values():
            process.terminate()
        for process in self._processes.values():
            process.wait(timeout=10)
        self._processes.clear()

    def _launch(self, id_: str, port: int, password: str) -> None:
        if id_ in self._processes and self._processes[id_].poll() is None:
            return
        workdir = self.root / id_
        workdir.mkdir(parents=True, exist_ok=True)
        self._processes[id_] = subprocess.Popen(
            [
                self._binary,
                "--port",
                str(port),
                "--bind",
                self.host,
                "--requirepass",
                password,
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(workdir),
                "--daemonize",
                "no",
                "--loglevel",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._store.put(_VENDOR, _KIND, id_, "", {"id": id_, "port": port, "password": password})
        self._wait_ready(port, password)

    def _wait_ready(self, port: int, password: str, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        client = redis.Redis(host=self.host, port=port, password=password, socket_timeout=1)
        while True:
            try:
                client.ping()
                client.close()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
