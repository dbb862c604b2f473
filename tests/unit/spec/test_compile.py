"""The stack spec compiles into the components' own arguments: every key has one name in both,
nothing is dropped on the way, defaults agree, and a refusal says the same words whether the
value was written in a stack file or in Python."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from paas_stacks.components._fields import Autoscaling, SupabaseAuth
from paas_stacks.components.cron_job import CronJobArgs
from paas_stacks.components.platforms import Fly, Render
from paas_stacks.components.postgres import Postgres, PostgresArgs, RenderPostgres, Supabase
from paas_stacks.components.private_service import PrivateServiceArgs
from paas_stacks.components.redis import Redis, RedisArgs, RenderKeyValue, Upstash
from paas_stacks.components.secret_set import SecretSetArgs
from paas_stacks.components.spec import (
    Entry,
    EnvironmentSpec,
    FlyServiceSpec,
    RenderKeyValueSpec,
    RenderPostgresSpec,
    RenderServiceSpec,
    SecretSetSpec,
    SpecError,
    SupabasePostgresSpec,
    UpstashRedisSpec,
    build,
    compile_entry,
)
from paas_stacks.components.web_service import WebService, WebServiceArgs
from paas_stacks.components.worker import WorkerArgs
from paas_stacks.errors import ArgsError
from paas_stacks.vendors import render, supabase, upstash

STACKS = Path(__file__).resolve().parents[3] / "stacks"


def names(cls: type) -> set[str]:
    return {field.name for field in dataclasses.fields(cls)}


def keys(model: type[BaseModel]) -> set[str]:
    return set(model.model_fields)


#: Every kind's argument fields a stack file writes beside the platform's (a service's own
#: address is written as a link to itself).
SERVICE_ARGS = (
    names(WebServiceArgs) | names(PrivateServiceArgs) | names(CronJobArgs) | names(WorkerArgs)
) - {"name", "platform", "self_properties"}
#: Spec model -> (what its keys are in the arguments, keys that exist only in the stack file).
#: ``build`` is for the workflows (how CI builds the image), not an argument of the service.
SHAPES: list[tuple[type[BaseModel], set[str], set[str]]] = [
    (
        RenderServiceSpec,
        SERVICE_ARGS | names(Render),
        {"kind", "platform", "build"},
    ),
    (
        FlyServiceSpec,
        SERVICE_ARGS | names(Fly),
        {"kind", "platform", "build"},
    ),
    # ``adopt_id`` sits beside ``provider`` in a file and in ``PostgresArgs``/``RedisArgs``.
    (SupabasePostgresSpec, names(Supabase) | {"adopt_id"}, {"provider"}),
    (
        RenderPostgresSpec,
        names(RenderPostgres) - {"private_network"} | {"adopt_id"},
        {"provider", "migrations"},
    ),
    (UpstashRedisSpec, names(Upstash) | {"adopt_id"}, {"provider"}),
    (RenderKeyValueSpec, names(RenderKeyValue) - {"private_network"} | {"adopt_id"}, {"provider"}),
    (SecretSetSpec, names(SecretSetArgs), set()),
]


@pytest.mark.parametrize(("model", "in_args", "file_only"), SHAPES)
def test_a_stack_file_key_has_the_same_name_as_its_argument(
    model: type[BaseModel], in_args: set[str], file_only: set[str]
) -> None:
    assert keys(model) - file_only == in_args


def test_a_worker_takes_the_service_fields_but_the_http_ones() -> None:
    assert names(WebServiceArgs) - names(WorkerArgs) == {"health_check_path", "port"}


def environment(**sections: Any) -> EnvironmentSpec:
    return EnvironmentSpec.model_validate(
        {"name": "shop", "region": "frankfurt", **sections}, context={"rules": False}
    )


def compiled(section: str, name: str, env: EnvironmentSpec) -> Any:
    return compile_entry(Entry(section, name, getattr(env, section)[name]), env).args


def test_adopt_id_in_a_stack_file_reaches_the_component_arguments() -> None:
    env = environment(
        postgres={"db": {"provider": "supabase", "organization": "o", "plan": "free"}},
        redis={"cache": {"provider": "upstash", "plan": "payg", "adopt_id": "db-uuid-1"}},
    )
    assert compiled("redis", "cache", env).adopt_id == "db-uuid-1"
    assert compiled("postgres", "db", env).adopt_id is None


def test_every_value_of_a_render_service_entry_reaches_its_arguments() -> None:
    entry = {
        "kind": "web",
        "platform": "render",
        "plan": "pro",
        "runtime": "docker",
        "region": "ohio",
        "repo": "https://github.com/a/b",
        "branch": "release",
        "root_dir": "api",
        "start_command": "./serve",
        "dockerfile": "api/Dockerfile",
        "docker_context": "api",
        "instances": 3,
        "health_check_path": "/up",
        "port": 9000,
        "pre_deploy_command": "./migrate",
        "env": {"A": "1"},
    }
    args = compiled("services", "api", environment(services={"api": entry}))
    assert args == WebServiceArgs(
        name="shop-api",
        platform=Render(
            plan="pro",
            runtime="docker",
            region="ohio",
            repo="https://github.com/a/b",
            branch="release",
            root_dir="api",
            start_command="./serve",
            dockerfile="api/Dockerfile",
            docker_context="api",
        ),
        instances=3,
        health_check_path="/up",
        port=9000,
        pre_deploy_command="./migrate",
        env={"A": "1"},
        links=[],
    )


def test_every_value_of_a_fly_service_entry_reaches_its_arguments() -> None:
    entry = {
        "kind": "web",
        "platform": "fly",
        "size": "performance-2x",
        "image": "registry.fly.io/a:1",
        "region": "ams",
        "memory_mb": 8192,
        "autostop": "suspend",
        "org": "acme",
        "autoscaling": {"min": 1, "max": 4},
    }
    args = compiled("services", "api", environment(services={"api": entry}))
    assert args.platform == Fly(
        size="performance-2x",
        image="registry.fly.io/a:1",
        region="ams",
        memory_mb=8192,
        autostop="suspend",
        org="acme",
    )
    assert args.autoscaling == Autoscaling(min=1, max=4)


def test_every_value_of_a_supabase_entry_reaches_its_arguments() -> None:
    entry = {
        "provider": "supabase",
        "organization": "acme",
        "plan": "pro",
        "instance_size": "small",
        "region": "eu-west-1",
        "migrations": "stacks/migrations/demo",
        "pooler": "session",
        "max_connections": 50,
        "statement_timeout": "5s",
        "pitr_days": 14,
        "auth": {"password_min_length": 10},
        "network_restrictions": ["10.0.0.0/8"],
    }
    args = compiled("postgres", "db", environment(postgres={"db": entry}))
    assert args == PostgresArgs(
        name="shop-db",
        provider=Supabase(
            organization="acme",
            plan="pro",
            instance_size="small",
            region="eu-west-1",
            migrations="stacks/migrations/demo",
            pooler="session",
            max_connections=50,
            statement_timeout="5s",
            pitr_days=14,
            auth=SupabaseAuth(password_min_length=10),
            network_restrictions=("10.0.0.0/8",),
            function_secrets=[],
        ),
    )


def test_a_production_entry_compiles_to_protected_arguments() -> None:
    env = environment(production=True, redis={"cache": {"provider": "upstash", "plan": "payg"}})
    assert compiled("redis", "cache", env).protect is True


@pytest.mark.parametrize(
    ("entry", "python"),
    [
        ({"provider": "upstash", "plan": "payg"}, Upstash(plan="payg")),
        ({"provider": "render", "plan": "starter"}, RenderKeyValue(plan="starter")),
    ],
)
def test_defaults_are_the_same_from_python_and_from_a_stack_file_at_the_default_place(
    entry: dict[str, Any], python: Upstash | RenderKeyValue
) -> None:
    env = EnvironmentSpec.model_validate({"name": "shop", "redis": {"cache": entry}})
    assert compiled("redis", "cache", env).provider == python


def test_every_default_region_is_the_default_places() -> None:
    assert Render(plan="starter", runtime="node").region == render.DEFAULT_REGION == "oregon"
    assert Fly(size="shared-cpu-1x").region == "sjc"
    assert Supabase(organization="o", plan="free").region == supabase.DEFAULT_REGION
    assert Upstash(plan="payg").region == upstash.DEFAULT_REGION == "us-west-2"


def yaml_line(entry: dict[str, Any], section: str = "services", name: str = "api") -> str:
    with pytest.raises(SpecError) as caught:
        build("shop", {section: {name: entry}}, STACKS)
    [line] = caught.value.lines
    return line


def python_line(make: Any) -> str:
    with pytest.raises(ArgsError) as caught:
        make()
    [line] = str(caught.value).splitlines()
    return line


RENDER: dict[str, Any] = {
    "kind": "web",
    "platform": "render",
    "runtime": "node",
    "repo": "https://github.com/a/b",
    "build_command": "b",
    "start_command": "s",
}
PLATFORM: dict[str, Any] = {k: v for k, v in RENDER.items() if k not in ("kind", "platform")}


@pytest.mark.parametrize(
    ("entry", "args", "component"),
    [
        (
            {**RENDER, "plan": "starer"},
            WebServiceArgs(name="x", platform=Render(**PLATFORM, plan="starer")),  # type: ignore[arg-type]
            WebService,
        ),
        (
            {**RENDER, "plan": "free"},
            WebServiceArgs(name="x", platform=Render(**PLATFORM, plan="free")),
            WebService,
        ),
        (
            {**RENDER, "plan": "starter", "autoscaling": {"min": 0, "max": 2}},
            WebServiceArgs(
                name="x",
                platform=Render(**PLATFORM, plan="starter"),
                autoscaling=Autoscaling(min=0, max=2),
            ),
            WebService,
        ),
        (
            {
                "kind": "web",
                "platform": "fly",
                "size": "shared-cpu-1x",
                "image": "i",
                "memory_mb": 4096,
            },
            WebServiceArgs(name="x", platform=Fly(size="shared-cpu-1x", image="i", memory_mb=4096)),
            WebService,
        ),
    ],
)
def test_a_refusal_says_the_same_words_from_a_stack_file_and_from_python(
    entry: dict[str, Any], args: Any, component: Any
) -> None:
    from_file = yaml_line(entry).split(": ", 2)[2]
    from_python = python_line(lambda: component("api", args)).split(": ", 2)[2]
    assert from_file == from_python


@pytest.mark.parametrize(
    ("entry", "provider", "section", "component", "args"),
    [
        (
            {"provider": "supabase", "organization": "o", "plan": "pro", "pitr_days": 7},
            Supabase(organization="o", plan="pro", pitr_days=7),
            "postgres",
            Postgres,
            PostgresArgs,
        ),
        (
            {"provider": "upstash", "plan": "fixed_250mb", "budget_usd": 5},
            Upstash(plan="fixed_250mb", budget_usd=5),
            "redis",
            Redis,
            RedisArgs,
        ),
    ],
)
def test_a_data_store_refusal_says_the_same_words_from_a_stack_file_and_from_python(
    entry: dict[str, Any], provider: Any, section: str, component: Any, args: Any
) -> None:
    from_file = yaml_line(entry, section, "db").split(": ", 2)[2]
    from_python = python_line(lambda: component("db", args(name="x", provider=provider)))
    assert from_file == from_python.split(": ", 2)[2]


def test_a_spec_built_in_python_gets_the_components_rules_too() -> None:
    with pytest.raises(ValueError, match=r"services\.api\.plan: 'free' cannot be created"):
        EnvironmentSpec.model_validate(
            {"name": "shop", "services": {"api": {**RENDER, "plan": "free"}}}
        )
