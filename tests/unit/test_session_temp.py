"""Each test session's base temp dir is its own, and only finished sessions' dirs are pruned."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.session_temp import PREFIX, prune, session_dir


def finished_pid() -> int:
    """The pid of a process that has already exited."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def make(root: Path, pid: int, age: int, uid: int | None = None) -> Path:
    path = root / f"{PREFIX}{os.getuid() if uid is None else uid}-{pid}-{age:08x}"
    path.mkdir()
    os.utime(path, (1_000_000 - age, 1_000_000 - age))
    return path


def test_this_sessions_base_temp_is_named_for_this_process_unless_basetemp_was_given(
    tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config
) -> None:
    basetemp = tmp_path_factory.getbasetemp()
    assert "pytest-of-" not in str(basetemp)
    if basetemp.name.startswith(PREFIX):
        assert basetemp.name.startswith(f"{PREFIX}{os.getuid()}-{os.getpid()}-")
    else:  # --basetemp wins
        assert basetemp == Path(pytestconfig.option.basetemp).resolve()


def test_a_new_session_dir_is_fresh_and_its_own(tmp_path: Path) -> None:
    first, second = session_dir(tmp_path), session_dir(tmp_path)
    assert first != second
    assert not first.exists()  # pytest creates it, 0700
    assert first.parent == tmp_path
    assert first.name.startswith(f"{PREFIX}{os.getuid()}-{os.getpid()}-")


def test_only_finished_sessions_beyond_the_newest_are_removed(tmp_path: Path) -> None:
    dead = finished_pid()
    running = make(tmp_path, os.getpid(), age=100)  # oldest, but its session still runs
    newest, middle, oldest = (make(tmp_path, dead, age) for age in (1, 2, 3))
    other_user = make(tmp_path, dead, age=4, uid=os.getuid() + 1)
    unrelated = tmp_path / "pytest-of-someone"
    unrelated.mkdir()
    assert sorted(prune(tmp_path, keep=1)) == sorted([middle, oldest])
    assert set(tmp_path.iterdir()) == {running, newest, other_user, unrelated}
