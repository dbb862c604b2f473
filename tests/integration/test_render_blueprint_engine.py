"""What a Render Blueprint user reaches for, from a stack file, through the real engine against
the sandbox: a cron job, a private service with a disk linked by ``hostport``, a web service
that reads its own URL and another service's env var, a named Postgres read by its parts, an
allow-listed Key Value and an env group two services join.

up -> every setting is on the vendor side and every linked value is what it names -> a second
up changes and writes nothing -> scaling the web service and growing the disk touch those two
services only -> destroy leaves the sandbox as it was, and the state hides every secret.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from paas_stacks.providers.render.ownership import GROUP_OWNER_VAR, SERVICE_OWNER_VAR
from sandbox import Sandbox
from tests.conftest import EngineFactory
from tests.engine import changes

pytestmark = pytest.mark.engine

SEARCH_KEY = "search-key-5d1e8a0c7b"
SERVICES = ("web", "search", "nightly")


def raw_spec(name: str, v2: bool) -> dict[str, Any]:
    """The stack file's ``paas-stacks:environment`` as a mapping."""
    app = {
        "platform": "render",
        "runtime": "python",
        "repo": "https://github.com/acme/shop",
        "build_command": "pip install .",
    }
    return {
        "name": name,
        "region": "oregon",
        "services": {
            "web": {
                **app,
                "kind": "web",
                "size": "small",
                "start_command": "gunicorn shop:app",
                "instances": 2 if v2 else 1,
                "auto_deploy": False,
                "build_filter": {"paths": ["shop/**"], "ignored_paths": ["docs/**"]},
                "links": [
                    {"to": "web", "properties": {"PUBLIC_URL": "url"}},
                    {
                        "to": "search",
                        "properties": {"SEARCH_ADDR": "hostport", "SEARCH_KEY": "env.SEARCH_KEY"},
                    },
                    {
                        "to": "db",
                        "properties": {
                            "DB_HOST": "host",
                            "DB_PORT": "port",
                            "DB_USER": "user",
                            "DB_PASSWORD": "password",
                            "DB_NAME": "database",
                        },
                    },
                    "cache",
                    "shared",
                ],
            },
            "search": {
                "kind": "private",
                "platform": "render",
                "plan": "starter",
                "runtime": "image",
                "image": "docker.io/getmeili/meilisearch:v1.8",
                "port": 7700,
                "env": {"SEARCH_KEY": SEARCH_KEY},
                "disk": {"name": "index", "mount_path": "/meili_data", "size_gb": 10 if v2 else 5},
            },
            "nightly": {
                **app,
                "kind": "cron",
                "plan": "starter",
                "start_command": "python -m shop.nightly",
                "schedule": "0 3 * * *",
                "links": [{"to": "db", "only": ["DATABASE_URL"]}, "shared"],
            },
        },
        "env_groups": {
            "shared": {
                "env": {"LOG_LEVEL": "info"},
                "generated": {"SESSION_SECRET": {"bytes": 32}},
                "links": [{"to": "db", "only": ["PGHOST"], "rename": {"PGHOST": "SHARED_DB_HOST"}}],
            }
        },
        "postgres": {
            "db": {
                "provider": "render",
                "plan": "basic_256mb",
                "database_name": "shop",
                "database_user": "shop_app",
            }
        },
        "redis": {
            "cache": {
                "provider": "render",
                "plan": "starter",
                "ip_allow_list": [
                    "203.0.113.0/24",
                    {"cidr": "198.51.100.7/32", "description": "office"},
                ],
            }
        },
    }


def make_program(name: str, stacks: Path) -> Any:
    def program() -> None:
        import pulumi  # noqa: PLC0415

        from paas_stacks.components.environment import (  # noqa: PLC0415
            Environment,
            EnvironmentArgs,
        )
        from paas_stacks.components.spec import build  # noqa: PLC0415

        v2 = pulumi.Config().require("variant") == "v2"
        spec = build(name, raw_spec(name, v2), stacks)
        environment = Environment(spec.name, EnvironmentArgs(spec=spec))
        pulumi.export("urls", environment.urls)
        pulumi.export("connections", pulumi.Output.secret(environment.connection_strings()))

    return program


class Dashboard:
    """What a user sees in Render's dashboard (the sandbox's API, read directly)."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.client = httpx.Client(
            base_url=sandbox.base_url("render"),
            headers={"authorization": f"Bearer {sandbox.token('render')}"},
        )

    def one(self, path: str, name: str, wrapper: str) -> dict[str, Any]:
        listed = self.client.get(path, params={"name": name}).json()
        assert len(listed) == 1, f"{path}?name={name}: {listed}"
        found: dict[str, Any] = listed[0][wrapper]
        return found

    def env(self, service_id: str) -> dict[str, str]:
        listed = self.client.get(f"/services/{service_id}/env-vars").json()
        return {item["envVar"]["key"]: item["envVar"]["value"] for item in listed}

    def disks(self, service_id: str) -> list[dict[str, Any]]:
        listed = self.client.get("/disks", params={"serviceId": service_id}).json()
        return [item["disk"] for item in listed]


def assert_settings(dashboard: Dashboard, name: str) -> dict[str, dict[str, Any]]:
    """Every declared setting is on the vendor side; the objects by component name."""
    found = {n: dashboard.one("/services", f"{name}-{n}", "service") for n in SERVICES}
    found["db"] = dashboard.one("/postgres", f"{name}-db", "postgres")
    found["cache"] = dashboard.one("/key-value", f"{name}-cache", "keyValue")
    web, search, nightly = (found[n] for n in SERVICES)
    assert [found[n]["type"] for n in SERVICES] == ["web_service", "private_service", "cron_job"]
    assert nightly["serviceDetails"]["schedule"] == "0 3 * * *"
    assert web["autoDeploy"] == "no"
    assert web["buildFilter"] == {"paths": ["shop/**"], "ignoredPaths": ["docs/**"]}
    assert web["serviceDetails"]["plan"] == "starter"  # size: small
    assert [(d["name"], d["mountPath"], d["sizeGB"]) for d in dashboard.disks(search["id"])] == [
        ("index", "/meili_data", 5)
    ]
    assert found["db"]["databaseName"].startswith("shop")
    assert found["db"]["databaseUser"] == "shop_app"
    assert found["cache"]["ipAllowList"] == [
        {"cidrBlock": "203.0.113.0/24", "description": ""},
        {"cidrBlock": "198.51.100.7/32", "description": "office"},
    ]
    return found


def assert_wiring(dashboard: Dashboard, name: str, found: dict[str, dict[str, Any]]) -> None:
    """Every linked value is the one it names; the env group is shared, not copied."""
    web, search, nightly, db = (found[n] for n in (*SERVICES, "db"))
    [group] = dashboard.client.get("/env-groups", params={"name": f"{name}-shared"}).json()
    group = dashboard.client.get(f"/env-groups/{group['id']}").json()
    shared = {item["key"]: item["value"] for item in group["envVars"]}
    # The stack's owner marker rides in the group (README, Security); the rest is the declared.
    assert "#" in shared.pop(GROUP_OWNER_VAR)
    assert set(shared) == {"LOG_LEVEL", "SESSION_SECRET", "SHARED_DB_HOST"}
    assert shared["LOG_LEVEL"] == "info"
    assert len(shared["SESSION_SECRET"]) == 64
    assert {link["id"] for link in group["serviceLinks"]} == {web["id"], nightly["id"]}

    env = dashboard.env(web["id"])
    assert "LOG_LEVEL" not in env  # Render merges the group's vars; the service's are its own
    assert shared["SHARED_DB_HOST"] == env["DB_HOST"]
    assert env["PUBLIC_URL"] == web["serviceDetails"]["url"]
    assert env["SEARCH_ADDR"] == f"{search['slug']}:7700"
    assert env["SEARCH_KEY"] == SEARCH_KEY
    assert env["DB_NAME"] == db["databaseName"]
    assert env["DB_USER"] == "shop_app"
    assert set(env) >= {"REDIS_URL", "REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD"}
    assert dashboard.env(search["id"])["PORT"] == "7700"
    nightly_env = dashboard.env(nightly["id"])
    # Its own var and the stack's owner marker; the group's vars come through the group.
    assert set(nightly_env) == {"DATABASE_URL", SERVICE_OWNER_VAR}
    assert nightly_env["DATABASE_URL"].endswith(f"/{db['databaseName']}")
    # The parts are those of the very string a link without properties gives.
    parts = f"{env['DB_USER']}:{env['DB_PASSWORD']}@{env['DB_HOST']}:{env['DB_PORT']}/"
    assert parts in nightly_env["DATABASE_URL"]


def test_a_blueprint_like_render_stack(
    engine: type[EngineFactory], engine_sandbox: Sandbox, tmp_path: Path
) -> None:
    name = f"bp-{uuid.uuid4().hex[:6]}"
    before = engine_sandbox.objects()
    run = engine.stack(name, make_program(name, tmp_path / "stacks"), {"variant": "v1"})
    dashboard = Dashboard(engine_sandbox)

    created, calls = run.up()
    print("CALLS create", calls.by_vendor["render"])
    assert changes(created).get("create", 0) > 0
    found = assert_settings(dashboard, name)
    assert_wiring(dashboard, name, found)

    again, calls = run.up()
    print("CALLS no-op up", calls.by_vendor["render"])
    assert changes(again) == {}
    assert calls.writes("render") == 0

    scaled, calls = run.up(variant="v2")
    print("CALLS scale", calls.by_vendor["render"])
    assert changes(scaled) == {"update": 2}  # the web service's count, the search disk's size
    web = dashboard.one("/services", f"{name}-web", "service")
    assert web["serviceDetails"]["numInstances"] == 2
    assert [d["sizeGB"] for d in dashboard.disks(found["search"]["id"])] == [10]
    nightly = dashboard.one("/services", f"{name}-nightly", "service")
    assert nightly["updatedAt"] == found["nightly"]["updatedAt"]

    run.assert_no_leak()
    _gone, calls = run.destroy()
    print("CALLS destroy", calls.by_vendor["render"])
    assert engine_sandbox.objects() == before
    dashboard.client.close()
