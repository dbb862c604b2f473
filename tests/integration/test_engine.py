"""The real engine runs a dynamic resource from an importable module, end to end."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest
from pulumi import automation as auto

pytestmark = pytest.mark.engine

PROGRAM = """\
import pulumi
from paas_stacks.providers.noop import Record

record = Record("probe", value=pulumi.Config().require("greeting"))
pulumi.export("value", record.value)
pulumi.export("revision", record.revision)
"""


def _write_project(directory: Path) -> None:
    directory.mkdir()
    (directory / "Pulumi.yaml").write_text(
        textwrap.dedent(
            f"""\
            name: engine-probe
            runtime:
              name: python
              options:
                virtualenv: {sys.prefix}
            """
        )
    )
    (directory / "__main__.py").write_text(PROGRAM)


def test_a_dynamic_resource_is_created_left_alone_updated_and_destroyed(
    tmp_path: Path, file_backend: Path
) -> None:
    project = tmp_path / "project"
    _write_project(project)
    stack = auto.create_stack("probe", work_dir=str(project))
    stack.set_config("greeting", auto.ConfigValue("hello"))

    first = stack.up()
    assert first.outputs["value"].value == "hello"
    assert first.outputs["revision"].value == 1
    assert first.summary.resource_changes == {"create": 2}

    second = stack.up()
    assert second.summary.resource_changes == {"same": 2}
    assert second.outputs["revision"].value == 1

    stack.set_config("greeting", auto.ConfigValue("goodbye"))
    third = stack.up()
    assert third.summary.resource_changes == {"same": 1, "update": 1}
    assert third.outputs["value"].value == "goodbye"
    assert third.outputs["revision"].value == 2

    gone = stack.destroy()
    assert gone.summary.resource_changes == {"delete": 2}
    exported = json.dumps(stack.export_stack().deployment)
    assert "paas_stacks.providers.noop" not in exported
    stack.workspace.remove_stack("probe")


def test_an_inline_program_runs_through_the_same_engine(file_backend: Path) -> None:
    def program() -> None:
        import pulumi  # noqa: PLC0415

        from paas_stacks.providers.noop import Record  # noqa: PLC0415

        pulumi.export("value", Record("inline", value="from-inline").value)

    stack = auto.create_stack("inline", project_name="engine-inline", program=program)
    assert stack.up().outputs["value"].value == "from-inline"
    assert stack.preview().change_summary == {"same": 2}
    assert stack.destroy().summary.resource_changes == {"delete": 2}
    stack.workspace.remove_stack("inline")
