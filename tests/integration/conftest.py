"""Engine fixtures: the real Pulumi CLI on a throw-away ``file://`` backend.

A missing or mismatched CLI is an error, never a skip: CI builds the CLI in ``make setup``.
"""

from __future__ import annotations

import shutil
import subprocess
from importlib.metadata import version
from pathlib import Path

import pytest

PASSPHRASE = "engine-test-passphrase"


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
