"""The ASGI layer in front of every vendor app: request log, counters and injected faults.

It sits outside the vendor's own routing, so what it counts is exactly what a client sent to the
vendor paths (the sandbox's own ``/_sandbox`` admin calls are neither logged nor counted), and a
fault answers before the vendor logic runs (except a lost response, which lets the write commit
and then drops the connection before the client reads the answer, and a malformed answer, which
lets the vendor act and then cuts its JSON body in half).
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sandbox.core.faults import FaultState

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ADMIN_PREFIX = "/_sandbox/"


@dataclass(frozen=True)
class LoggedRequest:
    """One request as the sandbox saw it."""

    seq: int
    method: str
    path: str
    route: str
    status: int
    lost: bool = False


class RequestLog:
    """Every request per vendor, with per-method and per-route counts."""

    def __init__(self, limit: int = 200_000) -> None:
        self._lock = threading.Lock()
        self._entries: deque[LoggedRequest] = deque(maxlen=limit)
        self._seq = 0

    def add(self, method: str, path: str, route: str, status: int, lost: bool) -> None:
        with self._lock:
            self._seq += 1
            self._entries.append(LoggedRequest(self._seq, method, path, route, status, lost))

    def entries(self, since: int = 0) -> list[LoggedRequest]:
        with self._lock:
            return [entry for entry in self._entries if entry.seq > since]

    def last_seq(self) -> int:
        with self._lock:
            return self._seq

    def counters(self, since: int = 0) -> dict[str, int]:
        """``{"GET": n, "POST /v1/services": n, ...}``: per method and per method+route."""
        counts: Counter[str] = Counter()
        for entry in self.entries(since):
            counts[entry.method] += 1
            counts[f"{entry.method} {entry.route}"] += 1
        return dict(counts)

    def writes(self, since: int = 0) -> int:
        return sum(1 for entry in self.entries(since) if entry.method in WRITE_METHODS)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class SandboxMiddleware:
    """Wraps one vendor app: logs and counts every request, injects the configured faults."""

    def __init__(self, app: ASGIApp, log: RequestLog, faults: FaultState) -> None:
        self.app = app
        self.log = log
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # The admin API (``/_sandbox/...``) is how tests read the log: counting it would make
        # every read change what it reads.
        if scope["type"] != "http" or scope["path"].startswith(ADMIN_PREFIX):
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        status = 0
        lost = False
        logged = False

        def mark_lost() -> None:
            nonlocal lost
            lost = True

        def record() -> None:
            nonlocal logged
            if not logged:
                logged = True
                route = str(getattr(scope.get("route"), "path", path))
                self.log.add(method, path, route, status, lost)

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                # Logged before the first byte leaves: a client that has its answer can rely on
                # the request being counted (tests mark the log between operations). The last
                # body message is too late: a streamed body's empty final chunk can follow the
                # client's complete read of a Content-Length body.
                record()
            await send(message)

        try:
            if self.faults.applies_to(path):
                status, lost = await self._with_faults(
                    scope, receive, send, recording_send, mark_lost
                )
            else:
                await self.app(scope, receive, recording_send)
        finally:
            record()

    async def _with_faults(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        recording_send: Send,
        mark_lost: Callable[[], None],
    ) -> tuple[int, bool]:
        settings = self.faults.settings
        if settings.latency:
            await asyncio.sleep(settings.latency)
        retry_after = self.faults.take_429()
        if retry_after is not None:
            await _send_json(
                recording_send,
                429,
                {"message": "rate limit exceeded (injected)"},
                [(b"retry-after", str(retry_after).encode())],
            )
            return 429, False
        error = self.faults.take_error(scope["method"])
        if error is not None:
            await _send_json(recording_send, error, {"message": "service unavailable (injected)"})
            return error, False
        if self.faults.take_malformed(scope["method"]):
            return await self._malformed(scope, receive, recording_send), False
        if scope["method"] in WRITE_METHODS and self.faults.take_lost_response():
            # Marked first: dropping the connection may raise out of the server's send.
            mark_lost()
            return await self._lose_response(scope, receive, send), True
        status = 0

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await recording_send(message)

        await self.app(scope, receive, capture)
        return status, False

    async def _lose_response(self, scope: Scope, receive: Receive, send: Send) -> int:
        """Let the vendor commit, swallow its answer, then break the connection mid-response."""
        status = 0

        async def swallow(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        await self.app(scope, receive, swallow)
        # A declared body that never arrives makes the server close the connection: the client
        # sees a protocol error, never the status or the body.
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-length", b"1024")],
            }
        )
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        return status

    async def _malformed(self, scope: Scope, receive: Receive, send: Send) -> int:
        """Let the vendor act, then answer its status and headers with half of its body."""
        start: Message = {}
        body = b""

        async def collect(message: Message) -> None:
            nonlocal start, body
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                body += message.get("body", b"")

        await self.app(scope, receive, collect)
        cut = body[: len(body) // 2] if len(body) > 1 else b"{"
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(cut)).encode()))
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": cut})
        return int(start.get("status", 0))


async def _send_json(
    send: Send, status: int, body: dict[str, Any], headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
