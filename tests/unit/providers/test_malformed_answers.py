"""Malformed vendor JSON: the sandbox fault cuts an answer in half after the vendor acted, and a
provider turns such an answer into one line naming the resource and the call, writing nothing
twice."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from paas_stacks.errors import ResourceError
from paas_stacks.providers._http import Endpoint, RetryPolicy
from paas_stacks.providers.upstash import RedisDatabaseProvider, UpstashClient
from sandbox.core.faults import FaultSettings, FaultState
from sandbox.core.middleware import RequestLog, SandboxMiddleware

KEY = "upstash-key-never-shown"
BODY = {"database_id": "db-1", "database_name": "cache", "endpoint": "cache.upstash.io"}


class Client:
    """Synchronous calls into an ASGI app (httpx's ASGI transport is async only)."""

    def __init__(self, app: Any) -> None:
        self.transport = httpx.ASGITransport(app=app)

    def _send(self, method: str, path: str) -> httpx.Response:
        async def send() -> httpx.Response:
            async with httpx.AsyncClient(transport=self.transport, base_url="http://sb") as c:
                return await c.request(method, path)

        return asyncio.run(send())

    def get(self, path: str) -> httpx.Response:
        return self._send("GET", path)

    def post(self, path: str) -> httpx.Response:
        return self._send("POST", path)


def sandbox_like(settings: FaultSettings) -> tuple[Client, list[str]]:
    """A one-route app behind the sandbox middleware; the list records what the app handled."""
    handled: list[str] = []

    async def answer(request: Request) -> JSONResponse:
        handled.append(request.method)
        return JSONResponse(BODY, status_code=201 if request.method == "POST" else 200)

    app = Starlette(routes=[Route("/v2/redis/database", answer, methods=["GET", "POST"])])
    faults = FaultState()
    faults.configure(settings)
    return Client(SandboxMiddleware(app, RequestLog(), faults)), handled


def test_the_fault_keeps_status_and_headers_cuts_the_body_and_lets_the_vendor_act() -> None:
    client, handled = sandbox_like(FaultSettings(malformed_next=1))

    cut = client.post("/v2/redis/database")
    whole = client.post("/v2/redis/database")

    assert handled == ["POST", "POST"]
    assert cut.status_code == 201
    assert cut.headers["content-type"] == "application/json"
    assert (
        cut.content == json.dumps(BODY, separators=(",", ":")).encode()[: len(whole.content) // 2]
    )
    with pytest.raises(json.JSONDecodeError):
        cut.json()
    assert whole.json() == BODY


def test_the_fault_can_be_limited_to_some_methods() -> None:
    client, _ = sandbox_like(FaultSettings(malformed_next=1, malformed_methods=("POST",)))

    assert client.get("/v2/redis/database").json() == BODY
    with pytest.raises(json.JSONDecodeError):
        client.post("/v2/redis/database").json()


def provider(handler: Any) -> RedisDatabaseProvider:
    client = UpstashClient(
        Endpoint("https://api.upstash.test/v2", {"authorization": "Basic x"}, (KEY,)),
        policy=RetryPolicy(attempts=3),
        transport=httpx.MockTransport(handler),
        sleep=lambda _seconds: None,
    )
    made = RedisDatabaseProvider()
    made.use(client)
    return made


def test_a_malformed_create_answer_is_one_line_and_the_create_is_not_posted_again() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        if request.method == "GET":
            return httpx.Response(200, json=[])
        return httpx.Response(200, content=b'{"database_id": "db-1", "datab', headers={})

    with pytest.raises(ResourceError) as raised:
        provider(handler).create({"name": "cache", "primary_region": "us-east-1"})

    message = str(raised.value)
    assert message.startswith(
        "Upstash RedisDatabase 'cache': Upstash API: POST /v2/redis/database -> 200: "
        "the answer is not valid JSON"
    )
    assert "db-1" not in message  # what was wrong is said; the cut answer is never quoted
    assert "\n" not in message
    assert KEY not in message
    assert seen.count("POST /v2/redis/database") == 1


def test_a_malformed_listing_fails_before_any_write() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        return httpx.Response(200, content=b"[{")

    with pytest.raises(ResourceError) as raised:
        provider(handler).create({"name": "cache", "primary_region": "us-east-1"})

    assert "GET /v2/redis/databases -> 200: the answer is not valid JSON" in str(raised.value)
    assert seen == ["GET"]
