"""Upstash RedisDatabase through the real engine: create, no-op, update, replace, drift, destroy."""

from __future__ import annotations

from typing import Any

import httpx
import pulumi
import pytest
import redis

from paas_stacks.providers._ownership import Marker
from paas_stacks.providers.upstash import RedisDatabase
from sandbox import Sandbox
from tests.conftest import EngineFactory
from tests.engine import changes

pytestmark = pytest.mark.engine


def program() -> None:
    config = pulumi.Config()
    database = RedisDatabase(
        "cache",
        name=config.require("name"),
        primary_region=config.get("region") or "us-east-1",
        read_regions=["us-west-1"],
        eviction=config.get_bool("eviction") or False,
        budget=50,
    )
    pulumi.export("database_id", database.database_id)
    pulumi.export("redis_url", database.redis_url)
    pulumi.export("password", database.password)
    pulumi.export("rest_token", database.rest_token)


def api(sandbox: Sandbox) -> httpx.Client:
    """The Upstash API as a console user would change it, behind the stack's back."""
    email, _, key = sandbox.token("upstash").partition(":")
    return httpx.Client(base_url=sandbox.base_url("upstash"), auth=(email, key), timeout=10)


def live(sandbox: Sandbox, database_id: str) -> dict[str, Any]:
    with api(sandbox) as client:
        return dict(client.get(f"/redis/database/{database_id}").raise_for_status().json())


def ping(url: str) -> bool:
    return bool(redis.Redis.from_url(url, socket_timeout=5).ping())


def test_redis_database_lifecycle_through_the_engine(
    engine: type[EngineFactory], engine_sandbox: Sandbox
) -> None:
    before = engine_sandbox.objects()
    run = engine.stack("upstash-life", program, {"name": "life-cache"})

    created, calls = run.up()
    assert changes(created) == {"create": 3}  # the stack, its StackOwner, the database
    print("CALLS upstash create", calls.routes("upstash"))
    assert calls.routes("upstash").get("POST /redis/database") == 1
    first = run.outputs()
    assert first["redis_url"].startswith("redis://default:")
    assert ping(first["redis_url"])

    same, calls = run.up()
    assert changes(same) == {}
    assert calls.writes("upstash") == 0
    print("CALLS upstash no-op up", calls.routes("upstash"))

    renamed, calls = run.up(name="life-cache-2", eviction="true")
    assert changes(renamed) == {"update": 1}
    state = live(engine_sandbox, first["database_id"])
    declared = Marker.split_name(state["database_name"])[0]  # the vendor name carries the tag
    assert (declared, state["eviction"]) == ("life-cache-2", True)

    moved, _ = run.up(region="eu-west-1")
    assert changes(moved) == {"replace": 1}
    database_id = run.outputs()["database_id"]
    assert database_id != first["database_id"]
    assert live(engine_sandbox, database_id)["primary_region"] == "eu-west-1"

    with api(engine_sandbox) as console:
        console.post(f"/redis/disable-eviction/{database_id}").raise_for_status()
        console.post(f"/redis/reset-password/{database_id}").raise_for_status()
    refreshed, calls = run.refresh()
    assert changes(refreshed) == {"update": 1}
    print("CALLS upstash refresh", calls.routes("upstash"))
    assert calls.writes("upstash") == 0
    restored, _ = run.up()
    assert changes(restored) == {"update": 1}
    assert live(engine_sandbox, database_id)["eviction"] is True
    assert ping(run.outputs()["redis_url"]), "the URL in the stack carries the reset password"

    with api(engine_sandbox) as console:
        console.delete(f"/redis/database/{database_id}").raise_for_status()
    refreshed, _ = run.refresh()
    assert changes(refreshed) == {"delete": 1}
    recreated, _ = run.up()
    assert changes(recreated) == {"create": 1}
    outputs = run.outputs()
    assert ping(outputs["redis_url"])

    key = engine_sandbox.token("upstash").partition(":")[2]
    run.assert_state_hides(
        [outputs["password"], outputs["rest_token"], outputs["redis_url"]], [key]
    )

    gone, calls = run.destroy()
    assert changes(gone) == {"delete": 3}
    print("CALLS upstash destroy", calls.routes("upstash"))
    assert engine_sandbox.objects() == before
