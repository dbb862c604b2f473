"""auto_rollback: a machine that fails to start after an update puts every machine the rollout
updated back on the config it had, then the operation fails with one line saying so; without
it, the rollout stops where it failed (the machines already updated stay updated)."""

from __future__ import annotations

from typing import Any

import pytest

from paas_stacks.errors import ResourceError
from paas_stacks.providers.fly import MachinesProvider
from paas_stacks.providers.fly.machine_spec import MachinesInputs
from paas_stacks.providers.fly.rollout import Rollout
from tests.unit.providers.test_fly import STARTED, Api, machine, use

OLD = {"image": "nginx:1", "count": 2}


def routes() -> dict[str, Any]:
    old1, old2 = machine("m1", "v1", **OLD), machine("m2", "v1", **OLD)
    return {
        "POST /apps/demo/machines/m1": (200, {**old1, "instance_id": "v2"}),
        "GET /apps/demo/machines/m1/wait": STARTED,
        "GET /apps/demo/machines/m1": (200, {**old1, "instance_id": "v2"}),
        "POST /apps/demo/machines/m2": (200, {**old2, "instance_id": "v2"}),
        "GET /apps/demo/machines/m2/wait": (408, {"error": "deadline_exceeded"}),
        "GET /apps/demo/machines/m2": (200, {**old2, "instance_id": "v2", "state": "failed"}),
    }


def rollout(api: Api, auto_rollback: bool) -> tuple[Rollout, list[dict[str, Any]]]:
    provider = use(MachinesProvider(), api)
    inputs = MachinesInputs(
        app="demo",
        group="web",
        image="nginx:2",
        regions=["iad"],
        count=2,
        auto_rollback=auto_rollback,
    )
    current = [machine("m1", "v1", **OLD), machine("m2", "v1", **OLD)]
    return Rollout(provider.client, inputs, lambda _m: None), current


def test_a_failed_start_puts_every_updated_machine_back_and_says_so() -> None:
    api = Api(routes())
    run, current = rollout(api, auto_rollback=True)
    with pytest.raises(ResourceError, match=r"m2 failed instead of started; auto_rollback put 2"):
        run.converge(current)
    for mid in ("m1", "m2"):
        sent = api.bodies[f"POST /apps/demo/machines/{mid}"]
        assert [body["config"]["image"] for body in sent] == ["nginx:2", "nginx:1"]
        assert sent[1]["current_version"] == "v2"  # reverted from the version it then had


def test_without_auto_rollback_the_rollout_stops_where_it_failed() -> None:
    api = Api(routes())
    run, current = rollout(api, auto_rollback=False)
    with pytest.raises(ResourceError, match=r"m2 failed instead of started$"):
        run.converge(current)
    assert api.count("POST /apps/demo/machines/m1") == 1
    assert api.count("POST /apps/demo/machines/m2") == 1
