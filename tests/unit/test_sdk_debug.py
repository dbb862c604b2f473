"""The pinned SDK's debug lines lose their property values, and nothing we ship runs the CLI in a
mode that prints secrets (the engine-level proof is tests/integration/test_output_modes.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pulumi.log
import pytest

from paas_stacks._sdk_debug import LEFT_OUT, quiet_sdk_debug, without_values

LEAKING_ARGUMENT = re.compile(r"[\"'](--debug|--verbose|--logtostderr|-v(=?\d+)?)[\"']")
REPO = Path(__file__).resolve().parents[2]
SECRET = "postgresql://postgres:Sup3rS3cretPassw0rd@db.example.supabase.co:5432/postgres"
#: How the CLI is made to print secrets (README, "Output modes that print secrets").
LEAKING_FLAGS = re.compile(
    r"--debug\b|(?<![\w-])-v[= ]?\d|--verbose\b|--logtostderr|PULUMI_DEBUG_GRPC"
)


def test_the_sdks_outputs_line_keeps_its_urn_and_loses_its_values() -> None:
    line = (
        "register resource outputs prepared: urn=urn:pulumi:demo::p::paas:components:Postgres::db, "
        f"props=fields {{ key: 'connection_string' value {{ string_value: '{SECRET}' }} }}"
    )
    got = without_values(line)
    assert SECRET not in got
    assert got == (
        "register resource outputs prepared: urn=urn:pulumi:demo::p::paas:components:Postgres::db, "
        f"props={LEFT_OUT}"
    )
    multi = without_values(
        f"resource registration successful: urn=u, props={SECRET}\nmore {SECRET}"
    )
    assert SECRET not in multi
    translated = without_values(f"incoming output value translated: {SECRET} -> {SECRET}")
    assert translated == f"incoming output value translated: {LEFT_OUT}"
    plain = "resource registration prepared: ty=paas:components:Postgres, name=db"
    assert without_values(plain) == plain


def test_the_wrapper_is_installed_once_and_passes_the_rest_through(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[str, Any]] = []

    def engine_debug(msg: str, resource: Any = None, *_rest: Any, **_kw: Any) -> None:
        seen.append((msg, resource))

    monkeypatch.setattr(pulumi.log, "debug", engine_debug)
    quiet_sdk_debug()
    quiet_sdk_debug()  # a second component: no second wrapper
    wrapped = pulumi.log.debug
    assert wrapped is not engine_debug
    marker: Any = "res"  # stands in for the resource the SDK passes
    pulumi.log.debug(f"register resource outputs prepared: urn=u, props={SECRET}", marker)
    pulumi.log.debug("getting resource: urn=u")
    assert seen == [
        (f"register resource outputs prepared: urn=u, props={LEFT_OUT}", "res"),
        ("getting resource: urn=u", None),
    ]
    quiet_sdk_debug()
    assert pulumi.log.debug is wrapped


def test_the_sdk_still_logs_outputs_through_pulumi_log_debug() -> None:
    """The filter is worth something only while the SDK logs those lines through the module:
    if a new pin logs them otherwise, this fails and the filter must follow."""
    source = (Path(pulumi.__file__).parent / "runtime" / "resource.py").read_text()
    assert re.search(r'log\.debug\(\s*f"register resource outputs prepared: .*props=', source)


def test_no_workflow_or_preview_command_runs_pulumi_in_a_mode_that_prints_secrets() -> None:
    """Workflows: no line sets such a flag or variable. The preview command: no such flag among
    its arguments (it names PULUMI_DEBUG_GRPC only to refuse it, tested in test_commands)."""
    offenders = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for path in sorted((REPO / ".github" / "workflows").glob("*.yml"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if LEAKING_FLAGS.search(line)
    ]
    offenders += [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for path in sorted((REPO / "paas_stacks" / "preview").glob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if LEAKING_ARGUMENT.search(line)
    ]
    assert offenders == []
