"""Fly emulator: one-off ("task") machines, as a release command creates them, run their
command without running anything: they stop with an ``exit`` event carrying the decided exit
code and, with ``auto_destroy``, are destroyed right after."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from sandbox import Sandbox
from sandbox.core.context import Delays
from tests.sandbox.test_fly_support import check, client, fly, make_app, make_machine, start_fly

__all__ = ["fly"]


def task_config(cmd: list[str], env: dict[str, str] | None = None, **extra: Any) -> dict[str, Any]:
    """The shape the Fly provider's ``release_config`` sends (restart no, init.cmd)."""
    return {
        "image": "registry.fly.io/demo:deployment-2",
        "env": env or {},
        "init": {"cmd": cmd},
        "restart": {"policy": "no"},
        "metadata": {"fly_process_group": "fly_app_release_command"},
        **extra,
    }


def wait(http: httpx.Client, url: str, state: str, version: str | None = None) -> Any:
    params = {"state": state, **({"version": version} if version else {})}
    response = http.get(f"{url}/wait", params=params)
    check(response, 200)
    return response.json()


def events(http: httpx.Client, url: str) -> list[dict[str, Any]]:
    response = http.get(f"{url}/events")
    check(response, 200)
    return list(response.json())


def test_a_release_machine_exits_with_its_code_and_destroys_itself(fly: Sandbox) -> None:
    http = client(fly)
    app = make_app(http)
    config = task_config(["sh", "-c", "exit 3"], auto_destroy=True)
    machine = make_machine(http, app, config=config, region="ams")
    url = f"/apps/{app}/machines/{machine['id']}"
    version = machine["instance_id"]

    waited = wait(http, url, "stopped,destroyed,failed", version)  # what the provider asks
    assert (waited["state"], waited["version"]) == ("destroyed", version)
    history = events(http, url)
    assert [(e["type"], e["status"]) for e in history] == [
        ("destroy", "destroyed"),
        ("exit", "stopped"),
        ("start", "started"),
        ("launch", "created"),
    ]
    exit_event = history[1]
    assert exit_event["request"]["exit_event"]["exit_code"] == 3
    assert exit_event["source"] == "flyd"
    # A stopped-only wait must not hang on a machine that stopped on its way out.
    stopped = wait(http, url, "stopped", version)
    assert (stopped["state"], stopped["event_id"]) == ("stopped", exit_event["id"])
    assert wait(http, url, "destroyed")["event_id"] == history[0]["id"]

    got = http.get(url)
    check(got, 200)
    assert got.json()["state"] == "destroyed"
    assert http.get(f"/apps/{app}/machines").json() == []
    everything = http.get(f"/apps/{app}/machines", params={"include_deleted": "true"}).json()
    assert [m["state"] for m in everything] == ["destroyed"]
    check(http.post(f"{url}/start"), 404)
    check(http.delete(url, params={"force": "true"}), 404)
    assert http.get(f"/apps/{app}").json()["machine_count"] == 0


@pytest.mark.parametrize(
    ("cmd", "env", "code"),
    [
        (["sh", "-c", "exit 7"], {}, 7),
        (["/app/bin/task", "--then", "exit 12"], {}, 12),
        (["bin/rails", "db:migrate"], {"SANDBOX_EXIT_CODE": "5"}, 5),
        (["sh", "-c", "exit 4"], {"SANDBOX_EXIT_CODE": "9"}, 4),  # the command wins
        (["sh", "-c", "exit 300"], {}, 44),  # a shell keeps the low 8 bits
        (["bin/rails", "db:migrate"], {}, 0),
        (["bin/rails", "db:migrate"], {"SANDBOX_EXIT_CODE": "oops"}, 0),
    ],
)
def test_the_exit_code_comes_from_the_command_then_the_env_then_zero(
    fly: Sandbox, cmd: list[str], env: dict[str, str], code: int
) -> None:
    http = client(fly)
    app = make_app(http)
    machine = make_machine(http, app, config=task_config(cmd, env))
    url = f"/apps/{app}/machines/{machine['id']}"

    waited = wait(http, url, "stopped", machine["instance_id"])
    assert waited["state"] == "stopped"
    newest = events(http, url)[0]
    assert (newest["type"], newest["status"], newest["id"]) == (
        "exit",
        "stopped",
        waited["event_id"],
    )
    assert newest["request"]["exit_event"]["exit_code"] == code
    # Without auto_destroy it stays, stopped, like any machine that exited.
    listed = http.get(f"/apps/{app}/machines")
    check(listed, 200)
    assert [m["state"] for m in listed.json()] == ["stopped"]


@pytest.mark.parametrize(
    "config",
    [
        {"image": "nginx:1.25", "restart": {"policy": "no"}, "auto_destroy": True},
        {"image": "nginx:1.25", "init": {"cmd": ["sh", "-c", "exit 1"]}, "auto_destroy": True},
        {**task_config(["sh", "-c", "exit 1"]), "restart": {"policy": "on-failure"}},
    ],
    ids=["no-command", "default-restart-policy", "on-failure"],
)
def test_machines_that_are_not_one_off_tasks_keep_running(
    fly: Sandbox, config: dict[str, Any]
) -> None:
    http = client(fly)
    app = make_app(http)
    machine = make_machine(http, app, config=config)
    url = f"/apps/{app}/machines/{machine['id']}"
    assert wait(http, url, "started")["state"] == "started"
    got = http.get(url).json()
    assert got["state"] == "started"
    assert [e["type"] for e in got["events"]] == ["start", "launch"]


def test_a_skip_launch_task_runs_when_started_and_runs_again_on_each_start(fly: Sandbox) -> None:
    http = client(fly)
    app = make_app(http)
    machine = make_machine(http, app, config=task_config(["bin/seed"]), skip_launch=True)
    url = f"/apps/{app}/machines/{machine['id']}"
    assert http.get(url).json()["state"] == "created"  # nothing runs before a start
    for _ in range(2):
        check(http.post(f"{url}/start"), 200)
        assert wait(http, url, "stopped", machine["instance_id"])["state"] == "stopped"
    exits = [e for e in events(http, url) if e["type"] == "exit"]
    assert [e["request"]["exit_event"]["exit_code"] for e in exits] == [0, 0]


def test_with_a_delay_the_timeline_is_dated_from_the_start_even_across_a_restart(
    tmp_path: Path,
) -> None:
    delays = Delays(deploy=0, database=0, project=0, machine=0.6)
    sandbox = start_fly(tmp_path, delays=delays)
    try:
        http = client(sandbox)
        app = make_app(http)
        config = task_config(["sh", "-c", "exit 2"], auto_destroy=True)
        machine = make_machine(http, app, config=config)
        url = f"/apps/{app}/machines/{machine['id']}"
    finally:
        sandbox.stop()  # nothing read it since it was created
    time.sleep(1.5)  # start, exit and destroy all fall due while the sandbox is down
    again = start_fly(tmp_path, delays=delays)
    try:
        history = events(client(again), url)
    finally:
        again.stop()
    assert [e["type"] for e in history] == ["destroy", "exit", "start", "launch"]
    destroyed, exited, started, launched = (e["timestamp"] for e in history)
    # Dated from the previous step, not from whenever it was read: 0.6 s to start, 0.6 s of
    # "running", then destroyed at once.
    assert abs(started - launched - 600) <= 1
    assert abs(exited - started - 600) <= 1
    assert destroyed == exited
    assert history[1]["request"]["exit_event"]["exit_code"] == 2


def test_a_running_task_is_started_already_and_a_stop_ends_it_for_good(tmp_path: Path) -> None:
    # 1.5 s of "running" leaves room for the calls made while the command runs.
    sandbox = start_fly(tmp_path, delays=Delays(deploy=0, database=0, project=0, machine=1.5))
    try:
        http = client(sandbox)
        app = make_app(http)
        config = task_config(["sleep", "3600"], auto_destroy=True)
        machine = make_machine(http, app, config=config)
        url = f"/apps/{app}/machines/{machine['id']}"
        wait(http, url, "started")
        check(http.delete(url), 412)  # still running: a destroy needs force, as for any machine
        assert http.post(f"{url}/start").json()["previous_state"] == "started"  # a no-op
        check(http.post(f"{url}/stop"), 200)
        assert wait(http, url, "destroyed")["state"] == "destroyed"
        assert [e["type"] for e in events(http, url)] == [
            "destroy",
            "exit",
            "stop",
            "start",
            "launch",
        ]
    finally:
        sandbox.stop()
