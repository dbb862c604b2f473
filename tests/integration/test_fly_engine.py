"""Every Fly resource through the real engine against the sandbox: create, no-op, update and
replace, a release command that gates the rollout (exit 0 rolls out, exit 3 rolls nothing out),
out-of-band drift found by refresh and undone by up, destroy leaving nothing behind."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
import pytest
from pulumi import automation as auto

from sandbox import Sandbox
from tests.engine import Calls, EngineRun, changes

pytestmark = pytest.mark.engine

APP = "fly-engine-life"
RELEASE_GROUP = "fly_app_release_command"  # flyctl's group for release-command machines
FIRST_KEY = "first-api-key-4f1d9c"
SECOND_KEY = "second-api-key-8b2e7a"


def program() -> None:
    import pulumi  # noqa: PLC0415

    from paas_stacks.providers.fly import App, IpAddress, Machines, Secrets, Volume  # noqa: PLC0415

    cfg = pulumi.Config()
    app = App("app", name=cfg.require("app"))
    web = Machines(
        "web",
        app=app.name,
        group="web",
        image=cfg.require("image"),
        regions=["iad"],
        count=int(cfg.require("count")),
        memory_mb=512,
        services=[
            {
                "internal_port": 8080,
                "ports": [
                    {"port": 80, "handlers": ["http"], "force_https": True},
                    {"port": 443, "handlers": ["tls", "http"]},
                ],
                "http_checks": [{"path": "/healthz", "interval": "10s", "grace_period": "5s"}],
            }
        ],
        autostop="stop",
        min_machines_running=1,
        env={"MODE": cfg.require("mode")},
        release_command=cfg.get("release"),
    )
    secrets = Secrets("secrets", app=app.name, values={"API_KEY": cfg.require("api_key")})
    volume = Volume(
        "data", app=app.name, name="data", region="iad", size_gb=int(cfg.require("size_gb"))
    )
    address = IpAddress("ip", app=app.name, type=cfg.require("ip_type"))
    shared = IpAddress("shared-ip", app=app.name, type="shared_v4")
    pulumi.export("hostname", app.hostname)
    pulumi.export("machine_ids", web.machine_ids)
    pulumi.export("secret_names", secrets.names)
    pulumi.export("volume_id", volume.volume_id)
    pulumi.export("address", address.address)
    pulumi.export("shared_address", shared.address)


class Fly:
    """The sandbox's Fly API, used like a dashboard user would."""

    def __init__(self, sandbox: Sandbox) -> None:
        token = sandbox.token("fly")
        self.http = httpx.Client(
            base_url=sandbox.base_url("fly"), headers={"authorization": f"Bearer {token}"}
        )

    def get(self, path: str) -> Any:
        response = self.http.get(path)
        response.raise_for_status()
        return response.json()

    def post(self, path: str, body: dict[str, Any]) -> Any:
        response = self.http.post(path, json=body)
        response.raise_for_status()
        return response.json()

    def machines(self) -> list[dict[str, Any]]:
        return list(self.get(f"/apps/{APP}/machines"))

    def release_runs(self) -> list[tuple[str, int | None]]:
        """(state, exit code) of every release machine, oldest first, destroyed ones included."""
        everything = self.get(f"/apps/{APP}/machines?include_deleted=true")
        runs = [
            m for m in everything if m["config"]["metadata"]["fly_process_group"] == RELEASE_GROUP
        ]
        runs.sort(key=lambda m: m["events"][-1]["timestamp"])  # its launch
        return [(m["state"], _exit_code(m["events"])) for m in runs]

    def digest(self, name: str) -> str:
        secrets = self.get(f"/apps/{APP}/secrets")["secrets"]
        return next(str(s["digest"]) for s in secrets if s["name"] == name)


def show(label: str, calls: Calls) -> None:
    print(f"CALLS {label}", calls.by_vendor["fly"])


def _exit_code(events: list[dict[str, Any]]) -> int | None:
    exits = [e for e in events if e["type"] == "exit"]
    return int(exits[0]["request"]["exit_event"]["exit_code"]) if exits else None


def sha(value: str) -> str:
    # The sandbox's digest (its README); only used to check which value is live.
    return hashlib.sha256(value.encode()).hexdigest()


def test_fly_stack_lives_drifts_is_restored_and_leaves_nothing(
    engine: Any, engine_sandbox: Sandbox
) -> None:
    fly = Fly(engine_sandbox)
    before = engine_sandbox.objects()
    run: EngineRun = engine.stack("fly-life", program, config={"app": APP})
    _secret_config(run, FIRST_KEY)
    created, calls = run.up(image="nginx:1.25", count="1", mode="blue", size_gb="1", ip_type="v6")
    show("create", calls)
    assert changes(created) == {"create": 8}  # with the stack's StackOwner
    assert run.outputs()["hostname"] == f"{APP}.fly.dev"

    again, calls = run.up()
    show("no-op up", calls)
    assert changes(again) == {}
    assert calls.writes("fly") == 0

    _secret_config(run, SECOND_KEY)
    updated, calls = run.up(
        image="nginx:1.26",
        count="2",
        mode="green",
        size_gb="2",
        ip_type="v4",
        release="bin/migrate",
    )
    show("update", calls)
    assert changes(updated) == {"update": 3, "replace": 1}
    machines = fly.machines()
    assert [m["config"]["image"] for m in machines] == ["nginx:1.26"] * 2
    # The release machine ran (exit 0), destroyed itself and never counted as part of the group.
    assert fly.release_runs() == [("destroyed", 0)]
    assert sorted(run.outputs()["machine_ids"]) == sorted(m["id"] for m in machines)
    assert fly.digest("API_KEY") == sha(SECOND_KEY)
    volume_id = run.outputs()["volume_id"]
    assert fly.get(f"/apps/{APP}/volumes/{volume_id}")["size_gb"] == 2
    assert "." in run.outputs()["address"]

    _failing_release_rolls_nothing_out_and_a_fixed_one_converges(run, fly)

    _change_by_hand(fly, fly.machines()[0], volume_id)
    refreshed, calls = run.refresh()
    show("refresh", calls)
    assert changes(refreshed) == {"update": 2, "delete": 1}

    restored, calls = run.up()
    show("restore up", calls)
    assert changes(restored) == {"update": 2, "create": 1}
    assert {m["config"]["env"]["MODE"] for m in fly.machines()} == {"green"}
    assert fly.digest("API_KEY") == sha(SECOND_KEY)
    volumes = fly.get(f"/apps/{APP}/volumes")
    assert [(v["name"], v["size_gb"]) for v in volumes] == [("data", 2)]

    run.assert_state_hides([FIRST_KEY, SECOND_KEY], [engine_sandbox.token("fly")])

    gone, calls = run.destroy()
    show("destroy", calls)
    assert changes(gone) == {"delete": 8}
    assert engine_sandbox.objects() == before


def _failing_release_rolls_nothing_out_and_a_fixed_one_converges(run: EngineRun, fly: Fly) -> None:
    """exit 3 fails ``up`` with one line and leaves every machine on its image; the next ``up``
    with a command that succeeds rolls the new image out."""
    with pytest.raises(auto.CommandError) as failed:
        run.up(image="nginx:1.27", release="sh -c 'exit 3'")
    text = str(failed.value)
    line = next(line for line in text.splitlines() if "exited with code" in line)
    assert (
        f"Fly Machines '{APP}/web': release command \"sh -c 'exit 3'\" exited with code 3; "
        "nothing was rolled out, machines keep their current image"
    ) in line
    assert "Traceback" not in text
    machines = fly.machines()
    assert [
        (m["config"]["image"], m["config"]["metadata"]["fly_process_group"]) for m in machines
    ] == [("nginx:1.26", "web")] * 2
    assert fly.release_runs() == [("destroyed", 0), ("destroyed", 3)]

    fixed, calls = run.up(release="bin/migrate")
    show("fixed release up", calls)
    assert changes(fixed) == {"update": 1}
    assert [m["config"]["image"] for m in fly.machines()] == ["nginx:1.27"] * 2
    assert fly.release_runs() == [("destroyed", 0), ("destroyed", 3), ("destroyed", 0)]


def _secret_config(run: EngineRun, api_key: str) -> None:
    # Stack config reaches the state as the default provider's inputs: secret, like a user's
    # ``pulumi config set --secret``.
    run.stack.set_config("api_key", auto.ConfigValue(api_key, secret=True))


def _change_by_hand(fly: Fly, machine: dict[str, Any], volume_id: str) -> None:
    """A dashboard user edits one machine's env, sets a secret and deletes the volume."""
    config = {**machine["config"], "env": {"MODE": "by-hand"}}
    fly.post(
        f"/apps/{APP}/machines/{machine['id']}",
        {"config": config, "current_version": machine["instance_id"]},
    )
    fly.post(f"/apps/{APP}/secrets", {"values": {"API_KEY": "set-by-hand"}})
    fly.http.delete(f"/apps/{APP}/volumes/{volume_id}").raise_for_status()
