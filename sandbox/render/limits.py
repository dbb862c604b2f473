"""Render's documented rate limits, with ``Ratelimit-Limit/Remaining/Reset`` on every answer.

- ``POST /services``: 20 per hour per workspace;
- ``PATCH /services/{id}``, ``POST .../deploys``, ``.../suspend``, ``.../resume``: 10 per minute
  per service (each action its own budget; whether they share one is UNCONFIRMED);
- every other write (POST/PUT/PATCH/DELETE): 30 per minute per API key;
- every GET: 400 per minute per API key (an older capture of the docs said 100).
``Ratelimit-Reset`` is sent as seconds until the window resets (the docs' example value);
the docs never mention ``Retry-After``, so it is not sent.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from fastapi import Request, Response

from sandbox.core.context import VendorContext
from sandbox.core.limits import Decision
from sandbox.render.common import bearer_token
from sandbox.render.errors import error_response

_PER_SERVICE = re.compile(r"^/v1/services/([^/]+)(/deploys|/suspend|/resume)?$")
HOUR, MINUTE = 3600.0, 60.0


def classify(method: str, path: str, token: str, owner: str) -> tuple[str, int, float]:
    """(bucket key, limit, window seconds) for one request."""
    if method == "POST" and path.rstrip("/") == "/v1/services":
        return f"create-service:{owner}", 20, HOUR
    match = _PER_SERVICE.match(path)
    if match and (method, match.group(2)) in (
        ("PATCH", None),
        ("POST", "/deploys"),
        ("POST", "/suspend"),
        ("POST", "/resume"),
    ):
        return f"{method}{match.group(2) or ''}:{match.group(1)}", 10, MINUTE
    if method in ("GET", "HEAD"):
        return f"read:{token}", 400, MINUTE
    return f"write:{token}", 30, MINUTE


def _headers(decision: Decision) -> dict[str, str]:
    return {
        "Ratelimit-Limit": str(decision.limit),
        "Ratelimit-Remaining": str(decision.remaining),
        "Ratelimit-Reset": str(decision.reset_seconds),
    }


def rate_limit_middleware(
    ctx: VendorContext,
) -> Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]:
    async def limit(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        token = bearer_token(request) or ""
        owner = ctx.tokens.get(token, token)
        key, limit_, window = classify(request.method, request.url.path, token, owner)
        decision = ctx.limiter.hit(key, limit_, window)
        if not decision.allowed:
            return error_response(429, "rate limit exceeded", headers=_headers(decision))
        response = await call_next(request)
        response.headers.update(_headers(decision))
        return response

    return limit
