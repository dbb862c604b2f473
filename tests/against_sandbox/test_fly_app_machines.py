"""Fly App and Machines providers against the sandbox over HTTP: CRUD, adoption, drift."""

from __future__ import annotations

from typing import Any

import pytest

from paas_stacks.errors import ResourceError
from paas_stacks.providers.fly import AppProvider, MachinesProvider
from paas_stacks.providers.fly.client import FlyClient
from paas_stacks.providers.fly.machines import MIXED
from sandbox import Sandbox


def client(sandbox: Sandbox, token: str | None = None) -> FlyClient:
    config = {"fly:apiToken": token or sandbox.token("fly"), "fly:apiUrl": sandbox.base_url("fly")}
    return FlyClient.from_config(config)


def provider(kind: type[Any], sandbox: Sandbox) -> Any:
    made = kind()
    made.use(client(sandbox))
    made.progress = lambda _message: None
    return made


def make_app(sandbox: Sandbox, name: str) -> None:
    provider(AppProvider, sandbox).create({"name": name})


def web(app: str, **extra: Any) -> dict[str, Any]:
    return {
        "app": app,
        "group": "web",
        "image": "registry.example.com/web:1",
        "regions": ["iad", "ord"],
        "services": [
            {
                "internal_port": 8080,
                "ports": [{"port": 443, "handlers": ["tls", "http"]}],
                "http_checks": [{"path": "/up"}],
            }
        ],
        "env": {"MODE": "one"},
        **extra,
    }


def test_an_app_is_created_read_adopted_by_name_and_deleted(sandbox: Sandbox) -> None:
    apps = provider(AppProvider, sandbox)
    created = apps.create({"name": "prov-fly-app"})
    assert created.outs["hostname"] == "prov-fly-app.fly.dev"
    assert created.outs["org_slug"] == "sandbox-alpha"
    assert apps.read("prov-fly-app", created.outs).outs == created.outs
    posts = sandbox.log("fly").counters().get("POST /apps", 0)
    again = apps.create({"name": "prov-fly-app"})
    assert again.id == "prov-fly-app"
    assert sandbox.log("fly").counters().get("POST /apps", 0) == posts
    apps.delete("prov-fly-app", created.outs)
    assert apps.read("prov-fly-app", created.outs).id == ""


def test_an_app_name_another_org_holds_is_reported_taken(sandbox: Sandbox) -> None:
    theirs = client(sandbox, token="fly-sandbox-token-beta")
    theirs.create_app("prov-fly-theirs", "personal")
    with pytest.raises(ResourceError, match="taken by another organization"):
        provider(AppProvider, sandbox).create({"name": "prov-fly-theirs"})
    theirs.delete_app("prov-fly-theirs")


def test_machines_are_created_per_region_updated_scaled_and_destroyed(sandbox: Sandbox) -> None:
    make_app(sandbox, "prov-fly-mach")
    machines = provider(MachinesProvider, sandbox)
    created = machines.create(web("prov-fly-mach"))
    assert created.outs["placement"] == {"iad": 1, "ord": 1}
    assert created.outs["services"][0]["http_checks"][0]["path"] == "/up"
    read = machines.read(created.id, created.outs)
    assert read.outs == created.outs
    assert machines.diff(created.id, read.outs, web("prov-fly-mach")).changes is False

    news = web("prov-fly-mach", image="registry.example.com/web:2", count=2, regions=["iad"])
    updated = machines.update(created.id, read.outs, news)
    assert updated.outs["placement"] == {"iad": 2}
    live = client(sandbox).list_machines("prov-fly-mach") or []
    assert {m["config"]["image"] for m in live} == {"registry.example.com/web:2"}
    assert {m["region"] for m in live} == {"iad"}
    assert {m["state"] for m in live} == {"started"}

    machines.delete(created.id, updated.outs)
    assert machines.read(created.id, updated.outs).id == ""


def test_a_hand_edited_machine_is_drift_and_update_rolls_it_back(sandbox: Sandbox) -> None:
    make_app(sandbox, "prov-fly-drift")
    machines = provider(MachinesProvider, sandbox)
    created = machines.create(web("prov-fly-drift", regions=["iad"], count=2))
    fly = client(sandbox)
    victim = (fly.list_machines("prov-fly-drift") or [])[0]
    config = {**victim["config"], "env": {"MODE": "by-hand"}}
    fly.update_machine("prov-fly-drift", victim["id"], config, victim["instance_id"])

    read = machines.read(created.id, created.outs)
    assert read.outs["env"] == MIXED
    assert machines.diff(
        created.id, read.outs, web("prov-fly-drift", regions=["iad"], count=2)
    ).changes
    restored = machines.update(
        created.id, read.outs, web("prov-fly-drift", regions=["iad"], count=2)
    )
    assert restored.outs["env"] == {"MODE": "one"}
    assert restored.outs["machine_ids"] == created.outs["machine_ids"]


def test_machines_of_the_group_made_elsewhere_are_adopted_and_converged(
    sandbox: Sandbox,
) -> None:
    make_app(sandbox, "prov-fly-adopt")
    fly = client(sandbox)
    by_hand = {"image": "old:1", "metadata": {"fly_process_group": "web"}}
    fly.create_machine("prov-fly-adopt", "iad", by_hand)
    fly.create_machine("prov-fly-adopt", "iad", {"image": "other:1"})  # no group: not ours
    machines = provider(MachinesProvider, sandbox)
    creates = sandbox.log("fly").counters().get("POST /apps/{app_name}/machines", 0)
    adopted = machines.create(web("prov-fly-adopt", regions=["iad"]))
    assert sandbox.log("fly").counters().get("POST /apps/{app_name}/machines", 0) == creates
    assert adopted.outs["image"] == "registry.example.com/web:1"
    assert len(adopted.outs["machine_ids"]) == 1
    assert len(fly.list_machines("prov-fly-adopt") or []) == 2


def test_a_deleted_app_makes_its_machines_gone(sandbox: Sandbox) -> None:
    make_app(sandbox, "prov-fly-gone")
    machines = provider(MachinesProvider, sandbox)
    created = machines.create(web("prov-fly-gone", regions=["iad"]))
    client(sandbox).delete_app("prov-fly-gone")
    assert machines.read(created.id, created.outs).id == ""
    machines.delete(created.id, created.outs)


def test_a_missing_token_is_a_401_named_in_one_line(sandbox: Sandbox) -> None:
    apps = AppProvider()
    apps.use(client(sandbox, token="not-a-token"))
    with pytest.raises(ResourceError) as raised:
        apps.read("prov-fly-any", {"name": "prov-fly-any"})
    assert "GET /v1/apps/prov-fly-any -> 401: unauthorized" in str(raised.value)
    assert "not-a-token" not in str(raised.value)


def test_a_pinned_image_is_a_rolling_update_of_every_machine_after_the_release_command(
    sandbox: Sandbox,
) -> None:
    make_app(sandbox, "prov-fly-pin")
    machines = provider(MachinesProvider, sandbox)
    digest_a, digest_b = "sha256:" + "a" * 64, "sha256:" + "b" * 64
    image_a = f"registry.fly.io/prov-fly-pin:main-aaaaaaa@{digest_a}"
    image_b = f"registry.fly.io/prov-fly-pin:main-bbbbbbb@{digest_b}"
    pin = {"regions": ["iad", "ord"], "count": 2, "release_command": "bin/migrate"}
    created = machines.create(web("prov-fly-pin", image=image_a, **pin))
    assert created.outs["image_digest"] == digest_a
    ids = sorted(created.outs["machine_ids"])
    assert len(ids) == 4

    log = sandbox.log("fly")
    mark = log.last_seq()
    updated = machines.update(created.id, created.outs, web("prov-fly-pin", image=image_b, **pin))
    assert updated.outs["image_digest"] == digest_b
    assert sorted(updated.outs["machine_ids"]) == ids  # updated in place, not replaced
    live = client(sandbox).list_machines("prov-fly-pin") or []
    ours = [m for m in live if m["config"].get("metadata", {}).get("fly_process_group") == "web"]
    assert {m["config"]["image"] for m in ours} == {image_b}
    assert {m["image_ref"]["digest"] for m in ours} == {digest_b}
    # The release command's one-off machine is created before any machine of the group moves.
    writes = [e for e in log.entries(mark) if e.method in ("POST", "PUT", "DELETE")]
    created_first = writes[0]
    assert (created_first.method, created_first.route) == ("POST", "/apps/{app_name}/machines")
    updates = [e for e in writes if e.route == "/apps/{app_name}/machines/{machine_id}"]
    assert sorted(e.path.rsplit("/", 1)[1] for e in updates if e.method == "POST") == ids

    # The pinned image already runs: nothing to change, and an update writes nothing.
    same = web("prov-fly-pin", image=image_b, **pin)
    assert machines.diff(created.id, updated.outs, same).changes is False
    again = log.last_seq()
    machines.update(created.id, updated.outs, same)
    assert log.writes(again) == 0
    machines.delete(created.id, updated.outs)
