"""The fault suite: the demo stack (Render + Supabase + Upstash, offline) through the real engine
against a sandbox that misbehaves, and a ``pulumi up`` killed with SIGKILL half-way.

Each case ends converged: the sandbox holds exactly one object per resource of the graph, a
``refresh`` changes nothing and writes nothing, the plain state export holds no secret value, and
``destroy`` leaves the sandbox as it found it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from pulumi import automation as auto

from sandbox import Sandbox
from sandbox.core.context import Delays
from sandbox.core.faults import FaultSettings
from tests.conftest import SandboxFactory
from tests.engine import EngineRun, changes
from tests.integration.test_seed_stacks_engine import project_copy

pytestmark = pytest.mark.engine

#: The demo's vendor objects after one clean ``up``: sandbox kind -> count (a deploy per service,
#: the project's four API keys, its owner-marker function secret).
DEMO_OBJECTS = {
    "render/service": 2,
    "render/deploy": 2,
    "supabase/project": 1,
    "supabase/api_key": 4,
    "supabase/secret": 1,
    "upstash/database": 1,
}
#: The demo's vendor resources in the state, by type.
DEMO_RESOURCES = {
    "render:Service": 2,
    "supabase:Project": 1,
    "supabase:DatabaseConfig": 1,
    "supabase:Migrations": 1,
    "upstash:RedisDatabase": 1,
}


@dataclass
class Demo:
    run: EngineRun
    project: Path
    sandbox: Sandbox
    before: dict[str, int]

    def up_until_done(self, attempts: int = 3) -> int:
        """``pulumi up`` again after a failure, as a user would; how many runs it took."""
        for attempt in range(1, attempts + 1):
            try:
                result, _ = self.run.up()
            except auto.CommandError:
                continue
            assert result.summary.result == "succeeded"
            return attempt
        raise AssertionError(f"the stack did not converge in {attempts} runs of up")


def start_demo(sandbox: Sandbox, project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Demo:
    for key, value in sandbox.env().items():
        monkeypatch.setenv(key, value)
    project = project_copy(project_dir)
    stack = auto.create_stack("demo", work_dir=str(project))
    stack.set_config("paas-stacks:offline", auto.ConfigValue("true"))
    return Demo(EngineRun(stack, sandbox), project, sandbox, sandbox.objects())


@pytest.fixture
def demo(
    tmp_path: Path,
    file_backend: Path,
    make_sandbox: type[SandboxFactory],
    monkeypatch: pytest.MonkeyPatch,
) -> Demo:
    """The demo stack on a fresh sandbox with the vendors' rate limits on."""
    sandbox = make_sandbox.start(state_dir=tmp_path / "sandbox", rate_limits=True)
    return start_demo(sandbox, tmp_path, monkeypatch)


def vendor_resources(run: EngineRun) -> dict[str, int]:
    counts: dict[str, int] = {}
    for resource in run.resources():
        kind = str(resource["type"]).removeprefix("pulumi-python:dynamic/")
        if kind.split(":")[0] in ("render", "fly", "supabase", "upstash"):
            counts[kind] = counts.get(kind, 0) + 1
    return counts


def assert_converged(demo: Demo) -> None:
    demo.sandbox.set_faults(FaultSettings())
    objects = demo.sandbox.objects()
    assert objects == {**demo.before, **DEMO_OBJECTS}
    assert vendor_resources(demo.run) == DEMO_RESOURCES

    refreshed, calls = demo.run.refresh()
    assert changes(refreshed) == {}
    assert calls.writes() == 0

    outputs = demo.run.outputs()
    secrets = [outputs["DATABASE_URL"], outputs["REDIS_URL"], *outputs["connections"].values()]
    demo.run.assert_state_hides(secrets, [demo.sandbox.token(v) for v in ("render", "supabase")])

    gone, _ = demo.run.destroy()
    assert gone.summary.result == "succeeded"
    assert demo.sandbox.objects() == demo.before


def test_one_answer_in_five_a_503_the_stack_still_converges(demo: Demo) -> None:
    demo.sandbox.set_faults(FaultSettings(error_rate=0.2, seed=5))
    runs = demo.up_until_done()
    statuses = [
        e.status for v in ("render", "supabase", "upstash") for e in demo.sandbox.log(v).entries()
    ]
    assert 503 in statuses
    print(f"5xx: converged after {runs} up run(s)")
    assert_converged(demo)


def test_429_bursts_with_retry_after_are_waited_out_in_one_up(demo: Demo) -> None:
    demo.sandbox.set_faults(FaultSettings(burst_429=4, retry_after=1))
    assert demo.up_until_done(attempts=1) == 1
    assert 429 in [e.status for e in demo.sandbox.log("render").entries()]
    assert_converged(demo)


def test_added_latency_only_slows_the_up(demo: Demo) -> None:
    demo.sandbox.set_faults(FaultSettings(latency=0.2))
    assert demo.up_until_done(attempts=1) == 1
    assert_converged(demo)


def test_answers_lost_after_the_write_committed_create_no_duplicate(demo: Demo) -> None:
    demo.sandbox.set_faults(FaultSettings(lost_response_rate=0.3, seed=3))
    runs = demo.up_until_done()
    lost = [
        e
        for v in ("render", "supabase", "upstash")
        for e in demo.sandbox.log(v).entries()
        if e.lost
    ]
    assert lost, "the fault did drop answers"
    print(f"lost answers: {len(lost)}, converged after {runs} up run(s)")
    assert_converged(demo)


def test_a_killed_up_recovers_with_refresh_clear_pending_creates_and_up(
    tmp_path: Path,
    file_backend: Path,
    make_sandbox: type[SandboxFactory],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What the README tells users: ``pulumi cancel`` (it removes a file backend's lock too),
    ``pulumi refresh --clear-pending-creates``, then ``pulumi up`` (creates adopt by name)."""
    slow = Delays(deploy=3, database=0, project=3, machine=0)
    sandbox = make_sandbox.start(state_dir=tmp_path / "sandbox", rate_limits=True, delays=slow)
    demo = start_demo(sandbox, tmp_path, monkeypatch)
    cli = ["pulumi", "--non-interactive", "--stack", "demo"]
    env = {**os.environ, **demo.run.stack.workspace.env_vars}
    assert sigkill_up_after_first_create(cli, demo.project, sandbox, env) == -signal.SIGKILL

    def pulumi(*args: str) -> str:
        done = subprocess.run(
            [*cli, *args], cwd=demo.project, env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    # The killed CLI left its lock (the next command says so and names `pulumi cancel`) and
    # the creates it had started as pending operations.
    pulumi("cancel", "--yes")
    pending = json.loads(pulumi("stack", "export"))["deployment"].get("pending_operations")
    assert pending, "the kill came before any create started"
    pulumi("refresh", "--yes", "--skip-preview", "--clear-pending-creates")
    assert demo.up_until_done(attempts=1) == 1
    assert_converged(demo)


def sigkill_up_after_first_create(
    cli: list[str], cwd: Path, sandbox: Sandbox, env: dict[str, str] | None = None
) -> int:
    """Start ``up``, SIGKILL the CLI once its first create reached the sandbox; its exit code."""
    up = subprocess.Popen(
        [*cli, "up", "--yes", "--skip-preview"],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    plugins: list[int] = []
    try:
        wait_for_first_create(sandbox)
        plugins = descendants(up.pid)
        os.kill(up.pid, signal.SIGKILL)
        up.wait(timeout=30)
    finally:
        # The CLI is dead; its language host and provider processes (each in a process group
        # of its own) are ours to stop too, or they outlive the test.
        for pid in [up.pid, *plugins]:
            with_group_killed(pid)
    return up.returncode


def wait_for_first_create(sandbox: Sandbox, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        posts = [
            e
            for v in ("render", "supabase")
            for e in sandbox.log(v).entries()
            if e.method == "POST"
        ]
        if posts:
            time.sleep(0.5)
            return
        time.sleep(0.05)
    raise AssertionError("the up made no create call in time")


def with_group_killed(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(os.getpgid(pid), signal.SIGKILL)


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (read from /proc, as the plugins start their own groups)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        children = [child for child, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found
