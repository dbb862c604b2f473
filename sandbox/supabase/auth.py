"""Who is calling, and whether they still have budget: every route depends on ``caller``.

A bearer token belongs to exactly one organization (its slug is the workspace id). Rate limits
are the documented 120 requests per minute per user, per project (or organization), per
endpoint; ``POST .../database/migrations`` gets 120 per 3 minutes. Once a window is spent every
further call to that endpoint is refused until the window resets, which a fixed window gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.routing import APIRoute

from sandbox.core.context import VendorContext
from sandbox.core.limits import Decision
from sandbox.supabase.errors import ApiError

LIMIT = 120
WINDOW_SECONDS = 60.0
#: (method, route) -> (limit, window seconds) where the docs name a stricter budget.
STRICTER = {("POST", "/v1/projects/{ref}/database/migrations"): (120, 180.0)}


@dataclass(frozen=True)
class Caller:
    """An authenticated request: its token and the organization slug the token belongs to."""

    token: str
    org: str
    ctx: VendorContext


def context(request: Request) -> VendorContext:
    ctx: VendorContext = request.app.state.ctx
    return ctx


def rate_headers(decision: Decision) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(decision.limit),
        "X-RateLimit-Remaining": str(decision.remaining),
        "X-RateLimit-Reset": str(decision.reset_seconds),
    }


def caller(request: Request) -> Caller:
    """401 without a known bearer token; 429 once the endpoint's window is spent."""
    ctx = context(request)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    org = ctx.tokens.get(token.strip()) if scheme.lower() == "bearer" else None
    if org is None:
        raise ApiError(401, "Unauthorized")
    route = request.scope.get("route")
    template = route.path if isinstance(route, APIRoute) else request.url.path
    limit, window = STRICTER.get((request.method, template), (LIMIT, WINDOW_SECONDS))
    # Calls about a project count per project; the rest per organization (one per token here).
    scope = request.path_params.get("ref") or org
    decision = ctx.limiter.hit(f"{token}|{scope}|{request.method} {template}", limit, window)
    headers = rate_headers(decision)
    request.state.rate_headers = headers  # added to the response by the app's middleware
    if not decision.allowed:
        raise ApiError(429, "Too many requests", headers)
    return Caller(token.strip(), org, ctx)


#: Route parameter type: ``def route(who: CallerDep)``.
CallerDep = Annotated[Caller, Depends(caller)]
