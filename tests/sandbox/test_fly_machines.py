"""Fly emulator: machine lifecycle, update versions, wait, destroy rules."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sandbox import Sandbox
from sandbox.core.context import Delays
from tests.sandbox.test_fly_support import (
    BETA,
    check,
    client,
    fly,
    make_app,
    make_machine,
    start_fly,
)

__all__ = ["fly"]

CONFIG = {
    "image": "registry.fly.io/demo:deployment-1",
    "env": {"PORT": "8080"},
    "guest": {"cpu_kind": "shared", "cpus": 1, "memory_mb": 256},
    "services": [
        {
            "protocol": "tcp",
            "internal_port": 8080,
            "autostop": "stop",
            "ports": [{"port": 443, "handlers": ["tls", "http"]}],
        }
    ],
    "restart": {"policy": "on-failure", "max_retries": 3},
    "x_future_field": {"kept": True},
}


def test_created_machine_keeps_its_config_exactly_and_has_fly_shaped_ids(fly: Sandbox) -> None:
    http = client(fly)
    app = make_app(http)
    machine = make_machine(http, app, config=CONFIG, name="web-1", region="ams")
    assert re.fullmatch(r"[0-9a-f]{14}", machine["id"])
    assert re.fullmatch(r"[0-9A-Z]{26}", machine["instance_id"])
    assert machine["config"] == CONFIG
    assert (machine["name"], machine["region"], machine["state"]) == ("web-1", "ams", "created")
    assert machine["image_ref"]["registry"] == "registry.fly.io"
    assert machine["created_at"].endswith("Z")
    got = http.get(f"/apps/{app}/machines/{machine['id']}")
    check(got, 200)
    assert got.json()["state"] == "started"
    assert got.json()["config"] == CONFIG


def test_list_filters_by_region_state_and_hides_destroyed(fly: Sandbox) -> None:
    http = client(fly)
    app = make_app(http)
    a = make_machine(http, app, region="iad")
    b = make_machine(http, app, region="ams", skip_launch=True)
    listed = http.get(f"/apps/{app}/machines")
    check(listed, 200)
    assert [m["id"] for m in listed.json()] == [a["id"], b["id"]]
    assert [m["id"] for m in http.get(f"/apps/{app}/machines?region=ams").json()] == [b["id"]]
    by_state = http.get(f"/apps/{app}/machines", params={"state": "created,stopped"}).json()
    assert [m["id"] for m in by_state] == [b["id"]]
    check(http.delete(f"/apps/{app}/machines/{b['id']}"), 200)
    assert [m["id"] for m in http.get(f"/apps/{app}/machines").json()] == [a["id"]]
    everything = http.get(f"/apps/{app}/machines", params={"include_deleted": "true"})
    assert [m["state"] for m in everything.json()] == ["started", "destroyed"]
    summary = http.get(f"/apps/{app}/machines", params={"summary": "true"})
    check(summary, 200)
    assert "config" not in summary.json()[0]


def test_update_replaces_config_with_a_new_version_and_checks_current_version(
    fly: Sandbox,
) -> None:
    http = client(fly)
    app = make_app(http)
    machine = make_machine(http, app)
    url = f"/apps/{app}/machines/{machine['id']}"
    new_config = {"image": "nginx:1.27", "env": {"A": "b"}}
    stale = http.post(url, json={"config": new_config, "current_version": "0" * 26})
    check(stale, 412)
    updated = http.post(url, json={"config": new_config, "current_version": machine["instance_id"]})
    check(updated, 200)
    assert updated.json()["config"] == new_config
    assert updated.json()["instance_id"] != machine["instance_id"]
    check(http.post(url, json={"config": {"env": {}}}), 400)
    versions = http.get(f"{url}/versions")
    check(versions, 200)
    assert [v["version"] for v in versions.json()][-1] == machine["instance_id"]
    wait = http.get(
        f"{url}/wait", params={"state": "started", "version": updated.json()["instance_id"]}
    )
    check(wait, 200)
    assert wait.json()["version"] == updated.json()["instance_id"]


def test_start_stop_suspend_restart_move_through_their_states(fly: Sandbox) -> None:
    http = client(fly)
    app = make_app(http)
    machine = make_machine(http, app)
    url = f"/apps/{app}/machines/{machine['id']}"
    check(http.post(f"{url}/stop", json={"signal": "SIGTERM", "timeout": "5s"}), 200)
    version = {"version": machine["instance_id"]}
    check(http.get(f"{url}/wait", params={"state": "stopped", **version}), 200)
    started = http.post(f"{url}/start")
    check(started, 200)
    assert started.json()["previous_state"] == "stopped"
    check(http.get(f"{url}/wait", params={"state": "started"}), 200)
    check(http.post(f"{url}/suspend"), 200)
    assert http.get(f"{url}/wait", params={"state": "settled"}).json()["state"] == "suspended"
    check(http.post(f"{url}/restart"), 200)
    assert http.get(url).json()["state"] == "started"
    events = http.get(f"{url}/events")
    check(events, 200)
    assert events.json()[0]["status"] == "started"
    check(http.post(f"{url}/stop", json={"signal": "SIGNOPE"}), 400)


def test_destroying_a_running_machine_needs_force(fly: Sandbox) -> None:
    http = client(fly)
    app = make_app(http)
    machine = make_machine(http, app)
    url = f"/apps/{app}/machines/{machine['id']}"
    check(http.delete(url), 412)
    check(http.delete(url, params={"force": "true"}), 200)
    assert http.get(url).json()["state"] == "destroyed"
    done = http.get(f"{url}/wait", params={"state": "destroyed"})
    check(done, 200)
    check(http.post(f"{url}/start"), 404)
    check(http.delete(url), 404)


def test_wait_validates_its_parameters(fly: Sandbox) -> None:
    http = client(fly)
    app = make_app(http)
    url = f"/apps/{app}/machines/{make_machine(http, app)['id']}/wait"
    check(http.get(url, params={"state": "stopped"}), 400)
    check(http.get(url, params={"state": "bogus"}), 400)
    check(http.get(url, params={"state": "started", "version": "0" * 26}), 400)
    version = http.get(url.removesuffix("/wait")).json()["instance_id"]
    params = [("state", "stopped"), ("state", "started"), ("instance_id", version)]
    repeated = http.get(url, params=params)
    assert repeated.json()["state"] == "started"


def test_invalid_machine_bodies_are_400_and_create_nothing(fly: Sandbox) -> None:
    http = client(fly)
    app = make_app(http)
    bodies: tuple[dict[str, Any], ...] = (
        {},
        {"config": {}},
        {"config": {"image": 5}},
        {"config": {"image": "a", "restart": {"policy": "sometimes"}}},
        {"config": {"image": "a", "guest": {"cpus": "two"}}},
        {"config": {"image": "a"}, "skip_launch": "yes"},
    )
    for body in bodies:
        check(http.post(f"/apps/{app}/machines", json=body), 400)
    assert http.get(f"/apps/{app}/machines").json() == []


def test_unknown_and_foreign_machines_are_404(fly: Sandbox) -> None:
    http = client(fly)
    app = make_app(http)
    machine = make_machine(http, app)
    check(http.get(f"/apps/{app}/machines/0123456789abcd"), 404)
    check(http.post(f"/apps/{app}/machines/0123456789abcd/stop"), 404)
    check(http.get(f"/apps/{app}/machines/0123456789abcd/wait"), 404)
    other = make_app(http)
    check(http.get(f"/apps/{other}/machines/{machine['id']}"), 404)
    check(client(fly, BETA).get(f"/apps/{app}/machines/{machine['id']}"), 404)


def test_states_advance_after_the_machine_delay_and_wait_times_out_with_408(
    tmp_path: Path,
) -> None:
    sandbox = start_fly(tmp_path, delays=Delays(deploy=0, database=0, project=0, machine=1.5))
    try:
        http = client(sandbox)
        app = make_app(http)
        machine = make_machine(http, app)
        url = f"/apps/{app}/machines/{machine['id']}"
        assert http.get(url).json()["state"] == "created"
        check(http.get(f"{url}/wait", params={"state": "started", "timeout": 1}), 408)
        waited = http.get(f"{url}/wait", params={"state": "started", "timeout": 5})
        check(waited, 200)
        assert waited.json()["ok"] is True
        check(http.post(f"{url}/stop"), 200)
        assert http.get(url).json()["state"] == "stopping"
    finally:
        sandbox.stop()
