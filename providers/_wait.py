"""Bounded polling for the vendor operations that finish later (deploys, projects, deletions).

The rule that matters here: every wait ends. Between checks the delay doubles up to a cap, and
the wait gives up before a sleep would take it past its limit, counting the larger of the time
slept and the time passed: real time includes the checks themselves, and the time slept still
ends a wait whose injected sleep does not sleep (unit tests).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

__all__ = ["PROJECT_PROVISIONING", "PROVISIONING", "Backoff", "poll_until"]

T = TypeVar("T")


@dataclass(frozen=True)
class Backoff:
    """The delays between checks: ``first``, then doubled after each check, at most ``cap``."""

    first: float = 1.0
    cap: float = 15.0


#: For provisioning that finishes on its own (a Render deploy or database): 1 s, then every
#: 1.5 s, so something that is ready waits at most 1.5 s to be noticed (doubling to 15 s
#: overshot a 15 s deploy by up to 15 s). That is 40 GETs a minute per waiting object: ten
#: objects of one API key waiting at once stay inside Render's 400 GETs a minute per key.
PROVISIONING = Backoff(first=1.0, cap=1.5)
#: A Supabase project: every second (a 1, 3, 7, 15 s schedule overshot a 20 s provisioning by
#: ~10 s). Supabase counts per project and endpoint, so 60 a minute is half of its 120/min
#: budget however many projects wait at once.
PROJECT_PROVISIONING = Backoff(first=1.0, cap=1.0)


def poll_until(
    check: Callable[[], T],
    done: Callable[[T], bool],
    *,
    limit: float,
    sleep: Callable[[float], None],
    say: Callable[[T, float, float], None],
    timeout: Callable[[T, float], T],
    backoff: Backoff = Backoff(),
    clock: Callable[[], float] = time.monotonic,
) -> T:
    """Call ``check`` until ``done`` holds for its answer, and return that answer.

    ``check`` raises for an answer that can never become done (a failed deploy). Before each
    sleep, ``say(answer, waited, delay)`` tells the person waiting; when the next sleep would
    pass ``limit`` seconds, ``timeout(answer, waited)`` raises or returns what to settle for.
    """
    started, slept, delay = clock(), 0.0, backoff.first
    while True:
        answer = check()
        if done(answer):
            return answer
        waited = max(slept, clock() - started)
        if waited + delay > limit:
            return timeout(answer, waited)
        say(answer, waited, delay)
        sleep(delay)
        slept += delay
        delay = min(delay * 2, backoff.cap)
