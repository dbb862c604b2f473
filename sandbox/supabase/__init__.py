"""Supabase Management API emulator (``https://api.supabase.com``; the spec's paths carry /v1).

Tokens are bearer credentials each bound to one organization (slug); every project owns a real
PostgreSQL database, and so does every preview branch. See README.md for what is implemented and
where sources disagree.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

from sandbox.core.context import VendorContext
from sandbox.supabase import (
    actions,
    apikeys,
    billing,
    branches,
    config,
    database,
    migrations,
    network,
    organizations,
    postgrest,
    projects,
    secrets,
)
from sandbox.supabase.admin import admin_router
from sandbox.supabase.errors import install_error_handlers

__all__ = ["BASE_PATH", "DEFAULT_TOKENS", "admin_router", "client_env", "create_app"]

BASE_PATH = ""
#: credential -> organization slug. Not shaped like real ``sbp_`` personal access tokens.
DEFAULT_TOKENS: dict[str, str] = {
    "sandbox-supabase-token-acme": "acme-sandbox-org",
    "sandbox-supabase-token-acme-2": "acme-sandbox-org",
    "sandbox-supabase-token-globex": "globex-sandbox-org",
}


def create_app(ctx: VendorContext) -> FastAPI:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    app.state.ctx = ctx
    install_error_handlers(app)
    routers = (
        organizations,
        projects,
        branches,
        actions,
        apikeys,
        database,
        migrations,
        config,
        secrets,
        network,
        billing,
        postgrest,
    )
    for module in routers:
        app.include_router(module.router)

    @app.middleware("http")
    async def rate_limit_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        # ``auth.caller`` leaves the verdict on request.state; every answer carries it.
        response = await call_next(request)
        response.headers.update(getattr(request.state, "rate_headers", {}))
        return response

    return app


def client_env(base_url: str, token: str) -> dict[str, str]:
    """What the paas-stacks Supabase provider (and the Supabase CLI) read."""
    return {"SUPABASE_API_URL": base_url, "SUPABASE_ACCESS_TOKEN": token}
