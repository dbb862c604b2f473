"""Two test sessions on one machine: one starting while the other's sandbox runs leaves that
sandbox's PostgreSQL directories alone (as root the server runs as ``postgres``, which must
still reach them)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg

from tests.sandbox.conftest import SandboxFactory

ROOT = Path(__file__).resolve().parents[2]
#: A quick test that uses ``tmp_path``, so the second session makes its base temp dir.
SECOND = "tests/unit/test_session_temp.py::test_a_new_session_dir_is_fresh_and_its_own"


def test_a_second_session_starting_leaves_this_sessions_postgres_reachable(
    make_sandbox: type[SandboxFactory], tmp_path: Path
) -> None:
    running = make_sandbox.start(vendors=("render",), rate_limits=False)
    data = running.postgres.data
    modes = {parent: parent.stat().st_mode for parent in data.parents}
    second = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", SECOND],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert second.returncode == 0, second.stdout[-2000:]
    assert {parent: parent.stat().st_mode for parent in data.parents} == modes
    database = running.postgres.create_database("side_by_side", "side_by_side", "pw-side")
    with psycopg.connect(database.url(), connect_timeout=10) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    # pg_ctl runs as ``postgres`` with the absolute data path: the check that failed before.
    running.stop()
    again = make_sandbox.start(vendors=("render",), rate_limits=False, state_dir=tmp_path / "state")
    assert again.postgres.database_names() == ["side_by_side"]
