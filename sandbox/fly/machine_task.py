"""One-off ("task") machines: ``restart.policy: no`` plus an ``init.cmd``, as a release command
or ``fly machine run --rm`` creates them.

Nothing is executed. Once such a machine is started its command "runs" for ``delays.machine``
seconds, then it stops with an ``exit`` event carrying the exit code; with ``auto_destroy`` it is
destroyed at that same instant. The exit code is read from the command itself (``exit N`` as the
last argument, e.g. ``sh -c "exit 3"``), else from the env var ``SANDBOX_EXIT_CODE``, else 0, so
tests can make a release command fail without any process. These are pure functions over the
stored machine; ``machine_state`` applies what they return, lazily, like every other transition.
"""

from __future__ import annotations

import re
from typing import Any

from sandbox.fly.util import iso

__all__ = ["EXIT_CODE_ENV", "Step", "auto_destroys", "exit_code", "follow_up", "is_task"]

#: Env var that decides the exit code of a command that does not say ``exit N`` itself.
EXIT_CODE_ENV = "SANDBOX_EXIT_CODE"
_EXIT = re.compile(r"\s*exit\s+(\d+)\s*")

#: A transition to schedule: (state, event type, when, event ``request`` or None).
Step = tuple[str, str, float, dict[str, Any] | None]


def is_task(config: dict[str, Any]) -> bool:
    """Runs its command once and is never restarted: the only machines that exit on their own."""
    restart = config.get("restart") or {}
    init = config.get("init") or {}
    return restart.get("policy") == "no" and bool(init.get("cmd"))


def auto_destroys(config: dict[str, Any]) -> bool:
    return is_task(config) and config.get("auto_destroy") is True


def exit_code(config: dict[str, Any]) -> int:
    """``exit N`` as the last argument wins, then ``SANDBOX_EXIT_CODE``, then 0 (a clean exit)."""
    cmd = (config.get("init") or {}).get("cmd") or []
    if cmd and (match := _EXIT.fullmatch(str(cmd[-1]))):
        return int(match.group(1)) % 256  # what a POSIX shell makes of ``exit 300``
    raw = str((config.get("env") or {}).get(EXIT_CODE_ENV, "")).strip()
    return int(raw) % 256 if raw.isdigit() else 0


def exit_request(config: dict[str, Any], at: float) -> dict[str, Any]:
    """The event ``request`` flyd logs on exit: fly-go's ``MachineRequest{exit_event, ...}``."""
    code = exit_code(config)
    # Signal fields are left out: nothing was signalled, and fly-go reads them as omitempty.
    exit_event = {
        "exit_code": code,
        "guest_exit_code": code,
        "oom_killed": False,
        "requested_stop": False,
        "restarting": False,
        "exited_at": iso(at),
    }
    return {"exit_event": exit_event, "restart_count": 0}


def follow_up(
    config: dict[str, Any], state: str, kind: str, at: float, delay: float
) -> Step | None:
    """What a task machine does after reaching ``state`` at ``at``: its command exits ``delay``
    later, and an exited machine with ``auto_destroy`` is destroyed at once. ``None`` for
    every other machine and state, which keeps their behaviour unchanged."""
    if not is_task(config):
        return None
    if state == "started":
        done = at + delay
        return "stopped", "exit", done, exit_request(config, done)
    if state == "stopped" and kind == "exit" and auto_destroys(config):
        return "destroyed", "destroy", at, None
    return None
