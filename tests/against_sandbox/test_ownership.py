"""Owner markers, per vendor and resource, over HTTP against the sandbox (no engine).

For every kind that carries a marker: stack B never adopts, changes or deletes stack A's
object (one line naming it, its id, whose it is and the two ways out, and not one write), B
takes it over only through ``adopt_id``, an object with no marker is refused by name, and an
unmarked object already in a stack's state is marked by its next update. For Render's datastores,
which offer no place for a marker, adoption by name is refused and a lost create still converges.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from paas_stacks.errors import OwnershipError
from paas_stacks.providers._http import Endpoint
from paas_stacks.providers._ownership import Marker
from paas_stacks.providers._resource import VendorProvider
from paas_stacks.providers.fly import AppProvider
from paas_stacks.providers.fly.client import FlyClient
from paas_stacks.providers.render import EnvGroupProvider, PostgresProvider, ServiceProvider
from paas_stacks.providers.render.client import RenderClient
from paas_stacks.providers.supabase import ProjectProvider, SupabaseClient
from paas_stacks.providers.upstash import RedisDatabaseProvider, UpstashClient
from sandbox import Sandbox
from sandbox.core.faults import FaultSettings

A = "organization/paas-stacks/shop#a0a0a0a0a0a0"
B = "organization/paas-stacks/shop-b#b1b1b1b1b1b1"
WRITES = ("POST", "PUT", "PATCH", "DELETE")


def render(sandbox: Sandbox) -> RenderClient:
    config = {"render:apiKey": sandbox.token("render"), "render:apiUrl": sandbox.base_url("render")}
    return RenderClient.from_config(config, sleep=lambda _s: None)


def fly(sandbox: Sandbox) -> FlyClient:
    config = {"fly:apiToken": sandbox.token("fly"), "fly:apiUrl": sandbox.base_url("fly")}
    return FlyClient.from_config(config, sleep=lambda _s: None)


def supabase(sandbox: Sandbox) -> SupabaseClient:
    token = sandbox.token("supabase")
    headers = {"authorization": f"Bearer {token}"}
    endpoint = Endpoint(sandbox.base_url("supabase"), headers=headers, secrets=(token,))
    return SupabaseClient(endpoint, sleep=lambda _s: None)


def upstash(sandbox: Sandbox) -> UpstashClient:
    email, _, key = sandbox.token("upstash").partition(":")
    config = {
        "upstash:email": email,
        "upstash:apiKey": key,
        "upstash:apiUrl": sandbox.base_url("upstash"),
    }
    return UpstashClient.from_config(config, sleep=lambda _s: None)


@dataclass(frozen=True)
class Kind:
    """One marked resource kind: how to reach it and what to declare."""

    vendor: str
    provider: type[VendorProvider[Any, Any]]
    client: Callable[[Sandbox], Any]
    declare: Callable[[Sandbox, str], dict[str, Any]]
    #: A declared change that ``update`` applies in place.
    change: Callable[[dict[str, Any]], dict[str, Any]]


def _org(sandbox: Sandbox) -> str:
    client = supabase(sandbox)
    return str(client.json("GET", "/v1/organizations")[0]["slug"])


MARKED = [
    Kind(
        "render",
        ServiceProvider,
        render,
        lambda _sb, name: {
            "name": name,
            "type": "worker",
            "runtime": "node",
            "repo": "https://github.com/acme/shop",
            "build_command": "npm ci",
            "start_command": "npm run worker",
            "env_vars": {"JWT_SECRET": "a-secret-value-of-stack-a"},
        },
        lambda props: {**props, "start_command": "npm run worker -- --changed"},
    ),
    Kind(
        "render",
        EnvGroupProvider,
        render,
        lambda _sb, name: {"name": name, "env_vars": {"SHARED": "one"}},
        lambda props: {**props, "env_vars": {"SHARED": "two"}},
    ),
    Kind(
        "upstash",
        RedisDatabaseProvider,
        upstash,
        lambda _sb, name: {"name": name, "primary_region": "us-east-1"},
        lambda props: {**props, "eviction": True},
    ),
    Kind(
        "supabase",
        ProjectProvider,
        supabase,
        lambda sb, name: {"organization_id": _org(sb), "name": name},
        lambda props: {**props, "instance_size": "small"},
    ),
    Kind(
        "fly",
        AppProvider,
        fly,
        lambda _sb, name: {"name": name},
        # Every field of an app replaces; a change in place is not possible, so the update
        # path is exercised with an unchanged declaration (the engine would not call it).
        dict,
    ),
]


def connect(kind: Kind, sandbox: Sandbox) -> Any:
    made: Any = kind.provider()
    made.use(kind.client(sandbox))
    made.progress = lambda _message: None
    return made


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def writes_during(sandbox: Sandbox, vendor: str, action: Callable[[], Any]) -> int:
    mark = sandbox.log(vendor).last_seq()
    try:
        action()
    finally:
        counted = sandbox.log(vendor).counters(since=mark)
    return sum(count for method, count in counted.items() if method in WRITES)


def tags(provider: Any, object_id: str) -> list[str]:
    return sorted(marker.tag for marker in provider.owners_at(object_id, {}) or [])


@pytest.mark.parametrize("kind", MARKED, ids=lambda k: k.provider.__name__)
def test_another_stack_never_adopts_changes_or_deletes_an_object_it_does_not_own(
    kind: Kind, sandbox: Sandbox
) -> None:
    provider = connect(kind, sandbox)
    declared = kind.declare(sandbox, unique("own"))
    made = provider.create({**declared, "owner": A})
    assert tags(provider, made.id) == [Marker.parse(A).tag]  # type: ignore[union-attr]

    refused: list[str] = []

    def b_creates() -> None:
        with pytest.raises(OwnershipError) as raised:
            provider.create({**declared, "owner": B})
        refused.append(str(raised.value))

    assert writes_during(sandbox, kind.vendor, b_creates) == 0
    line = refused[0]
    assert made.id in line
    assert "another stack" in line
    assert "\n" not in line
    assert "rename the environment" in line
    assert f"adopt_id {made.id!r}" in line

    outs = dict(made.outs or {})
    with pytest.raises(OwnershipError, match="refusing to change it"):
        provider.update(made.id, {**outs, "owner": B}, {**kind.change(declared), "owner": B})
    with pytest.raises(OwnershipError, match="refusing to delete it"):
        provider.delete(made.id, {**outs, "owner": B})
    assert tags(provider, made.id) == [Marker.parse(A).tag]  # type: ignore[union-attr]

    # The deliberate way: adopt_id takes it over; then A is the stranger.
    taken = provider.create({**declared, "owner": B, "adopt_id": made.id})
    assert taken.id == made.id
    assert tags(provider, made.id) == [Marker.parse(B).tag]  # type: ignore[union-attr]
    with pytest.raises(OwnershipError, match="refusing to delete it"):
        provider.delete(made.id, outs)
    provider.delete(made.id, dict(taken.outs or {}))
    assert provider.owners_at(made.id, {}) is None


@pytest.mark.parametrize("kind", MARKED, ids=lambda k: k.provider.__name__)
def test_an_unmarked_object_is_refused_by_name_and_marked_by_the_stack_that_holds_it(
    kind: Kind, sandbox: Sandbox
) -> None:
    provider = connect(kind, sandbox)
    declared = kind.declare(sandbox, unique("legacy"))
    # Made before markers existed (or by hand): no owner at all.
    legacy = provider.create(declared)
    assert tags(provider, legacy.id) == []

    with pytest.raises(OwnershipError, match="carries no owner marker"):
        provider.create({**declared, "owner": B})

    # The stack whose state holds it marks it on its next update.
    outs = dict(legacy.outs or {})
    provider.update(legacy.id, outs, {**kind.change(declared), "owner": A})
    assert tags(provider, legacy.id) == [Marker.parse(A).tag]  # type: ignore[union-attr]
    provider.delete(legacy.id, {**outs, "owner": A})


@pytest.mark.parametrize("kind", MARKED, ids=lambda k: k.provider.__name__)
def test_a_create_whose_answer_was_lost_adopts_its_own_object_once(
    kind: Kind, sandbox: Sandbox
) -> None:
    provider = connect(kind, sandbox)
    declared = kind.declare(sandbox, unique("lost"))
    sandbox.set_faults(FaultSettings(lose_next_writes=1), vendors=(kind.vendor,))
    try:
        made = provider.create({**declared, "owner": A})
    finally:
        sandbox.set_faults(FaultSettings())
    assert tags(provider, made.id) == [Marker.parse(A).tag]  # type: ignore[union-attr]
    # Ours by its marker now: the same stack adopts it again (a killed run's recovery).
    again = provider.create({**declared, "owner": A})
    assert again.id == made.id
    provider.delete(made.id, dict(again.outs or {}))


def test_render_postgres_has_no_marker_so_a_same_named_one_is_never_adopted(
    sandbox: Sandbox,
) -> None:
    provider: Any = PostgresProvider()
    provider.use(render(sandbox))
    provider.progress = lambda _message: None
    declared = {"name": unique("pg"), "owner": A}
    made = provider.create(declared)

    refused: list[str] = []

    def again() -> None:
        with pytest.raises(OwnershipError) as raised:
            provider.create(declared)  # even the same stack: nothing tells whose it is
        refused.append(str(raised.value))

    assert writes_during(sandbox, "render", again) == 0
    assert "cannot carry an owner marker" in refused[0]
    assert made.id in refused[0]
    adopted = provider.create({**declared, "adopt_id": made.id})
    assert adopted.id == made.id
    provider.delete(made.id, dict(adopted.outs or {}))


def test_render_postgres_whose_create_answer_was_lost_is_adopted_not_made_twice(
    sandbox: Sandbox,
) -> None:
    provider: Any = PostgresProvider()
    provider.use(render(sandbox))
    provider.progress = lambda _message: None
    name = unique("pg-lost")
    sandbox.set_faults(FaultSettings(lose_next_writes=1), vendors=("render",))
    try:
        made = provider.create({"name": name, "owner": A})
    finally:
        sandbox.set_faults(FaultSettings())
    listed = provider.client.list_all("/postgres", {"name": name}, "postgres")
    assert [item["id"] for item in listed if item["name"] == name] == [made.id]
    provider.delete(made.id, dict(made.outs or {}))
