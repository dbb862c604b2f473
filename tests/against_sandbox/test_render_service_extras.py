"""The Render providers' disks, build filters, own-address vars and IP allow lists against the
sandbox over HTTP: each is declared whole, read back whole and changed in place."""

from __future__ import annotations

from typing import Any

import pytest

from paas_stacks.providers.render.keyvalue import KeyValueProvider
from paas_stacks.providers.render.postgres import PostgresProvider
from paas_stacks.providers.render.service import ServiceProvider
from sandbox import Sandbox
from tests.against_sandbox.test_render_support import connected, http, outs, unique

DISK = {"name": "data", "mount_path": "/var/data", "size_gb": 5}
OFFICE = {"cidr_block": "198.51.100.7/32", "description": "office"}


@pytest.fixture
def services(sandbox: Sandbox) -> ServiceProvider:
    return connected(sandbox, ServiceProvider())


def private(name: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "type": "pserv",
        "runtime": "image",
        "image": "docker.io/library/redis:7",
        "env_vars": {"A": "1"},
        **extra,
    }


def disks(sandbox: Sandbox, service_id: str) -> list[dict[str, Any]]:
    with http(sandbox) as dashboard:
        listed = dashboard.get("/disks", params={"serviceId": service_id}).json()
    return [item["disk"] for item in listed]


def deploy_count(sandbox: Sandbox, service_id: str) -> int:
    with http(sandbox) as dashboard:
        return len(dashboard.get(f"/services/{service_id}/deploys").json())


def test_a_disk_is_made_with_its_service_grown_in_place_and_removed(
    services: ServiceProvider, sandbox: Sandbox
) -> None:
    props = private(unique("disk"), disk=DISK)
    created = services.create(props)
    out = outs(created)
    assert out["disk"] == DISK
    assert [(d["name"], d["mountPath"], d["sizeGB"]) for d in disks(sandbox, created.id)] == [
        ("data", "/var/data", 5)
    ]
    assert services.diff(created.id, out, props).changes is False

    grown = {**props, "disk": {**DISK, "size_gb": 20}}
    diff = services.diff(created.id, out, grown)
    assert diff.changes is True
    assert not diff.replaces
    out = outs(services.update(created.id, out, grown))
    assert out["disk"]["size_gb"] == 20
    assert [d["sizeGB"] for d in disks(sandbox, created.id)] == [20]
    assert outs(services.read(created.id, out)) == out

    without = {**props, "disk": None}
    out = outs(services.update(created.id, out, without))
    assert out["disk"] is None
    assert disks(sandbox, created.id) == []
    services.delete(created.id, out)


def test_a_disk_added_later_is_attached_by_a_deploy_and_goes_with_its_service(
    services: ServiceProvider, sandbox: Sandbox
) -> None:
    props = private(unique("disk-later"))
    created = services.create(props)
    out = outs(created)
    assert out["disk"] is None
    before = deploy_count(sandbox, created.id)
    out = outs(services.update(created.id, out, {**props, "disk": DISK}))
    assert out["disk"] == DISK
    # Render attaches a new disk on the next deploy (render-openapi.json add-disk).
    assert deploy_count(sandbox, created.id) == before + 1
    services.delete(created.id, out)
    assert disks(sandbox, created.id) == []


def test_a_build_filter_is_set_changed_and_cleared_in_place(services: ServiceProvider) -> None:
    props = {
        "name": unique("filter"),
        "type": "worker",
        "runtime": "node",
        "repo": "https://github.com/o/r",
        "build_command": "npm ci",
        "start_command": "node worker.js",
        "auto_deploy": False,
        "build_filter": {"paths": ["worker/**"], "ignored_paths": ["*.md"]},
    }
    created = services.create(props)
    out = outs(created)
    assert out["build_filter"] == {"paths": ["worker/**"], "ignored_paths": ["*.md"]}
    assert out["auto_deploy"] is False
    assert services.diff(created.id, out, props).changes is False
    changed = {**props, "build_filter": {"paths": ["worker/**", "lib/**"], "ignored_paths": []}}
    out = outs(services.update(created.id, out, changed))
    assert out["build_filter"] == {"paths": ["worker/**", "lib/**"], "ignored_paths": []}
    out = outs(services.update(created.id, out, {**props, "build_filter": None}))
    assert out["build_filter"] is None
    services.delete(created.id, out)


def test_a_service_reads_its_own_address_from_the_first_deploy_on(
    services: ServiceProvider, sandbox: Sandbox
) -> None:
    props = {
        "name": unique("self"),
        "type": "web",
        "runtime": "image",
        "image": "docker.io/library/nginx:1",
        "env_vars": {"A": "1"},
        "self_env": {"PUBLIC_URL": "{url}", "ADDR": "{host}:10000"},
    }
    created = services.create(props)
    out = outs(created)
    with http(sandbox) as dashboard:
        listed = dashboard.get(f"/services/{created.id}/env-vars").json()
    live = {item["envVar"]["key"]: item["envVar"]["value"] for item in listed}
    assert live == {"A": "1", "PUBLIC_URL": out["url"], "ADDR": f"{out['slug']}:10000"}
    # Read back, the own-address vars are the templates again: no diff, no drift.
    assert out["env_vars"] == {"A": "1"}
    assert out["self_env"] == props["self_env"]
    assert services.diff(created.id, out, props).changes is False
    assert outs(services.read(created.id, out)) == out

    # A hand-edited own-address var is drift, and the next update puts the address back.
    with http(sandbox) as dashboard:
        dashboard.put(f"/services/{created.id}/env-vars/PUBLIC_URL", json={"value": "x"})
    drifted = outs(services.read(created.id, out))
    assert drifted["self_env"]["PUBLIC_URL"] == "x"
    assert services.diff(created.id, drifted, props).changes is True
    out = outs(services.update(created.id, drifted, props))
    with http(sandbox) as dashboard:
        value = dashboard.get(f"/services/{created.id}/env-vars/PUBLIC_URL").json()["value"]
    assert value == out["url"]
    services.delete(created.id, out)


@pytest.mark.parametrize("kind", ["postgres", "key_value"])
def test_an_ip_allow_list_is_set_changed_and_emptied_in_place(kind: str, sandbox: Sandbox) -> None:
    provider: PostgresProvider | KeyValueProvider = (
        connected(sandbox, PostgresProvider())
        if kind == "postgres"
        else connected(sandbox, KeyValueProvider())
    )
    props: dict[str, Any] = {"name": unique(f"allow-{kind[:2]}"), "ip_allow_list": [OFFICE]}
    created = provider.create(props)
    out = outs(created)
    assert out["ip_allow_list"] == [OFFICE]
    assert provider.diff(created.id, out, props).changes is False

    wider = {**props, "ip_allow_list": [OFFICE, {"cidr_block": "203.0.113.0/24"}]}
    diff = provider.diff(created.id, out, wider)
    assert diff.changes is True
    assert not diff.replaces
    out = outs(provider.update(created.id, out, wider))
    assert out["ip_allow_list"] == [
        OFFICE,
        {"cidr_block": "203.0.113.0/24", "description": ""},
    ]
    out = outs(provider.update(created.id, out, {**props, "ip_allow_list": []}))
    assert out["ip_allow_list"] == []
    assert outs(provider.read(created.id, out)) == out
    provider.delete(created.id, out)
