"""A real PostgreSQL server owned by the sandbox: one database and one role per handed-out Postgres.

The cluster lives under the state dir and keeps its port across restarts, so connection strings
handed out before a restart still connect after it. Roles log in over TCP with a password
(scram-sha-256); the sandbox itself talks to the server as superuser over a private socket.
PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` user.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

SUPERUSER = "sandbox"
#: The longest path a Unix socket can have on Linux (``sun_path`` is 108 bytes with its NUL).
SOCKET_PATH_MAX = 107


@dataclass(frozen=True)
class Database:
    """Where one handed-out database is and how to log in to it."""

    host: str
    port: int
    name: str
    user: str
    password: str

    def url(self, scheme: str = "postgresql") -> str:
        return f"{scheme}://{self.user}:{self.password}@{self.host}:{self.port}/{self.name}"


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb is None:
        raise RuntimeError("PostgreSQL server binaries not found: run `make setup`")
    return Path(initdb).parent


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """Starts, stops and administers the sandbox's PostgreSQL cluster."""

    def __init__(self, state_dir: Path, host: str = "127.0.0.1") -> None:
        self.host = host
        self.root = state_dir / "postgres"
        self.data = self.root / "data"
        self.socket_dir = self.root / "run"
        self.port = 0
        self._bin = _bin_dir()
        self._as_root = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self._as_root else []
        subprocess.run([*prefix, *args], check=True, capture_output=True, text=True)

    def start(self) -> None:
        """Initialise the cluster on first use, then start it on its remembered port."""
        self.socket_dir = self._short_socket_dir()
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        port_file = self.root / "port"
        if not (self.data / "PG_VERSION").exists():
            self.data.mkdir(parents=True, exist_ok=True)
            self._own(self.root)
            self._run(
                str(self._bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                SUPERUSER,
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--no-sync",
            )
        self._own(self.root)
        self._own(self.socket_dir)
        self.port = int(port_file.read_text()) if port_file.exists() else free_port(self.host)
        port_file.write_text(str(self.port))
        options = (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses={self.host}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(self._bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.root / "server.log"),
            "-o",
            options,
            "-w",
            "start",
        )

    def stop(self) -> None:
        if not self.port:
            return
        self._run(str(self._bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        self.port = 0
        # pg_ctl can return before the postmaster removed its socket lock; a start on the same
        # state dir right after would then refuse to run.
        deadline = time.monotonic() + 10
        while any(self.socket_dir.glob(".s.PGSQL.*")) and time.monotonic() < deadline:
            time.sleep(0.02)
        if not self.socket_dir.is_relative_to(self.root):
            shutil.rmtree(self.socket_dir, ignore_errors=True)
            self.socket_dir = self.root / "run"

    def _short_socket_dir(self) -> Path:
        """``run/`` under the state dir, unless the socket's path there would be too long for
        Unix sockets (a deep temp dir, a long test name, a seven-digit pid): then a fresh dir
        directly under /tmp, removed on stop. The socket is runtime only: nothing keeps it."""
        inside = self.root / "run"
        if len(os.fsencode(inside / ".s.PGSQL.65535")) <= SOCKET_PATH_MAX:
            return inside
        return Path(tempfile.mkdtemp(prefix="sandbox-pg-", dir="/tmp"))

    def _own(self, path: Path) -> None:
        """As root, hand the cluster to ``postgres`` and let it traverse (not list) the parents."""
        if not self._as_root:
            return
        subprocess.run(["chown", "-R", "postgres:postgres", str(path)], check=True)
        for parent in path.resolve().parents:
            mode = parent.stat().st_mode
            if not mode & 0o001:
                parent.chmod(mode | 0o001)

    def _admin(self, dbname: str = "postgres") -> psycopg.Connection[Any]:
        return psycopg.connect(
            host=str(self.socket_dir),
            port=self.port,
            user=SUPERUSER,
            dbname=dbname,
            autocommit=True,
        )

    def create_database(self, name: str, user: str, password: str) -> Database:
        """A new database owned by a new login role with the given password."""
        with self._admin() as conn:
            conn.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                    sql.Identifier(user), sql.Literal(password)
                )
            )
            conn.execute(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(
                    sql.Identifier(name), sql.Identifier(user)
                )
            )
        return Database(self.host, self.port, name, user, password)

    def drop_database(self, name: str, user: str) -> None:
        """Drop the database (closing its connections) and its role; absent ones are fine."""
        with self._admin() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(user)))

    def copy_database(self, source: str, target: str) -> None:
        """Copy the schema and rows of ``source`` into the existing ``target``.

        Dumped without owners or grants and restored as superuser, so the copy's objects belong
        to whichever role the superuser acts as inside ``target``. A dump rather than ``CREATE
        DATABASE ... TEMPLATE``: a template must have no other connection, and the source is a
        live database that clients are connected to."""
        socket_args = ["-h", str(self.socket_dir), "-p", str(self.port), "-U", SUPERUSER]
        dump = subprocess.run(
            [str(self._bin / "pg_dump"), *socket_args, "--no-owner", "--no-privileges", source],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                str(self._bin / "psql"),
                *socket_args,
                "--no-psqlrc",
                "--quiet",
                "--single-transaction",
                "-v",
                "ON_ERROR_STOP=1",
                "-d",
                target,
            ],
            input=dump.stdout,
            check=True,
            capture_output=True,
        )

    def set_password(self, user: str, password: str) -> None:
        with self._admin() as conn:
            conn.execute(
                sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                    sql.Identifier(user), sql.Literal(password)
                )
            )

    def database_names(self) -> list[str]:
        with self._admin() as conn:
            rows = conn.execute(
                "SELECT datname FROM pg_database WHERE NOT datistemplate"
            ).fetchall()
        return sorted(str(row[0]) for row in rows if row[0] != "postgres")

    def query(
        self,
        dbname: str,
        statement: str,
        parameters: list[Any] | None = None,
        read_only: bool = False,
    ) -> list[dict[str, Any]]:
        """Run SQL in one database as superuser; the rows of the last statement, as dicts."""
        with self._admin(dbname) as conn:
            if read_only:
                conn.execute("SET default_transaction_read_only = on")
            with conn.cursor(row_factory=dict_row) as cursor:
                cursor.execute(statement.encode(), parameters or None)
                rows = cursor.fetchall() if cursor.description else []
                while cursor.nextset():  # a script answers with its last statement's rows
                    rows = cursor.fetchall() if cursor.description else []
        return [dict(row) for row in rows]
