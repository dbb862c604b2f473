"""Fly process groups through the real engine against the sandbox: a stack file's web service
with a worker process comes up as ONE Fly app with one machine group per process (the web
with its HTTP check, concurrency, statics, a volume and a stop signal; the worker with its own
command, size and check), holds still on a second ``up``, scales the worker without touching a
web machine, and destroys to nothing; a converted ``fly.toml`` comes up the same way."""

from __future__ import annotations

import copy
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from paas_stacks.convert.cli import main
from sandbox import Sandbox
from tests.conftest import EngineFactory
from tests.engine import changes

pytestmark = pytest.mark.engine

DATA = Path(__file__).resolve().parents[1] / "unit" / "convert" / "data"
GROUP = "fly_process_group"  # flyctl's metadata key for a machine's process group
SHOP: dict[str, Any] = {
    "services": {
        "shop": {
            "kind": "web",
            "platform": "fly",
            "region": "lhr",
            "image": "registry.fly.io/shop:1.0",
            "process": "web",
            "start_command": "bin/rails server -p 8080",
            "port": 8080,
            "health_check_path": "/up",
            "concurrency": {"type": "requests", "soft_limit": 20, "hard_limit": 25},
            "statics": [{"guest_path": "/rails/public", "url_prefix": "/assets"}],
            "kill_signal": "SIGTERM",
            "kill_timeout": "30s",
            "disk": {"name": "uploads", "mount_path": "/data", "size_gb": 2},
            "env": {"RAILS_ENV": "production"},
            "processes": {
                "worker": {
                    "start_command": "bundle exec sidekiq",
                    "size": "shared-cpu-2x",
                    "checks": {"alive": {"type": "tcp", "port": 7433}},
                },
            },
        }
    }
}


def make_program(name: str, raw: dict[str, Any], stacks: Path) -> Any:
    """The stack of ``raw``, read at each run (a test changes it between runs)."""

    def program() -> None:
        from paas_stacks.components.environment import (  # noqa: PLC0415
            Environment,
            EnvironmentArgs,
        )
        from paas_stacks.components.spec import build  # noqa: PLC0415

        spec = build(name, raw, stacks)
        Environment(spec.name, EnvironmentArgs(spec=spec))

    return program


class FlyApi:
    """The sandbox's Fly API, read as ``fly machine list`` would."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.http = httpx.Client(
            base_url=sandbox.base_url("fly"),
            headers={"authorization": f"Bearer {sandbox.token('fly')}"},
        )

    def apps(self) -> list[str]:
        answer = self.http.get("/apps", params={"org_slug": "personal"}).json()
        return sorted(app["name"] for app in answer["apps"])

    def groups(self, app: str) -> dict[str, list[dict[str, Any]]]:
        """The app's live machines by process group."""
        found: dict[str, list[dict[str, Any]]] = {}
        for machine in self.http.get(f"/apps/{app}/machines").json():
            found.setdefault(machine["config"]["metadata"][GROUP], []).append(machine)
        return found

    def volumes(self, app: str) -> list[dict[str, Any]]:
        return list(self.http.get(f"/apps/{app}/volumes").json())


def test_a_two_process_fly_app_is_one_app_scales_one_process_alone_and_goes(
    tmp_path: Path, engine: type[EngineFactory], engine_sandbox: Sandbox
) -> None:
    name = f"pg-{uuid.uuid4().hex[:6]}"
    app = f"{name}-shop"
    fly = FlyApi(engine_sandbox)
    before = engine_sandbox.objects()
    raw = copy.deepcopy(SHOP)
    run = engine.stack(name, make_program(name, raw, tmp_path / "stacks"))

    created, calls = run.up()
    assert changes(created).get("create", 0) > 0
    assert [a for a in fly.apps() if a.startswith(name)] == [app]  # ONE app
    groups = fly.groups(app)
    assert sorted(groups) == ["web", "worker"]
    (web,) = groups["web"]
    (worker,) = groups["worker"]
    assert web["region"] == worker["region"] == "lhr"
    assert web["config"]["image"] == worker["config"]["image"] == "registry.fly.io/shop:1.0"
    assert web["config"]["init"]["cmd"] == ["bin/rails", "server", "-p", "8080"]
    assert worker["config"]["init"]["cmd"] == ["bundle", "exec", "sidekiq"]
    (service,) = web["config"]["services"]
    assert service["internal_port"] == 8080
    assert [c["path"] for c in service["checks"]] == ["/up"]
    assert service["concurrency"] == {"type": "requests", "soft_limit": 20, "hard_limit": 25}
    assert web["config"]["statics"] == [{"guest_path": "/rails/public", "url_prefix": "/assets"}]
    assert web["config"]["stop_config"] == {"signal": "SIGTERM", "timeout": "30s"}
    assert worker["config"]["stop_config"] == {"signal": "SIGTERM", "timeout": "30s"}
    assert "services" not in worker["config"] or not worker["config"]["services"]
    assert worker["config"]["guest"]["cpus"] == 2
    assert worker["config"]["checks"]["alive"]["type"] == "tcp"
    (volume,) = fly.volumes(app)
    assert (volume["name"], volume["region"], volume["size_gb"]) == ("uploads", "lhr", 2)
    assert web["config"]["mounts"] == [{"volume": volume["id"], "path": "/data"}]
    assert volume["attached_machine_id"] == web["id"]

    again, calls = run.up()
    assert changes(again) == {}
    assert calls.writes("fly") == 0

    raw["services"]["shop"]["processes"]["worker"]["instances"] = 3
    grown, calls = run.up()
    assert changes(grown) == {"update": 1}
    after = fly.groups(app)
    assert len(after["worker"]) == 3
    (web_after,) = after["web"]
    assert (web_after["id"], web_after["instance_id"]) == (web["id"], web["instance_id"])
    assert worker["id"] in {m["id"] for m in after["worker"]}

    run.assert_no_leak()
    run.destroy()
    assert engine_sandbox.objects() == before


def test_a_converted_fly_toml_comes_up_holds_still_and_goes(
    tmp_path: Path, engine: type[EngineFactory], engine_sandbox: Sandbox
) -> None:
    name = f"ft-{uuid.uuid4().hex[:6]}"
    output = tmp_path / f"Pulumi.{name}.yaml"
    code = main([str(DATA / "reference.fly.toml"), "--output", str(output), "--allow-partial"])
    assert code == 0
    raw = yaml.safe_load(output.read_text())["config"]["paas-stacks:environment"]
    fly = FlyApi(engine_sandbox)
    before = engine_sandbox.objects()
    run = engine.stack(name, make_program(name, raw, tmp_path / "stacks"))

    created, _ = run.up()
    assert changes(created).get("create", 0) > 0
    groups = fly.groups(f"{name}-acme-shop")
    assert sorted(groups) == ["web", "worker"]
    assert groups["worker"][0]["config"]["init"]["cmd"][:2] == ["bundle", "exec"]
    assert groups["web"][0]["config"]["init"]["entrypoint"] == ["/usr/bin/tini", "--"]
    again, calls = run.up()
    assert changes(again) == {}
    assert calls.writes("fly") == 0

    run.assert_no_leak()
    run.destroy()
    assert engine_sandbox.objects() == before
