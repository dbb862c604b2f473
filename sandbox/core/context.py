"""What a vendor emulator is given: the shared store, real databases, limits and settings."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sandbox.core.limits import RateLimiter
from sandbox.core.postgres import PostgresServer
from sandbox.core.redis import RedisFleet
from sandbox.core.store import Store


@dataclass(frozen=True)
class Delays:
    """Seconds a long-running vendor operation takes to settle (0 in tests and benchmarks)."""

    deploy: float = 2.0  # Render deploy: created -> live
    database: float = 3.0  # Render Postgres / Key Value: creating -> available
    project: float = 5.0  # Supabase project: COMING_UP -> ACTIVE_HEALTHY
    machine: float = 1.0  # Fly machine: created/starting -> started
    #: Render Key Value: creating -> available (``None``: the ``database`` delay).
    key_value: float | None = None
    #: Fly certificate: requested -> issued (``None``: the ``machine`` delay).
    certificate: float | None = None

    @property
    def key_value_seconds(self) -> float:
        return self.database if self.key_value is None else self.key_value

    @property
    def certificate_seconds(self) -> float:
        return self.machine if self.certificate is None else self.certificate


@dataclass
class VendorContext:
    """Everything one vendor app needs; built by ``Sandbox`` for each vendor."""

    vendor: str
    store: Store
    #: credential -> workspace it belongs to (Render owner, Fly org, Supabase org, Upstash team).
    tokens: dict[str, str]
    delays: Delays
    postgres: PostgresServer
    redis: RedisFleet
    limiter: RateLimiter
    now: Callable[[], float] = field(default=time.time)
