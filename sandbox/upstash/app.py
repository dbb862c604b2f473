"""The Upstash Developer API app: auth middleware, error shapes and the Redis routes."""

from __future__ import annotations

from fastapi import FastAPI

from sandbox.core.context import VendorContext
from sandbox.upstash.auth import install_auth
from sandbox.upstash.errors import install_error_handlers
from sandbox.upstash.routes_databases import database_routes
from sandbox.upstash.routes_settings import change_routes, toggle_routes
from sandbox.upstash.service import Databases

BASE_PATH = "/v2"


def create_app(ctx: VendorContext) -> FastAPI:
    app = FastAPI(
        title="Upstash Developer API (sandbox)", openapi_url=None, docs_url=None, redoc_url=None
    )
    install_error_handlers(app)
    install_auth(app, ctx)
    databases = Databases(ctx)
    for router in (database_routes(databases), toggle_routes(databases), change_routes(databases)):
        app.include_router(router, prefix=BASE_PATH)
    return app
