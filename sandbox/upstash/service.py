"""Redis databases of one team: store documents backed by real redis-server processes.

Every database is a password-protected redis-server on the sandbox host, so ``endpoint`` is that
host (``127.0.0.1``), not the real ``<name>-<number>.upstash.io``, and ``port`` is the real port:
``redis.Redis(host=endpoint, port=port, password=password)`` connects. TLS is recorded and
reported only; the sandbox's redis speaks plain TCP.
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

from sandbox.core.context import VendorContext
from sandbox.upstash.auth import Caller
from sandbox.upstash.creation import NewDatabase
from sandbox.upstash.errors import UpstashError, not_found
from sandbox.upstash.records import (
    LIMITS,
    SECURITY_ADDONS,
    members,
    new_password,
    plan_fields,
    rest_tokens,
)

KIND = "database"


class Databases:
    """Create, read, change and delete databases; one lock keeps name checks race-free."""

    def __init__(self, ctx: VendorContext) -> None:
        self.ctx = ctx
        self.lock = threading.Lock()

    def list(self, caller: Caller) -> list[dict[str, Any]]:
        return self.ctx.store.all(self.ctx.vendor, KIND, owner=caller.team)

    def get(self, caller: Caller, database_id: str) -> dict[str, Any]:
        doc = self.ctx.store.get(self.ctx.vendor, KIND, database_id, owner=caller.team)
        if doc is None:
            raise not_found()
        return doc

    def save(self, caller: Caller, doc: dict[str, Any]) -> dict[str, Any]:
        return self.ctx.store.put(self.ctx.vendor, KIND, doc["database_id"], caller.team, doc)

    def check_name_free(self, caller: Caller, name: str, except_id: str = "") -> None:
        """UNCONFIRMED: the sources do not say; the sandbox refuses duplicate names per team."""
        for doc in self.list(caller):
            if doc["database_name"] == name and doc["database_id"] != except_id:
                raise UpstashError(400, f"database with name {name} already exists")

    def create(self, caller: Caller, new: NewDatabase) -> dict[str, Any]:
        with self.lock:
            self.check_name_free(caller, new.name)
            database_id, password = str(uuid.uuid4()), new_password()
            port = self.ctx.redis.create(database_id, password)
            doc = self._document(caller, new, database_id, password, port)
            return self.save(caller, doc)

    def _document(
        self, caller: Caller, new: NewDatabase, database_id: str, password: str, port: int
    ) -> dict[str, Any]:
        return {
            "database_id": database_id,
            "database_name": new.name,
            "region": "global",
            **plan_fields(new.plan),
            "port": port,
            "creation_time": int(self.ctx.now()),
            "budget": new.budget,
            "state": "active",
            "password": password,
            "user_email": caller.email,
            "customer_id": caller.email,
            "endpoint": self.ctx.redis.host,
            "tls": new.tls,
            **rest_tokens(database_id, password),
            **members(new.primary_region, new.read_regions),
            "eviction": new.eviction,
            "db_eviction": new.eviction,
            "auto_upgrade": new.auto_upgrade,
            "consistent": False,
            "multizone": False,
            "modifying_state": "",
            "daily_backup_enabled": False,
            "prod_pack_enabled": new.prod_pack_enabled,
            "last_plan_upgrade_time": 0,
            "replicas": 1 + len(new.read_regions),
            "allowed_ip_ranges": [],
            "securityAddons": dict(SECURITY_ADDONS),
            **LIMITS,
        }

    def delete(self, caller: Caller, database_id: str) -> None:
        self.get(caller, database_id)
        self.ctx.redis.delete(database_id)
        self.ctx.store.delete(self.ctx.vendor, KIND, database_id)

    def rename(self, caller: Caller, database_id: str, name: str) -> dict[str, Any]:
        if not name.strip():
            raise UpstashError(400, "invalid request: name: must not be empty")
        with self.lock:
            doc = self.get(caller, database_id)
            self.check_name_free(caller, name, except_id=database_id)
            return self.save(caller, {**doc, "database_name": name})

    def reset_password(self, caller: Caller, database_id: str) -> dict[str, Any]:
        """Really re-keys the running redis-server, then reports the new credentials."""
        doc = self.get(caller, database_id)
        password = new_password()
        self.ctx.redis.set_password(database_id, password)
        return self.save(
            caller, {**doc, "password": password, **rest_tokens(database_id, password)}
        )

    def update(self, caller: Caller, database_id: str, **fields: Any) -> dict[str, Any]:
        doc = self.get(caller, database_id)
        return self.save(caller, {**doc, **fields})
