"""WebService on Render and on Fly.io: the resources it declares, the env it injects, what a link
to it provides, and the args it refuses."""

from __future__ import annotations

from dataclasses import dataclass, field
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
from paas_stacks.components.web_service import WebService, WebServiceArgs
from paas_stacks.errors import ArgsError
from paas_stacks.providers.fly.app import AppInputs
from paas_stacks.providers.fly.machine_spec import MachinesInputs
from paas_stacks.providers.fly.secrets import SecretsInputs
from paas_stacks.providers.render.service_inputs import ServiceInputs
from tests.mocks import OWNER, build

STACKS = Path(__file__).resolve().parents[3] / "stacks"


@dataclass
class Fake:
    """A linkable stand-in: ``env()`` answers the given values."""

    values: dict[str, Any]
    secret: bool = False
    _name: str = "fake"

    def env(self) -> dict[str, pulumi.Output[str]]:
        wrap = pulumi.Output.secret if self.secret else pulumi.Output.from_input
        return {key: wrap(value) for key, value in self.values.items()}


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(rpc._special_sig_key) == rpc._special_secret_sig


def plain(value: Any) -> Any:
    return value["value"] if is_secret(value) else value


def render_args(render: dict[str, Any] | None = None, **service: Any) -> WebServiceArgs:
    """A Render web service; ``render`` overrides the platform's fields, ``service`` the rest."""
    platform: dict[str, Any] = {
        "plan": "starter",
        "runtime": "node",
        "repo": "https://github.com/acme/api",
        "build_command": "npm ci",
        "start_command": "npm start",
        "region": "frankfurt",
        **(render or {}),
    }
    return WebServiceArgs(**{"name": "prod-api", "platform": Render(**platform), **service})


def fly_args(fly: dict[str, Any] | None = None, **service: Any) -> WebServiceArgs:
    """A Fly web service; ``fly`` overrides the platform's fields, ``service`` the rest."""
    platform: dict[str, Any] = {
        "size": "shared-cpu-1x",
        "image": "registry.fly.io/prod-api:1",
        "region": "iad",
        **(fly or {}),
    }
    return WebServiceArgs(**{"name": "prod-api", "platform": Fly(**platform), **service})


@dataclass
class Program:
    """Builds one WebService under mocks and keeps it for inspection."""

    args: WebServiceArgs
    built: Any = None
    service: WebService | None = field(default=None)

    def run(self) -> Program:
        def program() -> dict[str, Any]:
            self.service = WebService("api", self.args)
            return {"url": self.service.url, "env": dict(self.service.env())}

        self.built = build(program)
        return self

    def one(self, typ: str) -> Any:
        return self.built.mocks.one(typ)


def children(component: pulumi.Resource | None) -> set[str]:
    assert component is not None
    return {child.pulumi_resource_name for child in component._childResources}


# -- Render -------------------------------------------------------------------------------------
def test_a_render_web_service_is_one_web_service_with_its_commands_plan_region_and_check() -> None:
    args = render_args({"branch": "main", "root_dir": "server"}, health_check_path="/health")
    run = Program(args).run()
    service = run.one("render:Service")
    assert service.name == "api-service"
    assert children(run.service) == {"api-service"}
    assert run.built.mocks.types() == [
        "paas:components:WebService",
        OWNER,
        "pulumi-python:dynamic/render:Service",
    ]
    inputs = service.inputs
    assert inputs["type"] == "web"
    assert inputs["name"] == "prod-api"
    assert (inputs["runtime"], inputs["plan"], inputs["region"]) == ("node", "starter", "frankfurt")
    assert (inputs["build_command"], inputs["start_command"]) == ("npm ci", "npm start")
    assert (inputs["branch"], inputs["root_dir"]) == ("main", "server")
    assert inputs["health_check_path"] == "/health"
    assert "num_instances" not in inputs
    assert "autoscaling" not in inputs


def test_a_render_web_service_url_is_the_services_url_and_a_link_to_it_gives_URL() -> None:
    run = Program(render_args()).run()
    assert run.built.value["url"] == "https://prod-api.onrender.com"
    assert run.built.value["env"] == {"URL": "https://prod-api.onrender.com"}


def test_a_declared_port_becomes_PORT_in_the_render_env_vars() -> None:
    run = Program(render_args(port=3000, env={"LOG_LEVEL": "info"})).run()
    assert plain(run.one("render:Service").inputs["env_vars"]) == {
        "LOG_LEVEL": "info",
        "PORT": "3000",
    }


def test_an_env_PORT_that_contradicts_port_is_refused() -> None:
    with pytest.raises(ArgsError, match=r"env\.PORT: '8080' contradicts port 3000"):
        Program(render_args(port=3000, env={"PORT": "8080"})).run()


def test_render_autoscaling_is_the_providers_dict_with_a_cpu_target_when_none_is_given() -> None:
    run = Program(render_args(autoscaling=Autoscaling(min=2, max=5))).run()
    assert run.one("render:Service").inputs["autoscaling"] == {
        "min": 2,
        "max": 5,
        "target_cpu_percent": 70,
    }
    scaling = Autoscaling(min=1, max=3, target_memory_percent=60)
    run = Program(render_args(autoscaling=scaling)).run()
    assert run.one("render:Service").inputs["autoscaling"] == {
        "min": 1,
        "max": 3,
        "target_memory_percent": 60,
    }


def test_a_fixed_instance_count_is_num_instances_on_render() -> None:
    run = Program(render_args(instances=2)).run()
    assert run.one("render:Service").inputs["num_instances"] == 2


def test_a_docker_render_service_builds_its_dockerfile_and_runs_its_command_in_docker() -> None:
    docker = {
        "runtime": "docker",
        "build_command": None,
        "start_command": "/app/api-server",
        "dockerfile": "apps/api/Dockerfile",
        "docker_context": ".",
    }
    args = render_args(docker, pre_deploy_command="migrate up")
    inputs = Program(args).run().one("render:Service").inputs
    assert inputs["runtime"] == "docker"
    assert (inputs["dockerfile_path"], inputs["docker_context"]) == ("apps/api/Dockerfile", ".")
    assert inputs["docker_command"] == "/app/api-server"
    assert "start_command" not in inputs
    assert "build_command" not in inputs
    assert inputs["pre_deploy_command"] == "migrate up"


def test_links_inject_only_the_chosen_vars_under_their_new_names_into_render_env() -> None:
    cache = Fake({"REDIS_URL": "redis://r", "REDIS_HOST": "r", "REDIS_PORT": "6379"})
    site = Fake({"URL": "https://app.example.com"})
    links = [Link(cache, only=["REDIS_URL"], rename={"REDIS_URL": "QUEUE_URL"}), Link(site)]
    run = Program(render_args(env={"NODE_ENV": "production"}, links=links)).run()
    assert plain(run.one("render:Service").inputs["env_vars"]) == {
        "NODE_ENV": "production",
        "QUEUE_URL": "redis://r",
        "URL": "https://app.example.com",
    }


def test_a_secret_linked_value_stays_secret_in_the_render_env_vars() -> None:
    db = Fake({"DATABASE_URL": "postgresql://u:pw@h/db"}, secret=True)
    run = Program(render_args(links=[db])).run()
    env_vars = run.one("render:Service").inputs["env_vars"]
    assert is_secret(env_vars)
    assert plain(env_vars) == {"DATABASE_URL": "postgresql://u:pw@h/db"}


def test_a_link_that_would_overwrite_an_own_var_is_refused() -> None:
    db = Fake({"DATABASE_URL": "postgresql://x"})
    with pytest.raises(ArgsError, match=r"links\[0\]: injects DATABASE_URL, which env"):
        Program(render_args(env={"DATABASE_URL": "sqlite://"}, links=[db])).run()


# -- Fly ----------------------------------------------------------------------------------------
def test_a_fly_web_service_is_an_app_with_public_ips_and_one_machines_group() -> None:
    run = Program(fly_args(port=8000, health_check_path="/api/health")).run()
    assert children(run.service) == {"api-app", "api-ipv4", "api-ipv6", "api-machines"}
    assert run.one("fly:App").inputs["name"] == "prod-api"
    ips = {r.inputs["type"] for r in run.built.mocks.of_type("fly:IpAddress")}
    assert ips == {"shared_v4", "v6"}
    machines = run.one("fly:Machines").inputs
    assert (machines["app"], machines["group"]) == ("prod-api", "app")
    assert (machines["regions"], machines["count"]) == (["iad"], 1)
    assert (machines["cpu_kind"], machines["cpus"], machines["memory_mb"]) == ("shared", 1, 256)
    assert machines["services"] == [
        {
            "internal_port": 8000,
            "ports": [
                {"port": 80, "handlers": ["http"], "force_https": True},
                {"port": 443, "handlers": ["tls", "http"]},
            ],
            "http_checks": [{"path": "/api/health"}],
        }
    ]
    assert (machines["autostop"], machines["min_machines_running"]) == ("off", 0)
    assert machines["env"] == {"PORT": "8000"}
    assert run.built.value["url"] == "https://prod-api.fly.dev"
    assert run.built.value["env"] == {"URL": "https://prod-api.fly.dev"}


def test_fly_autoscaling_creates_max_machines_keeps_min_running_and_stops_the_rest() -> None:
    run = Program(fly_args(autoscaling=Autoscaling(min=1, max=3))).run()
    machines = run.one("fly:Machines").inputs
    assert (machines["count"], machines["min_machines_running"]) == (3, 1)
    assert (machines["autostop"], machines["autostart"]) == ("stop", True)
    assert machines["services"][0]["internal_port"] == 8080


def test_a_declared_fly_autostop_wins_over_the_autoscaling_default() -> None:
    run = Program(fly_args({"autostop": "suspend"}, autoscaling=Autoscaling(min=1, max=3))).run()
    assert run.one("fly:Machines").inputs["autostop"] == "suspend"


def test_a_fly_size_sets_cpu_kind_cpus_and_the_presets_smallest_memory() -> None:
    run = Program(fly_args({"size": "performance-2x"}, instances=2)).run()
    machines = run.one("fly:Machines").inputs
    assert (machines["cpu_kind"], machines["cpus"], machines["memory_mb"]) == (
        "performance",
        2,
        4096,
    )
    assert machines["count"] == 2


def test_fly_linked_values_go_to_app_secrets_and_own_env_stays_in_the_machines() -> None:
    db = Fake({"DATABASE_URL": "postgresql://u:pw@h/db"}, secret=True)
    site = Fake({"URL": "https://app.example.com"})
    links = [db, Link(site, rename={"URL": "FRONTEND_URL"})]
    run = Program(fly_args(env={"LOG_LEVEL": "info"}, links=links, pre_deploy_command="m")).run()
    assert "api-secrets" in children(run.service)
    secrets = run.one("fly:Secrets").inputs
    assert secrets["app"] == "prod-api"
    assert is_secret(secrets["values"])
    assert plain(secrets["values"]) == {
        "DATABASE_URL": "postgresql://u:pw@h/db",
        "FRONTEND_URL": "https://app.example.com",
    }
    machines = run.one("fly:Machines").inputs
    assert machines["env"] == {"LOG_LEVEL": "info"}
    assert machines["release_command"] == "m"


def test_a_fly_service_without_links_declares_no_secrets() -> None:
    run = Program(fly_args()).run()
    assert run.built.mocks.of_type("fly:Secrets") == []


# -- refused args -------------------------------------------------------------------------------
SCALE_0_2 = Autoscaling(min=0, max=2)


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            render_args({"plan": "starer"}),
            "platform.plan: 'starer' is not allowed; allowed: free, starter, standard, pro, "
            "pro_plus, pro_max, pro_ultra; did you mean 'starter'?",
        ),
        (render_args({"region": "iad"}), "platform.region: 'iad' is not allowed; allowed: "),
        (render_args({"plan": "free"}), "platform.plan: 'free' cannot be created through the"),
        (render_args(autoscaling=SCALE_0_2), "autoscaling.min: Render keeps at least one"),
        (
            render_args(autoscaling=Autoscaling(min=3, max=2)),
            "autoscaling.min: 3 is greater than max 2",
        ),
        (
            render_args(instances=3, autoscaling=Autoscaling(min=1, max=2)),
            "instances: 3 is outside autoscaling 1-2: it is the count Render starts at",
        ),
        (render_args({"image": "docker.io/x:1"}), "platform.image: is only used with runtime"),
        (render_args({"start_command": None}), "platform.start_command: is required for runtime"),
        (render_args({"runtime": "docker"}), "platform.build_command: runtime 'docker' builds"),
        (
            render_args({"runtime": "image", "image": "x:1", "build_command": None}),
            "platform.repo: runtime 'image' runs a prebuilt image; remove it",
        ),
        (render_args({"dockerfile": "Dockerfile"}), "platform.dockerfile: is only used with"),
        (render_args(health_check_path="health"), "health_check_path: 'health' is not a path"),
        (render_args(port=70000), "port: must be less than or equal to 65535; got 70000"),
        (render_args(instances=0), "instances: must be greater than or equal to 1; got 0"),
        (render_args(env={"log-level": "x"}), "env.log-level: 'log-level' is not an env var"),
        (fly_args({"region": "mars"}), "platform.region: 'mars' is not allowed"),
        (fly_args({"image": None}), "platform.image: is required: Fly machines run an image"),
        (fly_args({"start_command": "sh -c 'exit"}), "platform.start_command: is not a command"),
        (fly_args({"memory_mb": 300}), "platform.memory_mb: must be a multiple of 256; got 300"),
        (fly_args({"memory_mb": 4096}), "platform.memory_mb: 4096 is outside what shared-cpu-1x"),
        (fly_args({"size": "huge"}), "platform.size: 'huge' is not allowed"),
    ],
)
def test_a_setting_the_platform_cannot_take_is_one_args_error_line_naming_it(
    args: WebServiceArgs, line: str
) -> None:
    with pytest.raises(ArgsError) as caught:
        Program(args).run()
    assert any(
        reported.startswith(f"WebService 'api': {line}")
        for reported in str(caught.value).splitlines()
    ), str(caught.value)


def test_every_problem_of_the_args_comes_back_at_once_before_anything_registers() -> None:
    args = render_args({"plan": "starer", "region": "mars"}, port=0, env={"bad": "1"})
    program = Program(args)
    with pytest.raises(ArgsError) as caught:
        program.run()
    assert [p.path() for p in caught.value.problems] == [
        "platform.plan",
        "platform.region",
        "env.bad",
        "port",
    ]
    assert program.built is None or program.built.mocks.resources == []


def test_the_platform_is_a_type_so_a_render_word_cannot_reach_fly() -> None:
    with pytest.raises(TypeError, match="plan"):
        Fly(size="shared-cpu-1x", plan="starter")  # type: ignore[call-arg]


# -- from_spec: the seed stacks -----------------------------------------------------------------
def stack(name: str) -> EnvironmentSpec:
    return load_stack(name, STACKS, check_secrets=False)


def spec_links(env: EnvironmentSpec, service: str) -> list[Link]:
    """Fakes for every link target, each providing what ``provided_env`` says it provides."""
    result = []
    for link in env.services[service].links:
        names = provided_env(env, link.to)
        fake = Fake({name: f"{link.to}:{name}" for name in names}, secret=True, _name=link.to)
        result.append(Link(fake, only=link.only, rename=dict(link.rename)))
    return result


def from_stack(name: str, service: str) -> Program:
    env = stack(name)
    program = Program(render_args())

    def make() -> dict[str, Any]:
        entry = Entry("services", service, env.services[service])
        compiled = compile_entry(entry, env, spec_links(env, service))
        program.service = compiled.component(service, compiled.args)
        return {"url": program.service.url, "env": dict(program.service.env())}

    program.built = build(make)
    return program


def test_the_mvp_api_is_a_fly_app_autoscaling_1_to_3_with_its_links_as_secrets() -> None:
    # Seed 001: "Dockerized FastAPI on Fly.io with autoscaling (1-3 instances)", secrets set
    # with `flyctl secrets set`, migrations before the rollout, health check /api/health.
    run = from_stack("mvp", "api")
    assert run.one("fly:App").inputs["name"] == "mvp-api"
    machines = run.one("fly:Machines").inputs
    assert (machines["regions"], machines["count"], machines["min_machines_running"]) == (
        ["iad"],
        3,
        1,
    )
    assert (machines["autostop"], machines["memory_mb"]) == ("suspend", 1024)
    assert machines["release_command"] == "python -m alembic upgrade head"
    assert machines["services"][0]["http_checks"] == [{"path": "/api/health"}]
    assert set(machines["env"]) == {"ALLOWED_ORIGINS", "PORT"}
    secrets = plain(run.one("fly:Secrets").inputs["values"])
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "GEMINI_API_KEY"} <= set(secrets)
    assert run.built.value["env"] == {"URL": "https://mvp-api.fly.dev"}


def test_the_masstock_backend_is_a_render_node_service_with_its_health_check() -> None:
    # Seed 000 step 3.2: Node, build `npm install`, start `npm start`, /health. Its plan Free
    # becomes Starter: the Render API creates services on paid plans only (POST /services).
    inputs = from_stack("masstock", "backend").one("render:Service").inputs
    assert (inputs["name"], inputs["type"], inputs["plan"]) == (
        "masstock-backend",
        "web",
        "starter",
    )
    assert (inputs["build_command"], inputs["start_command"]) == ("npm install", "npm start")
    assert (inputs["region"], inputs["health_check_path"]) == ("frankfurt", "/health")
    env = plain(inputs["env_vars"])
    assert {"NODE_ENV", "PORT", "SUPABASE_URL", "REDIS_HOST", "JWT_SECRET"} <= set(env)
    assert "DATABASE_URL" not in env  # the link's `only` leaves it out


def test_the_realstaging_api_builds_its_dockerfile_on_render() -> None:
    # Seed 004: API from Docker on Render, port 8080, /health.
    inputs = from_stack("realstaging", "api").one("render:Service").inputs
    assert (inputs["runtime"], inputs["dockerfile_path"]) == ("docker", "apps/api/Dockerfile")
    assert plain(inputs["env_vars"])["PORT"] == "8080"


@pytest.mark.parametrize(("stack_name", "service"), [("mvp", "api"), ("masstock", "backend")])
def test_a_web_services_env_has_exactly_the_names_provided_env_lists(
    stack_name: str, service: str
) -> None:
    run = from_stack(stack_name, service)
    expected = provided_env(stack(stack_name), service)
    assert tuple(run.built.value["env"]) == expected == ("URL",)


def test_a_worker_entry_compiles_to_a_worker_not_a_web_service() -> None:
    env = stack("masstock")
    compiled = compile_entry(Entry("services", "worker", env.services["worker"]), env)
    assert compiled.component.__name__ == "Worker"


def provider_inputs(recorded: dict[str, Any]) -> dict[str, Any]:
    return {key: plain(value) for key, value in recorded.items() if key != "__provider"}


@pytest.mark.parametrize(
    "args",
    [
        render_args(health_check_path="/health", port=3000, autoscaling=Autoscaling(min=1, max=3)),
        render_args(
            {
                "runtime": "image",
                "image": "docker.io/acme/api:1",
                "start_command": "./serve",
                "repo": None,
                "build_command": None,
            },
            instances=2,
        ),
        render_args(
            {"runtime": "docker", "build_command": None, "start_command": None, "dockerfile": "D"}
        ),
    ],
)
def test_what_a_render_web_service_declares_passes_the_providers_own_input_check(
    args: WebServiceArgs,
) -> None:
    recorded = Program(args).run().one("render:Service").inputs
    ServiceInputs(**provider_inputs(recorded))


def test_what_a_fly_web_service_declares_passes_the_providers_own_input_checks() -> None:
    db = Fake({"DATABASE_URL": "postgresql://x"}, secret=True)
    args = fly_args(autoscaling=Autoscaling(min=1, max=3), health_check_path="/h", links=[db])
    run = Program(args).run()
    machines = MachinesInputs(**provider_inputs(run.one("fly:Machines").inputs))
    assert machines.spec()["services"][0]["http_checks"][0]["path"] == "/h"
    SecretsInputs(**provider_inputs(run.one("fly:Secrets").inputs))
    AppInputs(**provider_inputs(run.one("fly:App").inputs))


def test_an_image_service_from_a_stack_file_sends_no_branch() -> None:
    env = EnvironmentSpec.model_validate(
        {
            "name": "demo",
            "services": {
                "api": {
                    "kind": "web",
                    "platform": "render",
                    "plan": "starter",
                    "runtime": "image",
                    "image": "docker.io/acme/api:1",
                    "start_command": "./serve",
                }
            },
        }
    )

    def make() -> WebService:
        compiled = compile_entry(Entry("services", "api", env.services["api"]), env)
        service: WebService = compiled.component("api", compiled.args)
        return service

    inputs = build(make).mocks.one("render:Service").inputs
    assert (inputs["image"], inputs["docker_command"]) == ("docker.io/acme/api:1", "./serve")
    assert "branch" not in inputs
    ServiceInputs(**provider_inputs(inputs))
