"""The Render Service provider's CRUD methods against the sandbox over HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from paas_stacks.providers.render.service import ServiceProvider
from sandbox import Sandbox
from tests.against_sandbox.test_render_support import connected, http, outs, unique


@pytest.fixture
def provider(sandbox: Sandbox) -> ServiceProvider:
    return connected(sandbox, ServiceProvider())


def web(name: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "type": "web",
        "runtime": "python",
        "repo": "https://github.com/o/r",
        "build_command": "pip install -r requirements.txt",
        "start_command": "gunicorn app:app",
        "health_check_path": "/healthz",
        "env_vars": {"A": "1", "SECRET": "s3cr3t"},
        "secret_files": {"cred.json": "{}"},
        **extra,
    }


def test_web_service_is_created_read_updated_and_deleted(
    provider: ServiceProvider, sandbox: Sandbox
) -> None:
    props = web(unique("svc-crud"))
    created = provider.create(props)
    out = outs(created)
    assert out["url"].endswith(".onrender.com")
    assert out["env_vars"] == {"A": "1", "SECRET": "s3cr3t"}
    assert out["secret_files"] == {"cred.json": "{}"}
    assert (out["plan"], out["region"], out["num_instances"]) == ("starter", "oregon", 1)
    assert provider.diff(created.id, out, props).changes is False

    read = provider.read(created.id, out)
    assert outs(read) == out

    news = {
        **props,
        "start_command": "gunicorn -w 4 app:app",
        "plan": "standard",
        "env_vars": {"A": "2"},
        "num_instances": 2,
    }
    diff = provider.diff(created.id, out, news)
    assert diff.changes is True
    assert not diff.replaces
    updated = outs(provider.update(created.id, out, news))
    assert updated["start_command"] == "gunicorn -w 4 app:app"
    assert updated["plan"] == "standard"
    assert updated["num_instances"] == 2
    assert updated["env_vars"] == {"A": "2"}
    assert updated["url"] == out["url"]
    with http(sandbox) as dashboard:
        deploys = dashboard.get(f"/services/{created.id}/deploys").json()
    # One deploy for the create and one for the command/env change; all of them finished.
    assert len(deploys) == 2
    assert deploys[0]["deploy"]["status"] == "live"

    provider.delete(created.id, updated)
    assert provider.read(created.id, updated).id == ""
    provider.delete(created.id, updated)  # already gone: fine


def test_a_var_added_in_the_dashboard_is_read_back_and_removed_by_the_next_update(
    provider: ServiceProvider, sandbox: Sandbox
) -> None:
    props = web(unique("svc-drift"))
    created = provider.create(props)
    with http(sandbox) as dashboard:
        dashboard.put(f"/services/{created.id}/env-vars/BY_HAND", json={"value": "x"})
        dashboard.patch(f"/services/{created.id}", json={"serviceDetails": {"plan": "pro"}})
    drifted = outs(provider.read(created.id, outs(created)))
    assert drifted["env_vars"]["BY_HAND"] == "x"
    assert drifted["plan"] == "pro"
    diff = provider.diff(created.id, drifted, props)
    assert diff.changes is True
    restored = outs(provider.update(created.id, drifted, props))
    assert restored["env_vars"] == props["env_vars"]
    assert restored["plan"] == "starter"
    provider.delete(created.id, restored)


def test_an_existing_service_with_the_same_name_and_type_is_adopted_not_duplicated(
    provider: ServiceProvider, sandbox: Sandbox
) -> None:
    props = web(unique("svc-adopt"))
    first = provider.create(props)
    again = provider.create({**props, "env_vars": {"A": "adopted"}})
    assert again.id == first.id
    assert outs(again)["env_vars"] == {"A": "adopted"}
    # A worker of the same name is another service, not an adoption candidate.
    worker = {k: v for k, v in props.items() if k != "health_check_path"}
    other = provider.create({**worker, "type": "worker"})
    assert other.id != first.id
    for created in (first, other):
        provider.delete(created.id, outs(created))


def test_every_service_type_and_runtime_round_trips_without_a_diff(
    provider: ServiceProvider,
) -> None:
    repo = "https://github.com/o/r"
    cases: list[dict[str, Any]] = [
        {"type": "static", "repo": repo, "build_command": "npm run build", "publish_path": "dist"},
        {
            "type": "cron",
            "runtime": "node",
            "repo": repo,
            "schedule": "*/5 * * * *",
            "build_command": "npm ci",
            "start_command": "node job.js",
            "region": "frankfurt",
        },
        {
            "type": "pserv",
            "runtime": "docker",
            "repo": repo,
            "dockerfile_path": "./Dockerfile",
            "autoscaling": {"min": 1, "max": 3, "target_cpu_percent": 70},
        },
        {
            "type": "worker",
            "runtime": "image",
            "image": "docker.io/org/worker:1",
            "pre_deploy_command": "migrate",
            "auto_deploy": False,
            "num_instances": 2,
        },
    ]
    for case in cases:
        props = {"name": unique(f"svc-{case['type']}"), **case}
        created = provider.create(props)
        assert provider.diff(created.id, outs(created), props).changes is False, case
        assert outs(provider.read(created.id, outs(created))) == outs(created)
        provider.delete(created.id, outs(created))


def test_autoscaling_can_be_turned_on_and_off_in_place(provider: ServiceProvider) -> None:
    props = web(unique("svc-scale"))
    created = provider.create(props)
    scaled = {**props, "autoscaling": {"min": 2, "max": 5, "target_memory_percent": 60}}
    out = outs(provider.update(created.id, outs(created), scaled))
    assert out["autoscaling"] == {"min": 2, "max": 5, "target_memory_percent": 60}
    assert provider.diff(created.id, out, scaled).changes is False
    # As the engine keeps it in state (numbers as floats, no null in a map): still no change.
    stored = {**out, "autoscaling": {"min": 2.0, "max": 5.0, "target_memory_percent": 60.0}}
    assert provider.diff(created.id, stored, scaled).changes is False
    back = outs(provider.update(created.id, out, props))
    assert back["autoscaling"] is None
    assert back["num_instances"] == 1
    provider.delete(created.id, back)


def test_region_and_type_force_replacement_and_image_to_repo_too(
    provider: ServiceProvider,
) -> None:
    props = web(unique("svc-replace"))
    created = provider.create(props)
    assert provider.diff(created.id, outs(created), {**props, "region": "ohio"}).replaces == [
        "region"
    ]
    image = {"name": props["name"], "type": "web", "runtime": "image", "image": "nginx:1"}
    assert "runtime" in (provider.diff(created.id, outs(created), image).replaces or [])
    docker = {**props, "runtime": "docker", "build_command": None, "start_command": None}
    assert not provider.diff(created.id, outs(created), docker).replaces
    provider.delete(created.id, outs(created))
