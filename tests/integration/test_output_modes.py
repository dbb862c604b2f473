"""Every way a user runs the CLI on the demo, scanned for every secret it handed out.

``up``, ``preview --diff``, ``refresh``, ``stack output``, history, config, the ``--json`` modes,
``--debug``, ``-v=9`` and ``PULUMI_DEBUG_GRPC`` run against the sandbox; their stdout, stderr and
any file they write are searched for the database password and URL, the Redis password and URL,
the Supabase service_role key, the generated ``JWT_SECRET``/``SESSION_SECRET`` and the API tokens.

The README's security section lists the modes that print secrets. The list must be exactly the
modes that do: a mode that leaks and is not listed fails, and so does a listed mode that no
longer leaks (the list would then scare users off a safe mode).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from pulumi import automation as auto

from sandbox import Sandbox
from tests.conftest import SandboxFactory
from tests.engine import credentials, handed_out_secrets
from tests.integration.test_seed_stacks_engine import project_copy
from tests.integration.test_takeover import render_env

pytestmark = pytest.mark.engine

README = Path(__file__).resolve().parents[2] / "README.md"
#: The Render env vars whose values are secret (SUPABASE_URL and the anon key are public).
SECRET_ENV = (
    "JWT_SECRET",
    "SESSION_SECRET",
    "DATABASE_URL",
    "REDIS_URL",
    "SUPABASE_SERVICE_ROLE_KEY",
)
UP = ("up", "--yes", "--skip-preview")
#: Each mode: the CLI arguments, and whether it writes a file (PULUMI_DEBUG_GRPC's log).
MODES: dict[str, tuple[str, ...]] = {
    "up": UP,
    "preview --diff": ("preview", "--diff"),
    "refresh": ("refresh", "--yes", "--skip-preview"),
    "stack output": ("stack", "output"),
    "stack output --json": ("stack", "output", "--json"),
    "stack history": ("stack", "history"),
    "config": ("config",),
    "up --json": (*UP, "--json"),
    "preview --json": ("preview", "--json"),
    "--debug": (*UP, "--debug"),
    "-v": (*UP, "-v=9", "--logtostderr"),
    "PULUMI_DEBUG_GRPC": UP,
}


def documented_modes() -> set[str]:
    """The modes the README's security section says print secrets: its bulleted list under
    "Output modes that print secrets", each bullet's first code span."""
    text = README.read_text()
    section = text.split("### Output modes that print secrets", 1)[1].split("\n#", 1)[0]
    return {m.group(1) for m in re.finditer(r"(?m)^- `([^`]+)`", section)}


def secrets_of(sandbox: Sandbox) -> dict[str, str]:
    """What to look for, by a name that may be printed (the value never is)."""
    found = {f"sandbox secret #{i}": v for i, v in enumerate(handed_out_secrets(sandbox))}
    found |= {f"API credential #{i}": v for i, v in enumerate(credentials(sandbox))}
    for service, env in render_env(sandbox).items():
        for key in SECRET_ENV:
            if env.get(key):
                found[f"{service} {key}"] = env[key]
    return found


def test_the_documented_list_of_leaking_modes_is_exactly_the_modes_that_leak(
    tmp_path: Path,
    file_backend: Path,
    make_sandbox: type[SandboxFactory],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sandbox = make_sandbox.start(state_dir=tmp_path / "sandbox")
    for key, value in sandbox.env().items():
        monkeypatch.setenv(key, value)
    project = project_copy(tmp_path)
    stack = auto.create_stack("demo", work_dir=str(project))
    stack.set_config("paas-stacks:offline", auto.ConfigValue("true"))
    env = {**os.environ, **stack.workspace.env_vars}

    def run(args: tuple[str, ...], **extra: str) -> str:
        done = subprocess.run(
            ["pulumi", "--non-interactive", "--stack", "demo", "--color", "never", *args],
            cwd=project,
            env={**env, **extra},
            capture_output=True,
            text=True,
            check=False,
        )
        # The output is never shown: it may hold the very secrets this test looks for.
        assert done.returncode == 0, f"pulumi {' '.join(args)} exited {done.returncode}"
        return done.stdout + done.stderr

    outputs = {"up (create)": run(UP)}
    secrets = secrets_of(sandbox)
    assert len([name for name in secrets if "JWT_SECRET" in name]) == 2, sorted(secrets)
    assert any("DATABASE_URL" in name for name in secrets)
    assert any("SUPABASE_SERVICE_ROLE_KEY" in name for name in secrets)
    for mode, args in MODES.items():
        if mode == "PULUMI_DEBUG_GRPC":
            log = tmp_path / "grpc.log"
            printed = run(args, PULUMI_DEBUG_GRPC=str(log))
            outputs[mode] = printed + log.read_text()
        else:
            outputs[mode] = run(args)
    outputs["destroy"] = run(("destroy", "--yes", "--skip-preview"))

    leaked = {
        mode: sorted(name for name, value in secrets.items() if value in text)
        for mode, text in outputs.items()
    }
    leaking = {mode for mode, names in leaked.items() if names}
    documented = documented_modes()
    print({mode: names for mode, names in leaked.items() if names})
    assert leaking - documented == set(), f"modes that print secrets, not in the README: {leaked}"
    assert documented - leaking == set(), "the README lists modes that no longer print secrets"
    assert documented <= set(MODES), "a documented mode this test does not run"
