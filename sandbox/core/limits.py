"""Fixed-window rate limiting, the way the vendors document theirs (N requests per window).

Each vendor decides the key (endpoint, service, machine...) and the numbers; this module only
counts. Windows align to the clock so the reset time is the same for every caller.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    """One rate-limit verdict, with what the response headers report."""

    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int


class RateLimiter:
    """Counts hits per (key, window); switch it off to make every request allowed."""

    def __init__(self, enabled: bool = True, clock: Callable[[], float] = time.monotonic) -> None:
        self.enabled = enabled
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, int], int] = {}

    def hit(self, key: str, limit: int, window_seconds: float) -> Decision:
        """Count one request against ``key``; allowed while the window has room."""
        now = self._clock()
        window = int(now // window_seconds)
        reset = max(1, math.ceil((window + 1) * window_seconds - now))
        if not self.enabled:
            return Decision(True, limit, limit, reset)
        with self._lock:
            used = self._windows.get((key, window), 0)
            if used >= limit:
                return Decision(False, limit, 0, reset)
            self._windows[(key, window)] = used + 1
            if len(self._windows) > 10_000:
                self._forget_old(window)
        return Decision(True, limit, limit - used - 1, reset)

    def _forget_old(self, current: int) -> None:
        for stale in [k for k in self._windows if k[1] < current - 1]:
            del self._windows[stale]
