"""Upstash sandbox across restarts and under the (placeholder) rate limit."""

from __future__ import annotations

import httpx
import pytest

from sandbox.upstash import auth
from tests.conftest import ManualClock
from tests.sandbox.conftest import SandboxFactory
from tests.sandbox.test_upstash_databases import TEAM_B, client, connect, create


def test_databases_and_their_redis_survive_a_restart(make_sandbox: type[SandboxFactory]) -> None:
    first = make_sandbox.start(vendors=("upstash",), rate_limits=False)
    with client(first) as api:
        db = create(api, "durable")
        reset = api.post(f"/redis/reset-password/{db['database_id']}").json()
    first.stop()
    second = make_sandbox.start(vendors=("upstash",), rate_limits=False)
    with client(second) as api:
        fetched = api.get(f"/redis/database/{db['database_id']}").json()
    assert fetched["database_name"] == "durable"
    assert fetched["password"] == reset["password"]
    assert (fetched["endpoint"], fetched["port"]) == (db["endpoint"], db["port"])
    assert connect(fetched).ping()


def test_placeholder_rate_limit_is_600_requests_a_minute_per_key() -> None:
    assert (auth.RATE_LIMIT, auth.RATE_WINDOW_SECONDS) == (600, 60.0)


def test_rate_limit_answers_429_with_retry_after_per_key(
    make_sandbox: type[SandboxFactory], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The middleware reads the limit at request time: shrink it so the test stays fast.
    monkeypatch.setattr(auth, "RATE_LIMIT", 5)
    # A clock that stands still puts the whole burst in one window, however slow the machine.
    clock = ManualClock(600.0)
    running = make_sandbox.start(vendors=("upstash",), rate_limits=True, clock=clock)
    with client(running) as api, client(running, TEAM_B) as other:
        responses = [api.get("/redis/databases") for _ in range(8)]
        other_status = other.get("/redis/databases").status_code
        clock.advance(auth.RATE_WINDOW_SECONDS)
        fresh = api.get("/redis/databases").status_code
    statuses = [r.status_code for r in responses]
    assert statuses == [200] * 5 + [429] * 3
    limited = [r for r in responses if r.status_code == 429]
    assert isinstance(limited[0].json(), str)
    assert int(limited[0].headers["retry-after"]) >= 1
    assert other_status == 200
    assert fresh == 200  # the next window has a fresh budget


def test_bad_credentials_are_refused_even_with_rate_limits_on(
    make_sandbox: type[SandboxFactory],
) -> None:
    running = make_sandbox.start(vendors=("upstash",), rate_limits=True)
    response = httpx.get(running.base_url("upstash") + "/redis/databases", auth=("x", "y"))
    assert response.status_code == 401
    assert response.json() == "Unauthorized"
