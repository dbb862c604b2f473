"""The benchmark floor: same resources, no calls; outputs resolve and a no-op stays a no-op."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi import dynamic
from pulumi.output import Unknown

from paas_stacks.providers import floor, owner
from paas_stacks.providers.floor import FloorProvider
from paas_stacks.providers.upstash import RedisDatabase
from paas_stacks.providers.upstash.redis_database import OUTPUTS, RedisDatabaseProvider

INPUTS = {"name": "cache", "primary_region": "us-east-1", "tls": True}


def test_create_keeps_the_inputs_and_fills_every_declared_output() -> None:
    created = FloorProvider(OUTPUTS).create(dict(INPUTS))
    outs = created.outs or {}
    assert outs["name"] == "cache"
    assert outs["redis_url"] == "https://floor.invalid/redis_url"
    assert outs["port"] == 1
    assert set(OUTPUTS) <= set(outs)
    assert created.id == FloorProvider(OUTPUTS).create(dict(INPUTS)).id


def test_the_same_inputs_are_no_change_and_another_value_is_an_update() -> None:
    provider = FloorProvider(OUTPUTS)
    outs = provider.create(dict(INPUTS)).outs or {}
    assert provider.diff("id", outs, {**INPUTS, "password": None}).changes is False
    assert provider.diff("id", outs, {**INPUTS, "tls": False}).changes is True
    unknown = Unknown()  # type: ignore[no-untyped-call]
    assert provider.diff("id", outs, {**INPUTS, "name": unknown}).changes is True
    assert provider.diff("id", outs, {"name": "cache", "primary_region": "us-east-1"}).changes


def test_update_keeps_the_placeholders_and_read_echoes() -> None:
    provider = FloorProvider(OUTPUTS)
    outs = provider.create(dict(INPUTS)).outs or {}
    updated = provider.update("id", outs, {**INPUTS, "eviction": True}).outs or {}
    assert updated["eviction"] is True
    assert updated["password"] == outs["password"]
    assert provider.read("id", outs).outs == outs


def test_the_switch_swaps_only_the_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[object, dict[str, Any]]] = []

    def register(
        _self: object, provider: object, _name: str, props: dict[str, Any], _opts: object = None
    ) -> None:
        seen.append((provider, props))

    monkeypatch.setattr(dynamic.Resource, "__init__", register)
    # Outside a program: the stack's owner marker is a plain value here.
    monkeypatch.setattr(owner, "stack_owner", lambda: "organization/p/s#0123456789ab")
    monkeypatch.setenv(floor.ENV, "1")
    RedisDatabase("cache", name="cache", primary_region="us-east-1")
    monkeypatch.setenv(floor.ENV, "0")
    RedisDatabase("cache", name="cache", primary_region="us-east-1")

    (floored, floored_props), (real, real_props) = seen
    assert isinstance(floored, FloorProvider)
    assert floored.outputs == OUTPUTS
    assert isinstance(real, RedisDatabaseProvider)
    assert floored_props == real_props
    assert real_props["owner"] == "organization/p/s#0123456789ab"
