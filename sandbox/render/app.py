"""The Render emulator app: routers under ``/v1``, Render's error shape, rate-limit headers."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from sandbox.core.context import VendorContext
from sandbox.render import (
    deploys,
    disks,
    domains,
    envgroups,
    envvars,
    keyvalue,
    owners,
    postgres,
    services,
)
from sandbox.render.errors import install_handlers
from sandbox.render.limits import rate_limit_middleware


def create_app(ctx: VendorContext) -> FastAPI:
    app = FastAPI(title="Render API (sandbox)", openapi_url=None, docs_url=None, redoc_url=None)
    app.state.ctx = ctx
    install_handlers(app)
    app.middleware("http")(rate_limit_middleware(ctx))
    v1 = APIRouter(prefix="/v1")
    routers = (owners, services, envvars, deploys, disks, postgres, keyvalue, domains, envgroups)
    for module in routers:
        v1.include_router(module.router)
    app.include_router(v1)
    return app
