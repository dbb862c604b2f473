"""Fly's documented limits: 1 req/s per action per machine (or app), burst 3; Get Machine 5 req/s,
burst 10; app deletions 100/minute.

Approximation: the core limiter counts fixed windows, so "1/s with burst 3" becomes "3 per 1 s
window" and "5/s burst 10" becomes "10 per 1 s window". Fly documents no rate-limit headers or
Retry-After, so a 429 carries only the error body.
"""

from __future__ import annotations

from sandbox.core.context import VendorContext
from sandbox.fly.errors import FlyError

ACTION_BURST = 3
GET_MACHINE_BURST = 10
APP_DELETES_PER_MINUTE = 100


def check(ctx: VendorContext, action: str, scope: str, limit: int = ACTION_BURST) -> None:
    """Count one ``action`` against ``scope`` (a machine id, app name or org); 429 when over."""
    window = 60.0 if action == "app_delete" else 1.0
    decision = ctx.limiter.hit(f"fly:{action}:{scope}", limit, window)
    if not decision.allowed:
        raise FlyError(429, f"rate limit exceeded for {action}, try again later")
