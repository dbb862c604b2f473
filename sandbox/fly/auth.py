"""Bearer auth: ``Authorization: Bearer <token>``, or ``FlyV1 <token>`` as fly-go sends for
macaroon tokens. Checked before routing and body parsing, so a bad token is always a 401."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

from sandbox.core.context import VendorContext
from sandbox.fly.errors import FlyError, error_response

_SCHEMES = ("bearer", "flyv1")


def token_of(header: str) -> str | None:
    scheme, _, token = header.strip().partition(" ")
    return token.strip() if scheme.lower() in _SCHEMES and token.strip() else None


def install(app: FastAPI, ctx: VendorContext) -> None:
    @app.middleware("http")
    async def authenticate(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        token = token_of(request.headers.get("authorization", ""))
        if token is None or token not in ctx.tokens:
            return error_response(401, "unauthorized")
        request.state.org = ctx.tokens[token]
        return await call_next(request)


def org_of(request: Request) -> str:
    """FastAPI dependency: the org slug the request's token belongs to."""
    org = getattr(request.state, "org", None)
    if not isinstance(org, str):
        raise FlyError(401, "unauthorized")
    return org


def resolve_org(own: str, requested: str) -> str:
    """``personal`` is the token's own org; naming any other org is refused like an unknown one."""
    if requested in ("personal", own):
        return own
    raise FlyError(404, f"organization {requested} not found")
