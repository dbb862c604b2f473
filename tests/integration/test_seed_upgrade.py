"""A seed stack brought up by the 0.1 program (its ``__main__.py``, stack files and wheel at
commit d38db11) holds still under this version: the same resources under the same URNs, so
``preview`` shows no change and ``up`` writes nothing, then ``destroy`` empties the sandbox.

This is what a team that upgrades sees: the graph a stack file builds is part of the contract,
as much as the pickled providers (``test_state_upgrade.py``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pulumi import automation as auto

from sandbox import Sandbox
from tests.conftest import EngineFactory
from tests.engine import EngineRun, changes, differing
from tests.integration.test_state_upgrade import OLD_COMMIT, old_source
from tests.wheels import REPO, build_wheel, consumer_venv, current_source, install

pytestmark = pytest.mark.engine

SANDBOX_ORG = "acme-sandbox-org"
STACK = "demo"


def old_program(target: Path) -> None:
    """The 0.1 program and stack files, from git (``old_source`` checked the history)."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", OLD_COMMIT, "__main__.py", "stacks"],
        capture_output=True,
        check=True,
    )
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)


def new_program(target: Path) -> None:
    (target / "__main__.py").write_text((REPO / "__main__.py").read_text())
    shutil.rmtree(target / "stacks")
    shutil.copytree(REPO / "stacks", target / "stacks", ignore=shutil.ignore_patterns("*.py*"))


def point_at_the_sandbox(project: Path) -> None:
    for stack_file in (project / "stacks").glob("Pulumi.*.yaml"):
        text = re.sub(
            r"organization: [\w-]+", f"organization: {SANDBOX_ORG}", stack_file.read_text()
        )
        # The committed salt belongs to the local passphrase; the test backend has its own.
        stack_file.write_text(re.sub(r"(?m)^encryptionsalt: .*$", "", text))


def project_in(tmp: Path, venv: Path) -> Path:
    project = tmp / "project"
    project.mkdir()
    pulumi_yaml = (REPO / "Pulumi.yaml").read_text()
    (project / "Pulumi.yaml").write_text(
        pulumi_yaml.replace("virtualenv: .venv", f"virtualenv: {venv}")
    )
    return project


def test_a_seed_stack_made_by_0_1_previews_with_no_change_and_destroys_after_the_upgrade(
    tmp_path: Path, engine: type[EngineFactory], engine_sandbox: Sandbox
) -> None:
    old_wheel = build_wheel(old_source(tmp_path), tmp_path / "old-dist")
    new_wheel = build_wheel(current_source(tmp_path), tmp_path / "new-dist")
    venv = consumer_venv(tmp_path, old_wheel)
    project = project_in(tmp_path, venv)
    old_program(project)
    point_at_the_sandbox(project)
    before = engine_sandbox.objects()
    stack = auto.create_stack(STACK, work_dir=str(project))
    stack.set_config("paas-stacks:offline", auto.ConfigValue("true"))
    run = EngineRun(stack, engine_sandbox)
    try:
        created, _ = run.up()
        assert created.summary.result == "succeeded"
        made = {resource["urn"] for resource in run.resources()}
        first = run.outputs()

        install(venv, new_wheel)
        new_program(project)
        point_at_the_sandbox(project)

        previewed, calls = run.preview()
        # The one addition of the upgrade: the stack's StackOwner (its salt, in the state only).
        summary = {getattr(kind, "value", kind): n for kind, n in previewed.change_summary.items()}
        assert {kind: count for kind, count in summary.items() if kind != "same"} == {"create": 1}
        assert calls.writes() == 0, calls.by_vendor
        same, calls = run.up()
        assert changes(same) == {"create": 1}
        assert calls.writes() == 0, calls.by_vendor
        added = {resource["urn"] for resource in run.resources()} - made
        assert {urn.rsplit("::", 2)[-2] for urn in added} == {
            "pulumi-python:dynamic/owner:StackOwner"
        }
        assert made <= {resource["urn"] for resource in run.resources()}
        now = run.outputs()
        # Since 0.1 the stack also exports what each service runs (``releases``), and the price
        # review added lines (the workspace plan) to the breakdown, at $0 for this stack; the
        # total and every other output hold still.
        assert now.keys() - first.keys() == {"releases"}
        assert differing({key: now[key] for key in first}, first) == ["monthlyCostBreakdown"]
        added_lines = now["monthlyCostBreakdown"].keys() - first["monthlyCostBreakdown"].keys()
        assert added_lines == {"render workspace"}
        assert now["monthlyCostBreakdown"]["render workspace"] == 0
        assert {key: now["monthlyCostBreakdown"][key] for key in first["monthlyCostBreakdown"]} == (
            first["monthlyCostBreakdown"]
        )
        run.assert_no_leak()

        destroyed, _ = run.destroy()
        assert destroyed.summary.result == "succeeded"
        assert engine_sandbox.objects() == before
    finally:
        stack.destroy(on_output=lambda _line: None)
        stack.workspace.remove_stack(STACK)
