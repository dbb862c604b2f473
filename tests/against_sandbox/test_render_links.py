"""The Render EnvGroup and CustomDomain providers against the sandbox."""

from __future__ import annotations

from typing import Any

import pytest

from paas_stacks.providers.render.domain import CustomDomainProvider
from paas_stacks.providers.render.envgroup import EnvGroupProvider
from paas_stacks.providers.render.service import ServiceProvider
from sandbox import Sandbox
from tests.against_sandbox.test_render_support import connected, http, outs, unique


@pytest.fixture
def services(sandbox: Sandbox) -> Any:
    provider = connected(sandbox, ServiceProvider())
    made: list[Any] = []

    def make(kind: str = "web") -> str:
        created = provider.create(
            {
                "name": unique(f"link-{kind}"),
                "type": kind,
                "runtime": "image",
                "image": "nginx:1",
            }
        )
        made.append(created)
        return str(created.id)

    yield make
    for created in made:
        provider.delete(created.id, outs(created))


def test_env_group_owns_its_vars_files_and_links(sandbox: Sandbox, services: Any) -> None:
    provider = connected(sandbox, EnvGroupProvider())
    first, second = services(), services("worker")
    props: dict[str, Any] = {
        "name": unique("evg"),
        "env_vars": {"A": "1", "B": "2"},
        "secret_files": {"f.txt": "x"},
        "service_ids": [first],
    }
    created = provider.create(props)
    assert outs(created)["service_ids"] == [first]
    assert provider.diff(created.id, outs(created), props).changes is False
    with http(sandbox) as dashboard:
        dashboard.put(f"/env-groups/{created.id}/env-vars/BY_HAND", json={"value": "y"})
    drifted = outs(provider.read(created.id, outs(created)))
    assert drifted["env_vars"]["BY_HAND"] == "y"

    news = {
        **props,
        "name": props["name"] + "-b",
        "env_vars": {"A": "1", "C": "3"},
        "secret_files": {},
        "service_ids": [second, first],
    }
    assert provider.diff(created.id, drifted, news).replaces == []
    updated = outs(provider.update(created.id, drifted, news))
    assert updated["env_vars"] == {"A": "1", "C": "3"}
    assert updated["secret_files"] == {}
    assert updated["service_ids"] == sorted([first, second])
    assert updated["name"] == news["name"]
    assert provider.create(news).id == created.id  # adopted by name
    provider.delete(created.id, updated)
    assert provider.read(created.id, updated).id == ""


def test_custom_domain_is_created_adopted_and_replaced_on_any_change(
    sandbox: Sandbox, services: Any
) -> None:
    provider = connected(sandbox, CustomDomainProvider())
    service_id = services()
    name = f"{unique('app')}.Example.com"
    props = {"service_id": service_id, "name": name}
    created = provider.create(props)
    assert outs(created)["name"] == name.lower()
    assert outs(created)["domain_type"] == "subdomain"
    assert provider.diff(created.id, outs(created), props).changes is False
    assert provider.create(props).id == created.id
    assert provider.diff(created.id, outs(created), {**props, "name": "b.example.com"}).replaces
    provider.delete(created.id, outs(created))
    assert provider.read(created.id, outs(created)).id == ""
    provider.delete(created.id, outs(created))
