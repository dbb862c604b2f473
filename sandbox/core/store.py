"""A small JSON document store on SQLite: every sandbox object survives a restart.

Objects are keyed by (vendor, kind, id) and carry the workspace that owns them, so a token only
ever sees its own. One lock serialises writes; SQLite in WAL mode lets reads run beside them.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Document = dict[str, Any]


class Store:
    """Persistent documents for all four emulated vendors."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS objects (vendor TEXT, kind TEXT, id TEXT, owner TEXT,"
            " seq INTEGER, data TEXT, PRIMARY KEY (vendor, kind, id))"
        )
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER)"
        )

    def put(self, vendor: str, kind: str, id_: str, owner: str, data: Document) -> Document:
        """Insert or replace one object; insertion order is kept for listings."""
        with self._lock:
            row = self._db.execute(
                "SELECT seq FROM objects WHERE vendor=? AND kind=? AND id=?", (vendor, kind, id_)
            ).fetchone()
            seq = row[0] if row else time.time_ns()
            self._db.execute(
                "INSERT OR REPLACE INTO objects VALUES (?, ?, ?, ?, ?, ?)",
                (vendor, kind, id_, owner, seq, json.dumps(data)),
            )
        return data

    def get(self, vendor: str, kind: str, id_: str, owner: str | None = None) -> Document | None:
        """One object, or None when it does not exist or belongs to another workspace."""
        with self._lock:
            row = self._db.execute(
                "SELECT owner, data FROM objects WHERE vendor=? AND kind=? AND id=?",
                (vendor, kind, id_),
            ).fetchone()
        if row is None or (owner is not None and row[0] != owner):
            return None
        result: Document = json.loads(row[1])
        return result

    def all(
        self,
        vendor: str,
        kind: str,
        owner: str | None = None,
        where: Callable[[Document], bool] | None = None,
    ) -> list[Document]:
        """Objects of one kind in creation order, optionally one workspace's and filtered."""
        query = "SELECT data FROM objects WHERE vendor=? AND kind=?"
        args: list[Any] = [vendor, kind]
        if owner is not None:
            query += " AND owner=?"
            args.append(owner)
        with self._lock:
            rows = self._db.execute(query + " ORDER BY seq", args).fetchall()
        docs = [json.loads(row[0]) for row in rows]
        return [doc for doc in docs if where is None or where(doc)]

    def owner_of(self, vendor: str, kind: str, id_: str) -> str | None:
        with self._lock:
            row = self._db.execute(
                "SELECT owner FROM objects WHERE vendor=? AND kind=? AND id=?", (vendor, kind, id_)
            ).fetchone()
        return None if row is None else str(row[0])

    def delete(self, vendor: str, kind: str, id_: str) -> bool:
        """Remove one object; False when it was not there."""
        with self._lock:
            cursor = self._db.execute(
                "DELETE FROM objects WHERE vendor=? AND kind=? AND id=?", (vendor, kind, id_)
            )
        return cursor.rowcount > 0

    def next_number(self, name: str) -> int:
        """A persistent sequence, for ids that must never repeat across restarts."""
        with self._lock:
            self._db.execute(
                "INSERT INTO counters VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value=value+1",
                (name,),
            )
            row = self._db.execute("SELECT value FROM counters WHERE name=?", (name,)).fetchone()
        return int(row[0])

    def kinds(self) -> list[tuple[str, str, int]]:
        """(vendor, kind, count) for every kind that holds objects: what a test calls 'empty'."""
        with self._lock:
            rows = self._db.execute(
                "SELECT vendor, kind, COUNT(*) FROM objects GROUP BY vendor, kind"
            ).fetchall()
        return [(str(v), str(k), int(n)) for v, k, n in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()
