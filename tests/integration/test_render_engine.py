"""Every Render resource through the real engine, one stack, against the sandbox.

create -> no-op up (zero writes) -> in-place updates plus one replacement -> changes made by hand
in the "dashboard" (an env var added, a domain deleted) seen by refresh and undone by up ->
destroy leaves the sandbox as it was. The exported connection strings really connect.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import psycopg
import pytest
import redis

from sandbox import Sandbox
from tests.conftest import EngineFactory
from tests.engine import changes

pytestmark = pytest.mark.engine


def make_program(prefix: str) -> Any:
    def program() -> None:
        import pulumi  # noqa: PLC0415

        from paas_stacks.providers.render import (  # noqa: PLC0415
            CustomDomain,
            EnvGroup,
            KeyValue,
            Postgres,
            Service,
        )

        v2 = pulumi.Config().require("variant") == "v2"
        db = Postgres("db", name=f"{prefix}-db", plan="basic_1gb" if v2 else "basic_256mb")
        cache = KeyValue(
            "cache",
            name=f"{prefix}-kv",
            region="ohio" if v2 else "oregon",
            maxmemory_policy="noeviction",
        )
        web = Service(
            "web",
            name=f"{prefix}-web",
            type="web",
            runtime="python",
            repo="https://github.com/example/app",
            build_command="pip install -r req.txt",
            start_command="gunicorn -w 4 app:app" if v2 else "gunicorn app:app",
            health_check_path="/healthz",
            env_vars={
                "DATABASE_URL": db.internal_connection_string,
                "REDIS_URL": cache.internal_connection_string,
                "MODE": "two" if v2 else "one",
                "API_TOKEN": "tok-very-secret-value",
            },
            secret_files={"service-account.json": '{"key": "file-secret-content"}'},
        )
        CustomDomain("domain", service_id=web.id, name=f"{prefix}.example.com")
        EnvGroup(
            "shared",
            name=f"{prefix}-shared",
            service_ids=[web.id],
            env_vars={"SHARED": "b" if v2 else "a"},
            secret_files={"shared.txt": "group-secret"},
        )
        pulumi.export("service_id", web.id)
        pulumi.export("url", web.url)
        pulumi.export("pg_url", db.external_connection_string)
        pulumi.export("pg_password", db.password)
        pulumi.export("kv_url", cache.external_connection_string)

    return program


def live_env(dashboard: httpx.Client, service_id: str) -> dict[str, str]:
    listed = dashboard.get(f"/services/{service_id}/env-vars").json()
    return {item["envVar"]["key"]: item["envVar"]["value"] for item in listed}


def assert_connects(outputs: dict[str, Any]) -> None:
    with psycopg.connect(outputs["pg_url"]) as conn:
        assert conn.execute("select 1").fetchone() == (1,)
    client = redis.Redis.from_url(outputs["kv_url"])
    try:
        assert client.ping() is True
    finally:
        client.close()


def test_render_stack_lifecycle(engine: type[EngineFactory], engine_sandbox: Sandbox) -> None:
    prefix = f"rlc-{uuid.uuid4().hex[:6]}"
    before = engine_sandbox.objects()
    run = engine.stack("render-life", make_program(prefix), {"variant": "v1"})
    dashboard = httpx.Client(
        base_url=engine_sandbox.base_url("render"),
        headers={"authorization": f"Bearer {engine_sandbox.token('render')}"},
    )

    created, calls = run.up()
    print("CALLS create", calls.by_vendor["render"])
    assert changes(created) == {"create": 7}  # with the StackOwner
    outputs = run.outputs()
    assert outputs["url"].endswith(".onrender.com")
    assert_connects(outputs)

    again, calls = run.up()
    print("CALLS no-op up", calls.by_vendor["render"])
    assert changes(again) == {}
    assert calls.writes("render") == 0

    updated, calls = run.up(variant="v2")
    print("CALLS update", calls.by_vendor["render"])
    # Postgres plan, service command + env, env group var: in place; Key Value region: replaced.
    # The service's REDIS_URL follows the new Key Value, so the service updates once.
    assert changes(updated) == {"update": 3, "replace": 1}
    outputs = run.outputs()
    assert_connects(outputs)
    service_id = outputs["service_id"]
    assert live_env(dashboard, service_id)["MODE"] == "two"

    # A dashboard user adds a var and deletes the custom domain.
    dashboard.put(f"/services/{service_id}/env-vars/BY_HAND", json={"value": "x"})
    dashboard.delete(f"/services/{service_id}/custom-domains/{prefix}.example.com")
    refreshed, calls = run.refresh()
    print("CALLS refresh", calls.by_vendor["render"])
    assert changes(refreshed) == {"update": 1, "delete": 1}
    assert calls.writes("render") == 0
    assert "tok-very-secret-value" not in run.export()  # env read back by refresh: still secret

    restored, calls = run.up()
    print("CALLS restore up", calls.by_vendor["render"])
    assert changes(restored) == {"create": 1, "update": 1}
    env = live_env(dashboard, service_id)
    assert "BY_HAND" not in env
    # The owner marker var is the stack's own, written with every replace-all PUT.
    assert set(env) == {"DATABASE_URL", "REDIS_URL", "MODE", "API_TOKEN", "PAAS_STACKS_OWNER"}
    domain = dashboard.get(f"/services/{service_id}/custom-domains/{prefix}.example.com")
    assert domain.status_code == 200

    run.assert_state_hides(
        [
            outputs["pg_password"],
            outputs["pg_url"],
            outputs["kv_url"],
            "tok-very-secret-value",
            "file-secret-content",
            "group-secret",
        ],
        [engine_sandbox.token("render")],
    )

    gone, calls = run.destroy()
    print("CALLS destroy", calls.by_vendor["render"])
    assert changes(gone) == {"delete": 7}
    assert engine_sandbox.objects() == before
    dashboard.close()
