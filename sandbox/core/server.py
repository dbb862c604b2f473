"""The sandbox process: four vendor apps on four loopback ports, sharing one store and one set of
real databases, each behind the logging/fault middleware and with a ``/_sandbox`` admin API.

Use it in-process (``with Sandbox(SandboxConfig(state_dir=tmp)) as sb: sb.base_url("render")``)
or from the command line (``python -m sandbox``).
"""

from __future__ import annotations

import importlib
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Any

import uvicorn
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from sandbox.core.context import Delays, VendorContext
from sandbox.core.faults import FaultSettings, FaultState
from sandbox.core.limits import RateLimiter
from sandbox.core.middleware import RequestLog, SandboxMiddleware
from sandbox.core.postgres import PostgresServer
from sandbox.core.redis import RedisFleet
from sandbox.core.store import Store

VENDORS = ("render", "fly", "supabase", "upstash")


@dataclass
class SandboxConfig:
    """How to run the sandbox. Port 0 picks a free port; ``tokens`` add to the vendor defaults."""

    state_dir: Path
    host: str = "127.0.0.1"
    ports: dict[str, int] = field(default_factory=lambda: dict.fromkeys(VENDORS, 0))
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)
    delays: Delays = field(default_factory=Delays)
    rate_limits: bool = True
    faults: FaultSettings = field(default_factory=FaultSettings)
    vendors: tuple[str, ...] = VENDORS
    #: What rate-limit windows are counted on; a test injects its own, so a burst never
    #: straddles a window boundary by chance.
    clock: Callable[[], float] = time.monotonic


@dataclass
class _Running:
    module: ModuleType
    context: VendorContext
    log: RequestLog
    faults: FaultState
    server: uvicorn.Server
    thread: threading.Thread
    port: int


class Sandbox:
    """Starts and stops the emulators; the handle tests and benchmarks inspect."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.store = Store(config.state_dir / "sandbox.sqlite3")
        self.postgres = PostgresServer(config.state_dir, config.host)
        self.redis = RedisFleet(config.state_dir, self.store, config.host)
        self._running: dict[str, _Running] = {}

    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> None:
        """Start everything, or nothing: a vendor that cannot start (its port is taken) stops
        what already started, so no PostgreSQL or redis-server outlives the failed start."""
        self.postgres.start()
        try:
            self.redis.restart_all()
            for vendor in self.config.vendors:
                self._running[vendor] = self._start_vendor(vendor)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        for running in self._running.values():
            running.server.should_exit = True
        for running in self._running.values():
            running.thread.join(timeout=10)
        self._running.clear()
        self.redis.stop_all()
        self.postgres.stop()
        self.store.close()

    # -- what tests and benchmarks look at -------------------------------------------------
    def origin(self, vendor: str) -> str:
        return f"http://{self.config.host}:{self._running[vendor].port}"

    def base_url(self, vendor: str) -> str:
        """The URL a client uses in place of the vendor's (e.g. ``https://api.render.com/v1``)."""
        return self.origin(vendor) + str(self._running[vendor].module.BASE_PATH)

    def tokens(self, vendor: str) -> dict[str, str]:
        return self._running[vendor].context.tokens

    def token(self, vendor: str) -> str:
        """The first credential of the vendor's first workspace."""
        return next(iter(self.tokens(vendor)))

    def log(self, vendor: str) -> RequestLog:
        return self._running[vendor].log

    def set_faults(self, settings: FaultSettings, vendors: tuple[str, ...] | None = None) -> None:
        for vendor in vendors or tuple(self._running):
            self._running[vendor].faults.configure(settings)

    def objects(self) -> dict[str, int]:
        """``{"render/service": 2, ...}`` for every vendor object kind that is not empty."""
        return {
            f"{vendor}/{kind}": count
            for vendor, kind, count in self.store.kinds()
            if not vendor.startswith("_") and not kind.startswith("_")
        }

    def env(self) -> dict[str, str]:
        """Environment variables that point the paas-stacks providers at this sandbox."""
        env: dict[str, str] = {}
        for vendor, running in self._running.items():
            env.update(running.module.client_env(self.base_url(vendor), self.token(vendor)))
        return env

    # -- wiring -----------------------------------------------------------------------------
    def _start_vendor(self, vendor: str) -> _Running:
        module = importlib.import_module(vendor if "." in vendor else f"sandbox.{vendor}")
        tokens = {**module.DEFAULT_TOKENS, **self.config.tokens.get(vendor, {})}
        context = VendorContext(
            vendor=vendor,
            store=self.store,
            tokens=tokens,
            delays=self.config.delays,
            postgres=self.postgres,
            redis=self.redis,
            limiter=RateLimiter(enabled=self.config.rate_limits, clock=self.config.clock),
        )
        log, faults = RequestLog(), FaultState()
        faults.configure(self.config.faults)
        extra = module.admin_router(context) if hasattr(module, "admin_router") else None
        app = SandboxMiddleware(
            _with_admin(module.create_app(context), context, log, faults, extra), log, faults
        )
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Accepted connections inherit this: without it Nagle's algorithm meets the client's
        # delayed ACK and every keep-alive request waits ~40 ms.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            sock.bind((self.config.host, self.config.ports.get(vendor, 0)))
            sock.listen(2048)
        except OSError:
            sock.close()
            raise
        server = uvicorn.Server(
            uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
        )
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 15
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"sandbox: the {vendor} emulator did not start")
            time.sleep(0.01)
        return _Running(module, context, log, faults, server, thread, sock.getsockname()[1])


def _with_admin(
    app: ASGIApp,
    context: VendorContext,
    log: RequestLog,
    faults: FaultState,
    extra: APIRouter | None = None,
) -> ASGIApp:
    """Route ``/_sandbox/*`` to the admin API (plus the vendor's own ``extra`` admin calls),
    everything else to the vendor app."""
    admin = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    if extra is not None:
        admin.include_router(extra)

    @admin.get("/_sandbox/requests")
    def requests(since: int = 0) -> list[dict[str, Any]]:
        return [asdict(entry) for entry in log.entries(since)]

    @admin.get("/_sandbox/counters")
    def counters(since: int = 0) -> dict[str, int]:
        return {**log.counters(since), "writes": log.writes(since), "last_seq": log.last_seq()}

    @admin.post("/_sandbox/faults", status_code=204)
    async def set_faults(request: Request) -> Response:
        faults.configure(FaultSettings(**(await request.json())))
        return Response(status_code=204)

    @admin.get("/_sandbox/objects")
    def objects() -> JSONResponse:
        kinds = context.store.kinds()
        return JSONResponse({k: n for v, k, n in kinds if v == context.vendor and k[0] != "_"})

    async def dispatch(scope: Scope, receive: Receive, send: Send) -> None:
        target = admin if scope.get("path", "").startswith("/_sandbox/") else app
        await target(scope, receive, send)

    return dispatch
