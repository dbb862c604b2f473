"""Fly emulator: the machine config parts a process group declares (command, checks,
concurrency, stop config, statics, mounts) are stored and returned as sent, and malformed ones
are 400s in Fly's error shape, as flyd refuses them."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox import Sandbox
from tests.sandbox.test_fly_support import check, client, fly, make_app, make_machine

__all__ = ["fly"]

CONFIG: dict[str, Any] = {
    "image": "registry.fly.io/shop:1",
    "init": {"cmd": ["bundle", "exec", "sidekiq"], "entrypoint": ["/usr/bin/tini", "--"]},
    "checks": {
        "alive": {"type": "tcp", "port": 7433, "interval": "15s", "timeout": "2s"},
        "ready": {"type": "http", "port": 8080, "path": "/up", "method": "GET"},
    },
    "services": [
        {
            "protocol": "tcp",
            "internal_port": 8080,
            "ports": [{"port": 443, "handlers": ["tls", "http"]}],
            "checks": [{"type": "http", "path": "/up", "interval": "10s"}],
            "concurrency": {"type": "requests", "soft_limit": 20, "hard_limit": 25},
        }
    ],
    "stop_config": {"signal": "SIGTERM", "timeout": "30s"},
    "statics": [{"guest_path": "/app/public", "url_prefix": "/assets"}],
    "metadata": {"fly_process_group": "worker"},
}


def test_the_parts_of_a_process_groups_config_come_back_as_sent(fly: Sandbox) -> None:
    http = client(fly)
    app = make_app(http)
    machine = make_machine(http, app, config=CONFIG)
    read = http.get(f"/apps/{app}/machines/{machine['id']}")
    check(read, 200)
    assert read.json()["config"] == CONFIG


@pytest.mark.parametrize(
    ("part", "value", "says"),
    [
        ("checks", {"alive": {"type": "grpc", "port": 1}}, "checks.alive.type"),
        ("init", {"cmd": "bundle exec sidekiq"}, "init.cmd"),
        ("stop_config", {"signal": "SIGSTOP"}, "stop_config.signal"),
        ("statics", [{"guest_path": "/app/public"}], "statics.0.url_prefix"),
        (
            "services",
            [{"internal_port": 8080, "concurrency": {"type": "bytes"}}],
            "services.0.concurrency.type",
        ),
        ("services", [{"internal_port": 8080, "checks": [{"type": "udp"}]}], "services.0.checks"),
    ],
)
def test_a_malformed_part_is_a_400_naming_it_and_nothing_is_made(
    fly: Sandbox, part: str, value: Any, says: str
) -> None:
    http = client(fly)
    app = make_app(http)
    response = http.post(
        f"/apps/{app}/machines", json={"config": {"image": "nginx:1.25", part: value}}
    )
    check(response, 400)
    assert says in response.json()["error"]
    assert http.get(f"/apps/{app}/machines").json() == []


def test_a_mount_names_a_volume_of_the_app_in_the_machines_region_held_by_no_other(
    fly: Sandbox,
) -> None:
    http = client(fly)
    app = make_app(http)
    vol = http.post(f"/apps/{app}/volumes", json={"name": "data", "region": "lhr"}).json()
    mounts = [{"volume": vol["id"], "path": "/data"}]
    elsewhere = http.post(
        f"/apps/{app}/machines",
        json={"region": "iad", "config": {"image": "nginx:1.25", "mounts": mounts}},
    )
    check(elsewhere, 400)
    assert "is in lhr, not iad" in elsewhere.json()["error"]
    unknown = [{"volume": "vol_nope", "path": "/data"}]
    missing = http.post(
        f"/apps/{app}/machines",
        json={"region": "lhr", "config": {"image": "nginx:1.25", "mounts": unknown}},
    )
    check(missing, 400)
    holder = make_machine(http, app, region="lhr", config={"image": "nginx:1.25", "mounts": mounts})
    second = http.post(
        f"/apps/{app}/machines",
        json={"region": "lhr", "config": {"image": "nginx:1.25", "mounts": mounts}},
    )
    check(second, 400)
    assert f"attached to machine {holder['id']}" in second.json()["error"]
    # The holder itself may be updated with its own mount.
    again = http.post(
        f"/apps/{app}/machines/{holder['id']}",
        json={"config": {"image": "nginx:1.26", "mounts": mounts}},
    )
    check(again, 200)
