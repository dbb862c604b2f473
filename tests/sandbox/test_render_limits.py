"""Render emulator: documented rate limits with Render's headers, and state across restarts."""

from __future__ import annotations

import time
from pathlib import Path

import psycopg

from tests.sandbox.conftest import ManualClock, SandboxFactory
from tests.sandbox.test_render_support import ALPHA, BETA, assert_error, check, client, web_service


def test_every_response_carries_ratelimit_headers_and_429_uses_the_error_shape(
    make_sandbox: type[SandboxFactory],
) -> None:
    # Counted on a clock that stands at a window's start, so the burst cannot straddle two.
    clock = ManualClock(3600.0 * 1000)
    sb = make_sandbox.start(rate_limits=True, vendors=("render",), clock=clock)
    with client(sb, ALPHA) as http:
        service_id = check(http.post("/services", json=web_service("limited"))).json()["service"][
            "id"
        ]
        first = http.get("/services")
        assert first.headers["Ratelimit-Limit"] == "400"
        assert first.headers["Ratelimit-Reset"] == "60"
        statuses = [
            http.patch(f"/services/{service_id}", json={"name": "n"}).status_code for _ in range(11)
        ]
        assert statuses == [200] * 10 + [429]
        limited = http.patch(f"/services/{service_id}", json={"name": "n"})
        assert_error(check(limited), 429)
        assert limited.headers["Ratelimit-Limit"] == "10"
        assert limited.headers["Ratelimit-Remaining"] == "0"
        # Other requests have their own budgets.
        assert http.get(f"/services/{service_id}").status_code == 200


def test_create_service_is_limited_to_20_per_hour_per_workspace(
    make_sandbox: type[SandboxFactory],
) -> None:
    clock = ManualClock(3600.0 * 1000)
    sb = make_sandbox.start(rate_limits=True, vendors=("render",), clock=clock)
    with client(sb, ALPHA) as http:
        statuses = [http.post("/services", json={}).status_code for _ in range(21)]
        assert statuses == [400] * 20 + [429]
    with client(sb, "render-sandbox-key-alpha-2") as same_workspace:
        assert same_workspace.post("/services", json={}).status_code == 429
    with client(sb, BETA) as other:
        assert other.post("/services", json={}).status_code == 400


def test_objects_and_databases_survive_a_restart(make_sandbox: type[SandboxFactory]) -> None:
    sb = make_sandbox.start(vendors=("render",), rate_limits=False)
    with client(sb) as http:
        service = check(http.post("/services", json=web_service("durable"))).json()
        body = {
            "name": "keep",
            "plan": "free",
            "ownerId": "tea-sandboxalpha00000001",
            "version": "15",
        }
        pg = http.post("/postgres", json=body).json()
    state_dir = sb.config.state_dir
    sb.stop()
    _wait_for_postgres_socket_locks(state_dir)
    again = make_sandbox.start(vendors=("render",), rate_limits=False, state_dir=state_dir)
    with client(again) as http:
        assert http.get(f"/services/{service['service']['id']}").json() == service["service"]
        deploy = http.get(f"/services/{service['service']['id']}/deploys/{service['deployId']}")
        assert deploy.json()["status"] == "live"
        info = http.get(f"/postgres/{pg['id']}/connection-info").json()
        with psycopg.connect(info["externalConnectionString"]) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)


def _wait_for_postgres_socket_locks(state_dir: Path) -> None:
    """``pg_ctl stop -w`` can return before the exiting postmaster removes its socket lock file,
    and an immediate restart then fails on it (a core race, reported); wait for it to go."""
    deadline = time.monotonic() + 10
    while list((state_dir / "postgres" / "run").glob(".s.PGSQL.*.lock")):
        assert time.monotonic() < deadline
        time.sleep(0.05)
