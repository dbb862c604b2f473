"""EnvGroup: one group's variables reach every member on either platform: Render members join
one Render environment group, Fly members receive the variables as app secrets; the stack file
checks names and links like any link's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from paas_stacks.components.env_group import EnvGroup, EnvGroupArgs
from paas_stacks.components.environment import Environment, EnvironmentArgs
from paas_stacks.components.spec import SpecError, build
from paas_stacks.errors import ArgsError
from tests.mocks import build as run_mocked

RENDER = {
    "platform": "render",
    "plan": "starter",
    "runtime": "node",
    "repo": "https://github.com/a/b",
    "build_command": "npm ci",
    "start_command": "npm start",
}
FLY = {"platform": "fly", "image": "registry.fly.io/shop:1"}


def plain(value: Any) -> Any:
    """A secret input as the mocks see it (``{<sig>: ..., "value": ...}``) unwrapped."""
    return value["value"] if isinstance(value, dict) and "value" in value else value


def spec(tmp_path: Path, **sections: Any) -> Any:
    raw = {
        "name": "shop",
        "env_groups": {"shared": {"env": {"LOG_LEVEL": "info"}, "links": ["app-secrets"]}},
        "secrets": {"app-secrets": {"generated": {"SESSION_SECRET": {"bytes": 16}}}},
        **sections,
    }
    return build("shop", raw, tmp_path / "stacks")


def test_render_members_join_one_group_and_fly_members_receive_its_vars(tmp_path: Path) -> None:
    env = spec(
        tmp_path,
        services={
            "api": {"kind": "web", **RENDER, "links": ["shared"]},
            "jobs": {"kind": "worker", **RENDER, "links": ["shared"]},
            "edge": {"kind": "web", **FLY, "links": ["shared"]},
        },
    )
    built = run_mocked(lambda: Environment("shop", EnvironmentArgs(spec=env)).urls)
    group = built.mocks.one("render:EnvGroup")
    assert group.inputs["name"] == "shop-shared"
    assert set(plain(group.inputs["env_vars"])) == {"LOG_LEVEL", "SESSION_SECRET"}
    assert sorted(group.inputs["service_ids"]) == ["api-service-id", "jobs-service-id"]
    for service in built.mocks.of_type("render:Service"):
        assert not {"LOG_LEVEL", "SESSION_SECRET"} & set(plain(service.inputs["env_vars"]))
    fly_secrets = built.mocks.one("fly:Secrets")
    assert {"LOG_LEVEL", "SESSION_SECRET"} <= set(plain(fly_secrets.inputs["values"]))


def test_a_group_nobody_on_render_joins_makes_no_render_object(tmp_path: Path) -> None:
    env = spec(tmp_path, services={"edge": {"kind": "web", **FLY, "links": ["shared"]}})
    built = run_mocked(lambda: Environment("shop", EnvironmentArgs(spec=env)).urls)
    assert built.mocks.of_type("render:EnvGroup") == []


def test_a_render_member_takes_the_whole_group_and_names_stay_single(tmp_path: Path) -> None:
    services = {
        "api": {
            "kind": "web",
            **RENDER,
            "env": {"LOG_LEVEL": "debug"},
            "links": [{"to": "shared", "only": ["LOG_LEVEL"]}],
        },
    }
    with pytest.raises(SpecError) as caught:
        spec(tmp_path, services=services)
    assert list(caught.value.lines) == [
        "stacks/Pulumi.shop.yaml: environment.services.api.links[0]: injects LOG_LEVEL, which "
        "env.LOG_LEVEL also sets; rename one with rename:",
        "stacks/Pulumi.shop.yaml: environment.services.api.links[0].only: a Render service joins "
        "the whole env group (one Render environment group shared by its members); remove only, "
        "or link the group's sources instead",
    ]


def test_a_group_without_variables_or_with_one_name_twice_is_refused() -> None:
    with pytest.raises(ArgsError, match="declares no variables"):
        EnvGroup("empty", EnvGroupArgs(name="x"))
    with pytest.raises(ArgsError, match=r"generated\.A: is also in env"):
        EnvGroup("twice", EnvGroupArgs(name="x", env={"A": "1"}, generated={"A": {}}))  # type: ignore[dict-item]
