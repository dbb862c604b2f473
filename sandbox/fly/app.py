"""Assembles the Fly Machines emulator: error shapes, auth, then one router per resource."""

from __future__ import annotations

from fastapi import FastAPI

from sandbox.core.context import VendorContext
from sandbox.fly import (
    apps,
    auth,
    certificates,
    errors,
    ips,
    machine_actions,
    machine_lease,
    machine_wait,
    machines,
    secrets,
    volumes,
)


def create_app(ctx: VendorContext) -> FastAPI:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    errors.install(app)
    auth.install(app, ctx)
    routers = (
        apps,
        machines,
        machine_wait,
        machine_actions,
        machine_lease,
        secrets,
        volumes,
        ips,
        certificates,
    )
    for module in routers:
        app.include_router(module.router(ctx), prefix="/v1")
    return app
