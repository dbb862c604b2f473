"""Redis on Upstash and Render Key Value: graph, inputs, the four REDIS_* variables (exactly
``provided_env``), secretness of URL and password, protection."""

from __future__ import annotations

from typing import Any

import pytest

from paas_stacks.components._fields import AllowedCidr
from paas_stacks.components.redis import Redis, RedisArgs, RenderKeyValue, Upstash, split_url
from paas_stacks.components.spec import Entry, EnvironmentSpec, compile_entry, provided_env
from paas_stacks.errors import ArgsError
from tests.mocks import OWNER, build

PARENT = "paas:components:Redis"


def environment(**sections: Any) -> EnvironmentSpec:
    return EnvironmentSpec.model_validate(
        {"name": "shop", "region": "frankfurt", **sections}, context={"rules": False}
    )


def build_spec(env: EnvironmentSpec, name: str = "cache") -> tuple[Any, Redis]:
    holder: dict[str, Redis] = {}

    def program() -> dict[str, Any]:
        compiled = compile_entry(Entry("redis", name, env.redis[name]), env)
        cache = compiled.component(name, compiled.args)
        holder["cache"] = cache
        return {
            "env": dict(cache.env()),
            "secret": {k: v.is_secret() for k, v in cache.env().items()},
        }

    built = build(program)
    return built, holder["cache"]


def upstash_env(production: bool = False, **cache: Any) -> EnvironmentSpec:
    spec = {"provider": "upstash", "plan": "payg", "budget_usd": 10, **cache}
    return environment(production=production, redis={"cache": spec})


def test_upstash_builds_one_database_in_the_stack_region_with_plan_budget_and_eviction() -> None:
    built, _cache = build_spec(upstash_env(eviction=True))
    assert built.mocks.types() == [PARENT, OWNER, "pulumi-python:dynamic/upstash:RedisDatabase"]
    database = built.mocks.one("upstash:RedisDatabase", "cache-db").inputs
    assert database["name"] == "shop-cache"
    assert database["primary_region"] == "eu-central-1"
    assert (database["plan"], database["budget"], database["eviction"]) == ("payg", 10, True)


def test_upstash_region_override_wins_over_the_stack_place() -> None:
    built, _cache = build_spec(upstash_env(region="us-east-1"))
    assert built.mocks.one("upstash:RedisDatabase").inputs["primary_region"] == "us-east-1"


def test_upstash_env_is_exactly_provided_env_with_url_and_password_secret() -> None:
    env = upstash_env()
    built, _cache = build_spec(env)
    assert tuple(built.value["env"]) == provided_env(env, "cache")
    assert built.value["env"] == {
        "REDIS_URL": "rediss://default:pw-cache-db@cache-db.upstash.io:6379",
        "REDIS_HOST": "cache-db.upstash.io",
        "REDIS_PORT": "6379",
        "REDIS_PASSWORD": "pw-cache-db",
    }
    assert built.value["secret"] == {
        "REDIS_URL": True,
        "REDIS_HOST": False,
        "REDIS_PORT": False,
        "REDIS_PASSWORD": True,
    }


def test_production_protects_the_database() -> None:
    _built, cache = build_spec(upstash_env(production=True, plan="fixed_250mb", budget_usd=None))
    assert cache.database._protect is True
    _built, preview = build_spec(upstash_env())
    assert not preview.database._protect


def render_env(consumer_region: str = "oregon", **cache: Any) -> EnvironmentSpec:
    return environment(
        region="oregon",
        production=True,
        redis={
            "cache": {
                "provider": "render",
                "plan": "starter",
                "maxmemory_policy": "noeviction",
                **cache,
            }
        },
        services={
            "worker": {
                "kind": "worker",
                "platform": "render",
                "plan": "starter",
                "runtime": "docker",
                "region": consumer_region,
                "links": ["cache"],
            }
        },
    )


def test_render_builds_one_key_value_with_plan_region_and_maxmemory_policy() -> None:
    built, cache = build_spec(render_env())
    key_value = built.mocks.one("render:KeyValue", "cache-kv").inputs
    assert key_value["name"] == "shop-cache"
    assert (key_value["plan"], key_value["region"], key_value["maxmemory_policy"]) == (
        "starter",
        "oregon",
        "noeviction",
    )
    assert cache.database._protect is True


def test_render_env_parses_the_internal_url_for_services_in_the_same_region() -> None:
    env = render_env()
    built, _cache = build_spec(env)
    assert tuple(built.value["env"]) == provided_env(env, "cache")
    assert built.value["env"] == {
        "REDIS_URL": "redis://red-cache-kv:6379",
        "REDIS_HOST": "red-cache-kv",
        "REDIS_PORT": "6379",
        "REDIS_PASSWORD": "",
    }
    assert built.value["secret"] == {
        "REDIS_URL": True,
        "REDIS_HOST": False,
        "REDIS_PORT": False,
        "REDIS_PASSWORD": True,
    }


def test_render_env_parses_the_external_url_when_a_consumer_is_in_another_region() -> None:
    built, _cache = build_spec(render_env(consumer_region="virginia"))
    assert built.value["env"]["REDIS_HOST"] == "red-cache-kv.render.com"
    assert built.value["env"]["REDIS_PASSWORD"] == "pw-cache-kv"
    assert built.value["env"]["REDIS_URL"].startswith("rediss://default:pw-cache-kv@")
    assert built.value["secret"]["REDIS_PASSWORD"] is True


def test_a_github_mirror_of_the_url_needs_the_external_string() -> None:
    env = environment(
        region="oregon",
        redis={"cache": {"provider": "render", "plan": "starter"}},
        secrets={
            "ci": {"from_config": {"X": "x"}, "github": {"repository": "o/r", "links": ["cache"]}}
        },
    )
    built, _cache = build_spec(env)
    assert built.value["env"]["REDIS_HOST"] == "red-cache-kv.render.com"


def test_render_refuses_an_allow_list_entry_that_is_no_cidr() -> None:
    provider = RenderKeyValue(plan="starter", ip_allow_list=(AllowedCidr(cidr="everyone"),))
    lead = r"Redis 'cache': provider\.ip_allow_list\[0\]\.cidr: 'everyone' is not a CIDR"
    with pytest.raises(ArgsError, match=lead):
        Redis("cache", RedisArgs(name="x", provider=provider))


@pytest.mark.parametrize(
    ("url", "parts"),
    [
        ("rediss://default:p%40ss@host.example:6380", ("host.example", "6380", "p@ss")),
        ("redis://red-abc", ("red-abc", "6379", "")),
    ],
)
def test_split_url_reads_host_port_and_unquoted_password(
    url: str, parts: tuple[str, str, str]
) -> None:
    assert split_url(url) == parts


@pytest.mark.parametrize(
    ("provider", "line"),
    [
        (Upstash(plan="fixed_250mb", budget_usd=5), "provider.budget_usd: only applies to plan"),
        (Upstash(plan="payg", region="mars-1"), "provider.region: 'mars-1' is not allowed"),  # type: ignore[arg-type]
        (
            RenderKeyValue(plan="starter", maxmemory_policy="lru"),  # type: ignore[arg-type]
            "provider.maxmemory_policy: 'lru' is not allowed",
        ),
    ],
)
def test_invalid_args_fail_as_one_line_before_any_resource(
    provider: Upstash | RenderKeyValue, line: str
) -> None:
    with pytest.raises(ArgsError) as caught:
        Redis("cache", RedisArgs(name="x", provider=provider))
    assert str(caught.value).startswith(f"Redis 'cache': {line}"), str(caught.value)


def test_an_upstash_region_is_one_list_of_aws_and_gcp_regions_with_a_did_you_mean() -> None:
    with pytest.raises(ArgsError) as caught:
        Redis("cache", RedisArgs(name="x", provider=Upstash(plan="payg", region="us-east4x")))  # type: ignore[arg-type]
    [line] = str(caught.value).splitlines()
    assert "allowed: us-east-1, us-east-2" in line
    assert "asia-northeast1; did you mean 'us-east4'?" in line
