"""Fly emulator: secrets, volumes, IP assignments, rate limits and persistence."""

from __future__ import annotations

import hashlib
import ipaddress
from pathlib import Path

from sandbox import Sandbox
from tests.conftest import ManualClock
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


def test_secrets_are_set_listed_without_values_and_deleted_by_null(fly: Sandbox) -> None:
    http = client(fly)
    app = make_app(http)
    url = f"/apps/{app}/secrets"
    first = http.post(url, json={"values": {"DB_URL": "postgres://x", "TOKEN": "t"}})
    check(first, 200)
    assert first.json()["version"] == 1
    listed = http.get(url)
    check(listed, 200)
    secrets = {s["name"]: s for s in listed.json()["secrets"]}
    assert set(secrets) == {"DB_URL", "TOKEN"}
    assert "value" not in secrets["TOKEN"]
    assert secrets["TOKEN"]["digest"] == hashlib.sha256(b"t").hexdigest()
    shown = http.get(url, params={"show_secrets": "true"}).json()["secrets"]
    assert {s["name"]: s["value"] for s in shown}["TOKEN"] == "t"
    second = http.post(url, json={"values": {"TOKEN": None}})
    assert second.json()["version"] == 2
    assert [s["name"] for s in http.get(url).json()["secrets"]] == ["DB_URL"]


def test_single_secret_endpoints_set_get_and_delete(fly: Sandbox) -> None:
    http = client(fly)
    app = make_app(http)
    url = f"/apps/{app}/secrets/API_KEY"
    created = http.post(url, json={"value": "k1"})
    check(created, 201)
    assert created.json()["name"] == "API_KEY"
    assert created.json()["version"] == 1
    got = http.get(url, params={"show_secrets": "true"})
    check(got, 200)
    assert got.json()["value"] == "k1"
    deleted = http.delete(url)
    check(deleted, 200)
    assert deleted.json()["version"] == 2
    check(http.get(url), 404)
    check(http.delete(url), 404)


def test_invalid_secret_bodies_are_400_and_change_nothing(fly: Sandbox) -> None:
    http = client(fly)
    app = make_app(http)
    check(http.post(f"/apps/{app}/secrets", json={"values": {"OK": 1}}), 400)
    check(http.post(f"/apps/{app}/secrets", json={"values": {"BAD-NAME": "v"}}), 400)
    check(http.post(f"/apps/{app}/secrets/NAME", json={}), 400)
    assert http.get(f"/apps/{app}/secrets").json() == {"secrets": []}
    check(client(fly, BETA).get(f"/apps/{app}/secrets"), 404)


def test_volumes_are_created_updated_extended_and_deleted(fly: Sandbox) -> None:
    http = client(fly)
    app = make_app(http)
    created = http.post(
        f"/apps/{app}/volumes", json={"name": "pg_data", "region": "ams", "size_gb": 3}
    )
    check(created, 200)
    vol = created.json()
    assert vol["id"].startswith("vol_")
    assert vol["state"] == "created"
    assert vol["encrypted"]
    url = f"/apps/{app}/volumes/{vol['id']}"
    check(http.get(url), 200)
    listed = http.get(f"/apps/{app}/volumes")
    check(listed, 200)
    assert [v["id"] for v in listed.json()] == [vol["id"]]
    updated = http.put(url, json={"snapshot_retention": 10, "auto_backup_enabled": False})
    check(updated, 200)
    assert updated.json()["snapshot_retention"] == 10
    extended = http.put(f"{url}/extend", json={"size_gb": 5})
    check(extended, 200)
    assert extended.json()["volume"]["size_gb"] == 5
    check(http.put(f"{url}/extend", json={"size_gb": 2}), 400)
    mounts = [{"volume": vol["id"], "path": "/data"}]
    # A volume is mounted by a machine in its own region (the sandbox refuses another).
    make_machine(http, app, region="ams", config={"image": "postgres:16", "mounts": mounts})
    assert "attached_machine_id" in http.get(url).json()
    deleted = http.delete(url)
    check(deleted, 200)
    check(http.get(url), 404)


def test_invalid_or_foreign_volumes_are_rejected(fly: Sandbox) -> None:
    http = client(fly)
    app = make_app(http)
    check(http.post(f"/apps/{app}/volumes", json={"size_gb": 1}), 400)
    check(http.post(f"/apps/{app}/volumes", json={"name": "Bad Name"}), 400)
    check(http.post(f"/apps/{app}/volumes", json={"name": "ok", "size_gb": "big"}), 400)
    assert http.get(f"/apps/{app}/volumes").json() == []
    vol = http.post(f"/apps/{app}/volumes", json={"name": "ok"}).json()
    check(client(fly, BETA).get(f"/apps/{app}/volumes/{vol['id']}"), 404)
    check(http.get(f"/apps/{app}/volumes/vol_doesnotexist00"), 404)


def test_ip_assignments_come_from_documentation_ranges(fly: Sandbox) -> None:
    http = client(fly)
    app = make_app(http)
    url = f"/apps/{app}/ip_assignments"
    v4 = http.post(url, json={"type": "v4", "region": "global"})
    check(v4, 200)
    v6 = http.post(url, json={"type": "v6"}).json()
    shared = http.post(url, json={"type": "shared_v4"}).json()
    assert ipaddress.ip_address(v4.json()["ip"]) in ipaddress.ip_network("203.0.113.0/24")
    assert ipaddress.ip_address(v6["ip"]) in ipaddress.ip_network("2001:db8::/32")
    assert shared["shared"] is True
    listed = http.get(url)
    check(listed, 200)
    assert len(listed.json()["ips"]) == 3
    check(http.delete(f"{url}/{v6['ip']}"), 204)
    check(http.delete(f"{url}/{v6['ip']}"), 404)
    check(http.post(url, json={"type": "v5"}), 400)
    assert len(http.get(url).json()["ips"]) == 2


def test_rate_limits_answer_429_in_the_error_shape_without_headers(tmp_path: Path) -> None:
    # A clock that stands still keeps each burst in one window, however slow the machine.
    clock = ManualClock(600.0)
    sandbox = start_fly(tmp_path, rate_limits=True, clock=clock)
    try:
        http = client(sandbox)
        app = make_app(http)
        machine = make_machine(http, app)
        url = f"/apps/{app}/machines/{machine['id']}"
        clock.advance(1.0)  # a fresh window: the set-up's own requests spent some budget
        responses = [http.get(url) for _ in range(12)]
        statuses = [r.status_code for r in responses]
        # Fly documents Get Machine at 5 req/s with a burst of 10, actions at 1 req/s burst 3.
        assert statuses == [200] * 10 + [429] * 2
        limited = responses[statuses.index(429)]
        check(limited, 429)
        assert "retry-after" not in limited.headers
        body = {"config": {"image": "a"}}
        creates = [http.post(f"/apps/{app}/machines", json=body).status_code for _ in range(5)]
        assert creates == [200] * 3 + [429] * 2
        clock.advance(1.0)
        assert http.get(url).status_code == 200  # the next window has a fresh budget
    finally:
        sandbox.stop()


def test_everything_survives_a_restart_on_the_same_state_dir(tmp_path: Path) -> None:
    sandbox = start_fly(tmp_path)
    http = client(sandbox)
    app = make_app(http)
    machine = make_machine(http, app, skip_launch=True)
    http.post(f"/apps/{app}/secrets", json={"values": {"A": "1"}})
    sandbox.stop()
    sandbox = start_fly(tmp_path)
    try:
        http = client(sandbox)
        check(http.get(f"/apps/{app}"), 200)
        again = http.get(f"/apps/{app}/machines/{machine['id']}").json()
        assert again["instance_id"] == machine["instance_id"]
        assert again["state"] == "created"
        assert http.get(f"/apps/{app}/secrets").json()["secrets"][0]["name"] == "A"
        assert http.post(f"/apps/{app}/secrets/B", json={"value": "2"}).json()["version"] == 2
    finally:
        sandbox.stop()
