"""Worker on Render and on Fly.io: a background process with the same env wiring as a web
service, and nothing to serve or to link to."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi.runtime import rpc

from paas_stacks.components._fields import Autoscaling
from paas_stacks.components.linking import Link
from paas_stacks.components.platforms import Fly, Render
from paas_stacks.components.spec import (
    Entry,
    EnvironmentSpec,
    compile_entry,
    load_stack,
    provided_env,
)
from paas_stacks.components.worker import Worker, WorkerArgs
from paas_stacks.errors import ArgsError
from tests.mocks import Built, build

STACKS = Path(__file__).resolve().parents[3] / "stacks"


class Fake:
    """A linkable stand-in whose values are secret."""

    def __init__(self, name: str, values: dict[str, str]) -> None:
        self.pulumi_resource_name = name
        self.values = values

    def env(self) -> dict[str, pulumi.Output[str]]:
        return {key: pulumi.Output.secret(value) for key, value in self.values.items()}


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(rpc._special_sig_key) == rpc._special_secret_sig


def plain(value: Any) -> Any:
    return value["value"] if is_secret(value) else value


def render_args(render: dict[str, Any] | None = None, **service: Any) -> WorkerArgs:
    platform: dict[str, Any] = {
        "plan": "starter",
        "runtime": "node",
        "repo": "https://github.com/acme/api",
        "build_command": "npm ci",
        "start_command": "npm run worker",
        **(render or {}),
    }
    return WorkerArgs(**{"name": "prod-worker", "platform": Render(**platform), **service})


def fly_args(fly: dict[str, Any] | None = None, **service: Any) -> WorkerArgs:
    platform: dict[str, Any] = {
        "size": "shared-cpu-2x",
        "image": "registry.fly.io/prod-worker:1",
        "region": "fra",
        **(fly or {}),
    }
    return WorkerArgs(**{"name": "prod-worker", "platform": Fly(**platform), **service})


def run(args: WorkerArgs) -> tuple[Built, Worker]:
    made: list[Worker] = []

    def program() -> dict[str, Any]:
        made.append(Worker("jobs", args))
        return {"env": dict(made[0].env()), "id": made[0].service_id, "name": made[0].app_name}

    return build(program), made[0]


def children(component: pulumi.Resource) -> set[str]:
    return {child.pulumi_resource_name for child in component._childResources}


def test_a_render_worker_is_one_background_worker_with_its_commands() -> None:
    built, worker = run(render_args({"region": "oregon"}, instances=2))
    assert children(worker) == {"jobs-service"}
    inputs = built.mocks.one("render:Service").inputs
    assert (inputs["type"], inputs["name"], inputs["region"]) == ("worker", "prod-worker", "oregon")
    assert (inputs["build_command"], inputs["start_command"]) == ("npm ci", "npm run worker")
    assert inputs["num_instances"] == 2
    assert "health_check_path" not in inputs
    assert built.value["name"] == "prod-worker"


def test_a_render_worker_can_autoscale_and_run_a_pre_deploy_command() -> None:
    scaling = Autoscaling(min=1, max=4)
    built, _ = run(render_args(autoscaling=scaling, pre_deploy_command="npm run m"))
    inputs = built.mocks.one("render:Service").inputs
    assert inputs["autoscaling"] == {"min": 1, "max": 4, "target_cpu_percent": 70}
    assert inputs["pre_deploy_command"] == "npm run m"


def test_a_render_workers_linked_secrets_are_in_its_secret_env_vars() -> None:
    api = Fake("api-secrets", {"REPLICATE_API_TOKEN": "r8_x", "STRIPE_SECRET_KEY": "sk"})
    args = render_args(env={"LOG_LEVEL": "debug"}, links=[Link(api, only=["REPLICATE_API_TOKEN"])])
    built, _ = run(args)
    env_vars = built.mocks.one("render:Service").inputs["env_vars"]
    assert is_secret(env_vars)
    assert plain(env_vars) == {"LOG_LEVEL": "debug", "REPLICATE_API_TOKEN": "r8_x"}


def test_a_fly_worker_is_its_own_app_with_a_worker_group_and_no_proxy_or_ips() -> None:
    queue = Fake("queue", {"REDIS_URL": "rediss://q"})
    built, worker = run(fly_args(instances=2, env={"QUEUES": "default"}, links=[queue]))
    assert children(worker) == {"jobs-app", "jobs-machines", "jobs-secrets"}
    assert built.mocks.of_type("fly:IpAddress") == []
    assert built.mocks.one("fly:App").inputs["name"] == "prod-worker"
    machines = built.mocks.one("fly:Machines").inputs
    assert (machines["group"], machines["regions"], machines["count"]) == ("worker", ["fra"], 2)
    assert (machines["cpu_kind"], machines["cpus"], machines["memory_mb"]) == ("shared", 2, 512)
    assert "services" not in machines
    assert "autostop" not in machines
    assert machines["env"] == {"QUEUES": "default"}
    assert plain(built.mocks.one("fly:Secrets").inputs["values"]) == {"REDIS_URL": "rediss://q"}
    assert built.value["id"] == "prod-worker"


def test_a_worker_provides_nothing_to_link_as_provided_env_says() -> None:
    built, _ = run(render_args())
    env = load_stack("masstock", STACKS, check_secrets=False)
    assert tuple(built.value["env"]) == provided_env(env, "worker") == ()


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (render_args({"plan": "free"}), "platform.plan: 'free' cannot be created through"),
        (render_args({"runtime": "java"}), "platform.runtime: 'java' is not allowed"),
        (
            fly_args(autoscaling=Autoscaling(min=1, max=3)),
            "autoscaling: a Fly worker has no requests to scale on; use instances",
        ),
        (fly_args({"autostop": "stop"}), "platform.autostop: Fly stops idle machines behind"),
        (fly_args({"size": "shared-cpu-3x"}), "platform.size: 'shared-cpu-3x' is not allowed"),
    ],
)
def test_a_setting_a_worker_cannot_take_is_one_args_error_line_naming_it(
    args: WorkerArgs, line: str
) -> None:
    with pytest.raises(ArgsError) as caught:
        run(args)
    assert any(
        reported.startswith(f"Worker 'jobs': {line}") for reported in str(caught.value).splitlines()
    ), str(caught.value)


def test_a_worker_has_no_port_or_health_check_to_give() -> None:
    with pytest.raises(TypeError, match="port"):
        WorkerArgs(name="w", platform=Fly(size="shared-cpu-1x"), port=80)  # type: ignore[call-arg]


# -- from_spec: the seed stacks -----------------------------------------------------------------
def spec_run(stack: str, service: str) -> Built:
    env: EnvironmentSpec = load_stack(stack, STACKS, check_secrets=False)
    links = [
        Link(
            Fake(link.to, {name: f"{link.to}:{name}" for name in provided_env(env, link.to)}),
            only=link.only,
            rename=dict(link.rename),
        )
        for link in env.services[service].links
    ]
    compiled = compile_entry(Entry("services", service, env.services[service]), env, links)
    return build(lambda: compiled.component(service, compiled.args))


def test_the_masstock_worker_runs_npm_run_worker_on_a_render_starter_plan() -> None:
    # Seed 000 step 3.3: "Background Worker", start `npm run worker`, "same environment
    # variables as Web Service" (the stack reuses the web service's env and links).
    inputs = spec_run("masstock", "worker").mocks.one("render:Service").inputs
    assert (inputs["name"], inputs["type"], inputs["plan"]) == (
        "masstock-worker",
        "worker",
        "starter",
    )
    assert inputs["start_command"] == "npm run worker"
    assert {"NODE_ENV", "SUPABASE_URL", "REDIS_PASSWORD", "JWT_SECRET"} <= set(
        plain(inputs["env_vars"])
    )


def test_the_realstaging_worker_builds_its_own_dockerfile_with_one_linked_secret() -> None:
    # Seed 004: "make build-worker"; "Configure Secrets (Worker Service)".
    inputs = spec_run("realstaging", "worker").mocks.one("render:Service").inputs
    assert (inputs["runtime"], inputs["dockerfile_path"], inputs["docker_context"]) == (
        "docker",
        "apps/worker/Dockerfile",
        ".",
    )
    env = plain(inputs["env_vars"])
    assert "REPLICATE_API_TOKEN" in env
    assert "STRIPE_SECRET_KEY" not in env
    assert "PORT" not in env


def test_a_web_entry_compiles_to_a_web_service_not_a_worker() -> None:
    env = load_stack("masstock", STACKS, check_secrets=False)
    compiled = compile_entry(Entry("services", "backend", env.services["backend"]), env)
    assert compiled.component.__name__ == "WebService"
