"""Sandbox fixtures: one shared sandbox for the suite, fresh ones for tests that need them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox import Sandbox, SandboxConfig
from sandbox.core.context import Delays

NO_DELAYS = Delays(deploy=0, database=0, project=0, machine=0)


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
