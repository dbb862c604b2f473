"""A converted Blueprint comes up: ``python -m paas_stacks.convert`` on the reference
``render.yaml`` (every documented key) and on a cut-down public one, then the written stack
file through the real engine against the sandbox: up, a second up that writes nothing, destroy
back to the sandbox as it was, and no secret in the state."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml
from pulumi import automation as auto

from paas_stacks.convert.cli import main
from sandbox import Sandbox
from tests.conftest import EngineFactory
from tests.engine import changes

pytestmark = pytest.mark.engine

DATA = Path(__file__).resolve().parents[1] / "unit" / "convert" / "data"
#: The reference Blueprint's ``sync: false`` values, set as a user would.
CONFIG_SECRETS = {
    "stripeSecretKey": "sk-test-7c1f0a9d3e",
    "sentryDsn": "https://k@sentry.example/1",
}


def converted(tmp_path: Path, source: str, name: str) -> dict[str, Any]:
    output = tmp_path / f"Pulumi.{name}.yaml"
    code = main(
        [
            str(DATA / source),
            "--output",
            str(output),
            "--stack",
            name,
            "--repo",
            "https://github.com/acme/app",
            "--allow-partial",
        ]
    )
    assert code == 0
    raw: dict[str, Any] = yaml.safe_load(output.read_text())["config"]["paas-stacks:environment"]
    return raw


def make_program(name: str, raw: dict[str, Any], stacks: Path) -> Any:
    def program() -> None:
        from paas_stacks.components.environment import (  # noqa: PLC0415
            Environment,
            EnvironmentArgs,
        )
        from paas_stacks.components.spec import build  # noqa: PLC0415

        spec = build(name, raw, stacks)
        Environment(spec.name, EnvironmentArgs(spec=spec))

    return program


@pytest.mark.parametrize("source", ["reference.render.yaml", "label-sync.render.yaml"])
def test_a_converted_blueprint_comes_up_holds_still_and_goes(
    source: str, tmp_path: Path, engine: type[EngineFactory], engine_sandbox: Sandbox
) -> None:
    name = f"cv-{uuid.uuid4().hex[:6]}"
    raw = converted(tmp_path, source, name)
    before = engine_sandbox.objects()
    run = engine.stack(name, make_program(name, raw, tmp_path / "stacks"))
    for key, value in CONFIG_SECRETS.items():
        run.stack.set_config(f"paas-stacks:{key}", auto.ConfigValue(value, secret=True))

    created, calls = run.up()
    print("CALLS create", calls.by_vendor["render"])
    assert changes(created).get("create", 0) > len(raw.get("services", {}))
    again, calls = run.up()
    assert changes(again) == {}
    assert calls.writes("render") == 0

    run.assert_state_hides(list(CONFIG_SECRETS.values()), [engine_sandbox.token("render")])
    run.assert_no_leak()
    run.destroy()
    assert engine_sandbox.objects() == before
