"""Each test session's own base temp dir, so two sessions on one machine never share, or change
the permissions of, a directory the other's sandbox PostgreSQL lives under.

The rule that matters here: without ``--basetemp`` a session's temp dirs live in a directory
named after this session's process and nobody else's. pytest's default root,
``/tmp/pytest-of-<user>``, is shared by every session of the user and reset to 0700 by each one
that starts; as root the sandbox runs PostgreSQL as ``postgres``, which then can no longer reach
a running session's cluster (``pg_ctl`` refuses it, the server is left behind). ``--basetemp``
still wins. Like pytest, the dirs of the last few finished sessions are kept for a look after a
failure; older ones are removed, and a running session's never.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
from pathlib import Path

PREFIX = "paas-stacks-pytest-"
_NAME = re.compile(rf"^{re.escape(PREFIX)}(?P<uid>\d+)-(?P<pid>\d+)-[0-9a-f]+$")


def session_dir(root: Path | None = None, *, keep: int = 3) -> Path:
    """A path for this session's base temp dir under ``root`` (where pytest would put its own:
    ``PYTEST_DEBUG_TEMPROOT``, else the system temp dir), not yet created (pytest creates it,
    0700); finished sessions' dirs beyond the newest ``keep`` go."""
    where = Path(root or os.environ.get("PYTEST_DEBUG_TEMPROOT") or tempfile.gettempdir())
    prune(where, keep=keep)
    return where / f"{PREFIX}{os.getuid()}-{os.getpid()}-{secrets.token_hex(4)}"


def prune(root: Path, *, keep: int) -> list[Path]:
    """Remove this user's finished sessions' dirs but the newest ``keep``; the removed ones."""
    finished = []
    for path in root.glob(f"{PREFIX}*"):
        match = _NAME.match(path.name)
        if match is None or int(match["uid"]) != os.getuid() or path.is_symlink():
            continue
        if not _running(int(match["pid"])):
            finished.append(path)
    finished.sort(key=lambda path: path.stat().st_mtime, reverse=True)
    removed = finished[keep:]
    for path in removed:
        shutil.rmtree(path, ignore_errors=True)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True
