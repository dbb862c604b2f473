"""The takeover the security review found, through the real engine: a stack whose environment
has another stack's name (same backend), and a same-named stack on a second file backend (two
teammates' local stacks), on one sandbox account.

Before ownership markers, stack B's ``up`` adopted every object of A, reset A's database password
and replaced A's ``JWT_SECRET``, and B's ``destroy`` deleted A's database. Now B's ``up`` fails
with the ownership line and makes no write; A is untouched (its ``DATABASE_URL`` still connects,
its secrets are what they were); ``destroy`` of B deletes nothing of A's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import redis
from pulumi import automation as auto

from sandbox import Sandbox
from tests.conftest import SandboxFactory
from tests.engine import EngineRun, changes
from tests.integration.test_seed_stacks_engine import project_copy

pytestmark = pytest.mark.engine

INTRUDER = "intruder"
OWNER_LINE = "refusing to adopt it: it belongs to another stack ("
#: Every object of the demo that B would have adopted: each is refused on its own line.
REFUSED = ("Supabase project 'demo-db'", "Upstash RedisDatabase 'demo-cache'")


@dataclass
class World:
    sandbox: Sandbox
    project: Path


@pytest.fixture
def world(
    tmp_path: Path,
    file_backend: Path,
    make_sandbox: type[SandboxFactory],
    monkeypatch: pytest.MonkeyPatch,
) -> World:
    sandbox = make_sandbox.start(state_dir=tmp_path / "sandbox")
    for key, value in sandbox.env().items():
        monkeypatch.setenv(key, value)
    project = project_copy(tmp_path)
    # Stack B: the demo's environment under the demo's name, as a careless teammate would write.
    (project / "stacks" / f"Pulumi.{INTRUDER}.yaml").write_text(
        "config:\n  paas-stacks:environment:\n    extends: demo\n    name: demo\n"
    )
    return World(sandbox, project)


def engine_stack(world: World, name: str, backend: Path | None = None) -> EngineRun:
    env = {"PULUMI_BACKEND_URL": f"file://{backend}"} if backend else {}
    options = auto.LocalWorkspaceOptions(work_dir=str(world.project), env_vars=env)
    stack = auto.create_stack(name, work_dir=str(world.project), opts=options)
    stack.set_config("paas-stacks:offline", auto.ConfigValue("true"))
    return EngineRun(stack, world.sandbox)


def render_env(sandbox: Sandbox) -> dict[str, dict[str, str]]:
    """Every Render service's env vars, by service name, as Render holds them."""
    headers = {"authorization": f"Bearer {sandbox.token('render')}"}
    with httpx.Client(base_url=sandbox.base_url("render"), headers=headers) as api:
        services = api.get("/services", params={"limit": 100}).raise_for_status().json()
        found = {}
        for entry in services:
            service = entry["service"]
            listed = api.get(f"/services/{service['id']}/env-vars").raise_for_status().json()
            found[service["name"]] = {e["envVar"]["key"]: e["envVar"]["value"] for e in listed}
    return found


def connects(outputs: dict[str, Any]) -> bool:
    with psycopg.connect(outputs["DATABASE_URL"], connect_timeout=5) as conn:
        database_ok = conn.execute("select 1").fetchone() == (1,)
    return database_ok and bool(redis.Redis.from_url(outputs["REDIS_URL"], socket_timeout=5).ping())


def refused_up(run: EngineRun) -> tuple[str, int]:
    """B's ``up``: it must fail; returns its output and the vendor writes it made. It goes on
    past the first error, so every object it would have taken over is tried."""
    lines: list[str] = []

    def up() -> None:
        with pytest.raises(auto.CommandError) as failed:
            run.stack.up(on_output=lines.append, color="never", continue_on_error=True)
        lines.append(str(failed.value))

    _, calls = run._counted(up)  # the calls counted around a failing up
    return "\n".join(lines), calls.writes()


def assert_untouched(world: World, a: EngineRun, before: dict[str, dict[str, str]]) -> None:
    assert render_env(world.sandbox) == before, "B changed A's Render env vars"
    assert connects(a.outputs()), "A's DATABASE_URL or REDIS_URL no longer connects"


def test_a_stack_with_another_stacks_environment_name_cannot_take_it_over(world: World) -> None:
    a = engine_stack(world, "demo")
    created, _ = a.up()
    assert created.summary.result == "succeeded"
    env_before = render_env(world.sandbox)
    objects = world.sandbox.objects()
    assert env_before["demo-api"]["JWT_SECRET"]

    b = engine_stack(world, INTRUDER)
    output, writes = refused_up(b)
    assert OWNER_LINE in output, output
    for what in REFUSED:
        assert f"{what} (" in output, what
    assert "this is stack organization/paas-stacks/intruder" in output
    assert "adopt_id" in output
    assert "rename the environment" in output
    assert writes == 0, "B wrote to a vendor"
    assert_untouched(world, a, env_before)

    gone, calls = b.destroy()
    assert gone.summary.result == "succeeded"
    assert calls.writes() == 0
    assert world.sandbox.objects() == objects, "destroying B deleted something of A's"
    assert_untouched(world, a, env_before)

    # A itself still owns everything: a second up changes nothing and writes nothing.
    same, calls = a.up()
    assert changes(same) == {}
    assert calls.writes() == 0
    a.destroy()


def test_a_same_named_stack_on_a_second_file_backend_is_another_owner(
    world: World, tmp_path: Path
) -> None:
    a = engine_stack(world, "demo")
    created, _ = a.up()
    assert created.summary.result == "succeeded"
    env_before = render_env(world.sandbox)
    objects = world.sandbox.objects()

    # A teammate's own local `demo` stack: same organization, project and stack name.
    other = tmp_path / "teammate-state"
    other.mkdir()
    b = engine_stack(world, "demo", backend=other)
    assert b.stack.workspace.env_vars["PULUMI_BACKEND_URL"] != a.stack.workspace.env_vars.get(
        "PULUMI_BACKEND_URL", ""
    )
    output, writes = refused_up(b)
    assert OWNER_LINE in output, output
    for what in REFUSED:
        assert f"{what} (" in output, what
    # Same organization, project and stack name: only the salt of each state tells them apart.
    assert "this is stack organization/paas-stacks/demo" in output
    assert writes == 0
    assert_untouched(world, a, env_before)

    gone, _ = b.destroy()
    assert gone.summary.result == "succeeded"
    assert world.sandbox.objects() == objects
    assert_untouched(world, a, env_before)
    a.destroy()
