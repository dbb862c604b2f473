"""Fixtures every tier shares: the sandbox (one per session, or fresh ones per test) and the real
Pulumi CLI on a throw-away ``file://`` backend.

A missing or mismatched CLI is an error, never a skip: CI builds the CLI in ``make setup``.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from importlib.metadata import version
from pathlib import Path

import pytest
from pulumi import automation as auto

from sandbox import Sandbox, SandboxConfig
from sandbox.core.context import Delays
from sandbox.core.faults import FaultSettings
from tests.engine import EngineRun
from tests.session_temp import session_dir

NO_DELAYS = Delays(deploy=0, database=0, project=0, machine=0)
PASSPHRASE = "engine-test-passphrase"


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Without ``--basetemp``, this session's temp dirs are its own (``tests/session_temp.py``):
    pytest's shared root would be reset under a running session's sandbox PostgreSQL."""
    if config.option.basetemp is None:
        keep = int(config.getini("tmp_path_retention_count"))
        config.option.basetemp = str(session_dir(keep=keep))


class ManualClock:
    """A clock that moves only when the test says: ``SandboxConfig(clock=ManualClock(600.0))``
    puts a rate-limit burst at the start of a window, wherever in the real minute it runs."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """All four emulators, no provisioning delays, rate limits off (tests that need them on use
    ``make_sandbox``)."""
    config = SandboxConfig(
        state_dir=tmp_path_factory.mktemp("sandbox"), delays=NO_DELAYS, rate_limits=False
    )
    with Sandbox(config) as running:
        yield running


@pytest.fixture
def make_sandbox(tmp_path: Path) -> Iterator[type[SandboxFactory]]:
    """Start sandboxes with custom settings in this test's temp dir; all stopped afterwards."""
    started: list[Sandbox] = []

    class Factory(SandboxFactory):
        @staticmethod
        def start(**settings: object) -> Sandbox:
            settings.setdefault("state_dir", tmp_path / "state")
            settings.setdefault("delays", NO_DELAYS)
            running = Sandbox(SandboxConfig(**settings))  # type: ignore[arg-type]
            running.start()
            started.append(running)
            return running

    yield Factory
    for running in started:
        running.stop()


class SandboxFactory:
    """Type of the ``make_sandbox`` fixture: ``make_sandbox.start(rate_limits=True, ...)``."""

    @staticmethod
    def start(**settings: object) -> Sandbox:
        raise NotImplementedError


@pytest.fixture(scope="session")
def pulumi_cli() -> str:
    """The path of a Pulumi CLI whose version matches the installed SDK."""
    cli = shutil.which("pulumi")
    if cli is None:
        pytest.fail("the Pulumi CLI is not on PATH: run `make setup` and `source scripts/env.sh`")
    reported = subprocess.run([cli, "version"], capture_output=True, text=True, check=True)
    if reported.stdout.strip() != f"v{version('pulumi')}":
        pytest.fail(f"{cli} reports {reported.stdout.strip()}, the SDK is {version('pulumi')}")
    return cli


@pytest.fixture
def file_backend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pulumi_cli: str) -> Path:
    """Point the CLI at a fresh local state directory with a known passphrase."""
    state = tmp_path / "state"
    state.mkdir()
    monkeypatch.setenv("PULUMI_BACKEND_URL", f"file://{state}")
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("PULUMI_CONFIG_PASSPHRASE_FILE", raising=False)
    monkeypatch.setenv("PULUMI_SKIP_UPDATE_CHECK", "true")
    return state


@pytest.fixture(scope="session")
def engine_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """The sandbox the engine tests share: no delays, rate limits off, faults off between tests."""
    config = SandboxConfig(
        state_dir=tmp_path_factory.mktemp("engine-sandbox"), delays=NO_DELAYS, rate_limits=False
    )
    with Sandbox(config) as running:
        yield running


@pytest.fixture
def engine(
    engine_sandbox: Sandbox, file_backend: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[type[EngineFactory]]:
    """``engine.stack(name, program, config)``: inline-program stacks pointed at the sandbox.

    Whatever a test leaves behind is destroyed afterwards so the next test starts clean.
    """
    for key, value in engine_sandbox.env().items():
        monkeypatch.setenv(key, value)
    engine_sandbox.set_faults(FaultSettings())
    runs: list[EngineRun] = []

    class Factory(EngineFactory):
        @staticmethod
        def stack(
            name: str, program: Callable[[], None], config: dict[str, str] | None = None
        ) -> EngineRun:
            stack = auto.create_stack(name, project_name=name, program=program)
            run = EngineRun(stack, engine_sandbox)
            run.set_config(**(config or {}))
            runs.append(run)
            return run

    yield Factory
    engine_sandbox.set_faults(FaultSettings())
    for run in runs:
        run.stack.destroy(on_output=lambda _line: None)
        run.stack.workspace.remove_stack(run.stack.name)


class EngineFactory:
    """Type of the ``engine`` fixture."""

    @staticmethod
    def stack(
        name: str, program: Callable[[], None], config: dict[str, str] | None = None
    ) -> EngineRun:
        raise NotImplementedError
