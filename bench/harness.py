"""What every stack benchmark shares: a copy of the project, a sandbox, and timed ``pulumi`` runs.

The rule that matters here: a figure is one real CLI command (``pulumi up --skip-preview ...``)
timed from outside, and its vendor calls are the sandbox's request log between the two marks, so
what is reported is what a user's terminal and the vendor would see. The floor runs the same
commands with ``PAAS_STACKS_FLOOR=1`` (see ``providers/floor.py``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sandbox import Sandbox, SandboxConfig
from sandbox.core.context import Delays

REPO = Path(__file__).resolve().parents[1]
VENDORS = ("render", "fly", "supabase", "upstash")
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SANDBOX_ORG = "acme-sandbox-org"
PASSPHRASE = "paas-stacks-bench"  # noqa: S105 (a throw-away local backend)
#: What each method runs; ``up`` and ``noop_up`` are the same command on different states.
COMMANDS: dict[str, list[str]] = {
    "preview": ["preview"],
    "up": ["up", "--yes", "--skip-preview"],
    "noop_up": ["up", "--yes", "--skip-preview"],
    "refresh": ["refresh", "--yes", "--skip-preview"],
    "destroy": ["destroy", "--yes", "--skip-preview"],
}
METHODS = tuple(COMMANDS)


@dataclass
class Step:
    """One timed command: wall seconds and the vendor calls it made, per ``METHOD``."""

    seconds: float
    calls: dict[str, int] = field(default_factory=dict)
    routes: dict[str, int] = field(default_factory=dict)

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())

    @property
    def writes(self) -> int:
        return sum(n for method, n in self.calls.items() if method in WRITES)


@contextmanager
def sandbox(state: Path, rate_limits: bool = True) -> Iterator[Sandbox]:
    """The emulators in-process, every provisioning delay zero, the vendors' rate limits on."""
    delays = Delays(deploy=0, database=0, project=0, machine=0)
    with Sandbox(SandboxConfig(state_dir=state, delays=delays, rate_limits=rate_limits)) as sb:
        yield sb


def project_copy(target: Path, extra_stacks: Mapping[str, str] | None = None) -> Path:
    """The repo's program and stack files, pointed at the sandbox's Supabase organization."""
    project = target / "project"
    project.mkdir(parents=True)
    shutil.copy(REPO / "__main__.py", project)
    pulumi_yaml = (REPO / "Pulumi.yaml").read_text()
    (project / "Pulumi.yaml").write_text(
        pulumi_yaml.replace("virtualenv: .venv", f"virtualenv: {sys.prefix}")
    )
    shutil.copytree(REPO / "stacks", project / "stacks")
    for name, text in (extra_stacks or {}).items():
        (project / "stacks" / f"Pulumi.{name}.yaml").write_text(text)
    for stack_file in (project / "stacks").glob("Pulumi.*.yaml"):
        text = re.sub(
            r"organization: [\w-]+", f"organization: {SANDBOX_ORG}", stack_file.read_text()
        )
        # The committed salt belongs to the local passphrase; the bench backend has its own.
        stack_file.write_text(re.sub(r"(?m)^encryptionsalt: .*$", "", text))
    return project


class Workspace:
    """One stack of the copied project on its own ``file://`` backend, driven through the CLI."""

    def __init__(self, project: Path, stack: str, sb: Sandbox, floor: bool = False) -> None:
        self.project = project
        self.stack = stack
        self.sandbox = sb
        state = project.parent / f"state-{stack}-{'floor' if floor else 'real'}"
        state.mkdir(exist_ok=True)
        self.env = {
            **os.environ,
            **sb.env(),
            "PULUMI_BACKEND_URL": f"file://{state}",
            "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_SKIP_CONFIRMATIONS": "true",
            "PAAS_STACKS_FLOOR": "1" if floor else "0",
        }
        self.env.pop("PULUMI_CONFIG_PASSPHRASE_FILE", None)

    def pulumi(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = ["pulumi", *args, "--stack", self.stack, "--non-interactive", "--color", "never"]
        done = subprocess.run(
            command, cwd=self.project, env=self.env, capture_output=True, text=True, check=False
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout[-3000:]}{done.stderr}")
        return done

    def init(self, config: Mapping[str, str], secrets: Mapping[str, str]) -> None:
        subprocess.run(
            ["pulumi", "stack", "init", self.stack, "--non-interactive"],
            cwd=self.project,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        for key, value in config.items():
            self.pulumi("config", "set", key, value)
        for key, value in secrets.items():
            self.pulumi("config", "set", "--secret", key, value)

    def timed(self, method: str) -> Step:
        """Run one method's command; its wall time and the sandbox calls made meanwhile."""
        if method == "destroy":
            self.pulumi("state", "unprotect", "--all", "--yes", check=False)
        marks = {v: self.sandbox.log(v).last_seq() for v in VENDORS}
        started = time.perf_counter()
        self.pulumi(*COMMANDS[method])
        seconds = time.perf_counter() - started
        return Step(seconds, *_counted(self.sandbox, marks))

    def remove(self) -> None:
        self.pulumi("stack", "rm", "--yes", "--force", "--preserve-config", check=False)

    def state_resources(self) -> list[dict[str, Any]]:
        exported = json.loads(self.pulumi("stack", "export").stdout)
        return list(exported.get("deployment", {}).get("resources") or [])


def _counted(sb: Sandbox, marks: Mapping[str, int]) -> tuple[dict[str, int], dict[str, int]]:
    methods: dict[str, int] = {}
    routes: dict[str, int] = {}
    for vendor in VENDORS:
        for key, count in sb.log(vendor).counters(since=marks[vendor]).items():
            target = routes if " " in key else methods
            name = f"{vendor} {key}" if " " in key else key
            target[name] = target.get(name, 0) + count
    return methods, routes


def vendor_resources(resources: list[dict[str, Any]]) -> dict[str, int]:
    """``{"render:Service": 2, ...}``: dynamic vendor resources in a state, by type."""
    counts: dict[str, int] = {}
    for resource in resources:
        kind = str(resource.get("type", ""))
        match = re.fullmatch(r"pulumi-python:dynamic/(render|fly|supabase|upstash):(\w+)", kind)
        if match:
            key = f"{match.group(1)}:{match.group(2)}"
            counts[key] = counts.get(key, 0) + 1
    return counts


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def sequence(
    project: Path, stack: str, sb: Sandbox, floor: bool, secrets: Mapping[str, str]
) -> tuple[dict[str, Step], dict[str, int]]:
    """Every method once on a new stack (offline config), then the stack removed; with the vendor
    resources the state held after ``up``."""
    workspace = Workspace(project, stack, sb, floor=floor)
    workspace.init({"paas-stacks:offline": "true"}, secrets)
    steps: dict[str, Step] = {}
    kinds: dict[str, int] = {}
    for method in METHODS:
        steps[method] = workspace.timed(method)
        if method == "refresh":
            kinds = vendor_resources(workspace.state_resources())
    workspace.remove()
    return steps, kinds
