"""A Fly service's process groups, machine checks, concurrency, statics, stop settings and
volume in a stack file: every value reaches the arguments, the rules refuse what Fly cannot run
with one line each, the estimate prices each process, and an environment may name any Fly
region."""

from __future__ import annotations

from typing import Any

import pytest

from paas_stacks.components._fields import Disk
from paas_stacks.components._fly_fields import FlyCheck, FlyConcurrency, FlyProcess, FlyStatic
from paas_stacks.components.spec import EnvironmentSpec
from paas_stacks.components.spec.build import Entry, compile_entry
from paas_stacks.components.spec.cost import estimate
from paas_stacks.components.worker import Worker
from paas_stacks.vendors.places import region_of

WEB: dict[str, Any] = {
    "kind": "web",
    "platform": "fly",
    "image": "registry.fly.io/shop:1",
    "start_command": "bin/rails server",
    "entrypoint": "/usr/bin/tini --",
    "process": "web",
    "checks": {"alive": {"type": "tcp"}},
    "concurrency": {"type": "requests", "soft_limit": 20, "hard_limit": 25},
    "statics": [{"guest_path": "/app/public", "url_prefix": "/assets"}],
    "kill_signal": "SIGTERM",
    "kill_timeout": "30s",
    "auto_rollback": True,
    "disk": {"name": "uploads", "mount_path": "/data", "size_gb": 3},
    "processes": {
        "worker": {
            "start_command": "bundle exec sidekiq",
            "size": "performance-1x",
            "instances": 2,
            "checks": {"http": {"port": 7433, "path": "/healthz"}},
        }
    },
}


def environment(region: str = "frankfurt", **service: Any) -> EnvironmentSpec:
    return EnvironmentSpec.model_validate(
        {"name": "shop", "region": region, "services": {"web": {**WEB, **service}}}
    )


def args(env: EnvironmentSpec) -> Any:
    return compile_entry(Entry("services", "web", env.services["web"]), env).args


def test_every_process_group_value_reaches_the_arguments() -> None:
    platform = args(environment()).platform
    assert platform.start_command == "bin/rails server"
    assert platform.entrypoint == "/usr/bin/tini --"
    assert platform.process == "web"
    assert platform.checks == {"alive": FlyCheck(type="tcp")}
    assert platform.concurrency == FlyConcurrency(type="requests", soft_limit=20, hard_limit=25)
    assert platform.statics == (FlyStatic(guest_path="/app/public", url_prefix="/assets"),)
    assert (platform.kill_signal, platform.kill_timeout) == ("SIGTERM", "30s")
    assert platform.auto_rollback is True
    assert platform.processes == {
        "worker": FlyProcess(
            start_command="bundle exec sidekiq",
            size="performance-1x",
            instances=2,
            checks={"http": FlyCheck(port=7433, path="/healthz")},
        )
    }
    assert args(environment()).disk == Disk(name="uploads", mount_path="/data", size_gb=3)


@pytest.mark.parametrize(
    ("change", "line"),
    [
        ({"processes": {"web": {"start_command": "x"}}}, "processes.web: is the service's own"),
        (
            {"processes": {"jobs": {"start_command": "x", "checks": {"c": {"type": "tcp"}}}}},
            "processes.jobs.checks.c.port: is required: this process listens on no declared port",
        ),
        (
            {
                "processes": {
                    "jobs": {"start_command": "x", "size": "shared-cpu-1x", "memory_mb": 4096}
                }
            },
            "processes.jobs.memory_mb: 4096 is outside what shared-cpu-1x allows: 256-2048 MB",
        ),
        ({"process": "fly_app_release_command"}, "process: 'fly_app_release_command' is flyctl's"),
        (
            {"instances": 2},
            "instances: a service with a disk runs one instance (fly.io/docs/volumes/overview)",
        ),
        ({"checks": {"c": {"type": "tcp", "path": "/x"}}}, "checks.c: a tcp check takes no path"),
        ({"entrypoint": "'open"}, "entrypoint: is not a command line"),
    ],
)
def test_what_fly_cannot_run_is_one_line_naming_the_key(change: dict[str, Any], line: str) -> None:
    with pytest.raises(ValueError, match=r"environment\.services\.web\.") as raised:
        environment(**change)
    assert line in str(raised.value)


def test_a_worker_process_takes_no_proxy_settings() -> None:
    entry = {k: v for k, v in WEB.items() if k not in ("disk",)}
    env = EnvironmentSpec.model_validate(
        {"name": "shop", "services": {"jobs": {**entry, "kind": "worker"}}},
        context={"rules": False},
    )
    problems = Worker.problems(args_of(env, "jobs"))
    said = {".".join(map(str, p.loc)): p.message for p in problems}
    assert said["platform.concurrency"] == "only a web service's process takes proxied traffic"
    assert said["platform.statics"] == "only a web service's process takes proxied traffic"
    assert "platform.checks.alive.port" in said


def args_of(env: EnvironmentSpec, name: str) -> Any:
    return compile_entry(Entry("services", name, env.services[name]), env).args


def test_the_estimate_prices_each_process_group_and_the_volume() -> None:
    lines = {line.label: line for line in estimate(environment()).lines}
    assert "web process worker" in lines
    worker = lines["web process worker"]
    assert worker.plan.startswith("performance-1x 2048MB")
    assert "2 machine(s)" in worker.note
    assert lines["web volume"].usd == pytest.approx(3 * 0.15)


@pytest.mark.parametrize(
    ("where", "render", "supabase"),
    [
        ("nrt", "singapore", "ap-southeast-1"),
        ("lhr", "frankfurt", "eu-central-1"),
        ("iad", "virginia", "us-east-1"),
    ],
)
def test_an_environment_may_name_any_fly_region_and_other_vendors_get_the_nearest_place(
    where: str, render: str, supabase: str
) -> None:
    assert region_of("fly", where) == where
    assert (region_of("render", where), region_of("supabase", where)) == (render, supabase)
    assert args(environment(region=where)).platform.region == where
