"""Apps: names are global across all orgs (a duplicate is 422 ``name_taken``), but a token only
sees its own org's apps. Reading another org's app is 403 (what fly-go's ``AppNameAvailable``
relies on); everything under it answers 404 like a missing one."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse

from sandbox.core.context import VendorContext
from sandbox.fly import limits
from sandbox.fly import machine_state as ms
from sandbox.fly.auth import org_of, resolve_org
from sandbox.fly.errors import FlyError, not_found
from sandbox.fly.models import CreateAppRequest
from sandbox.fly.util import iso

V = "fly"
#: Fly app names: lowercase letters, digits and dashes, not starting or ending with a dash.
_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
#: Kinds owned by an app, removed with it.
CHILD_KINDS = ("machine", "volume", "secret", "ip", "certificate")


def load_app(ctx: VendorContext, org: str, name: str) -> dict[str, Any]:
    app = ctx.store.get(V, "app", name, owner=org)
    if app is None:
        raise not_found("app")
    return app


def org_info(slug: str) -> dict[str, str]:
    return {"name": slug.replace("-", " ").title(), "slug": slug}


def app_view(ctx: VendorContext, app: dict[str, Any]) -> dict[str, Any]:
    name = app["name"]
    machines = ctx.store.all(V, "machine", where=lambda m: m["app"] == name)
    # Settled first: a task machine may have auto-destroyed since it was last read.
    live = [m for m in machines if not ms.settle(ctx, m).get("destroyed")]
    volumes = ctx.store.all(V, "volume", where=lambda v: v["app"] == name)
    return {
        "id": app["id"],
        "name": name,
        # fly-go's App.Deployed() treats "deployed" as having machines; new apps are "pending".
        "status": "deployed" if live else "pending",
        "organization": org_info(app["org"]),
        "network": app["network"],
        "machine_count": len(live),
        "volume_count": len(volumes),
        "internal_numeric_id": app["internal_numeric_id"],
    }


def _create(ctx: VendorContext, org: str, body: CreateAppRequest) -> dict[str, Any]:
    name = body.name or body.app_name
    if not name or not body.org_slug:
        raise FlyError(400, "name and org_slug are required")
    if not _NAME.match(name):
        raise FlyError(400, "name must be lowercase letters, digits and dashes")
    owner = resolve_org(org, body.org_slug)
    if ctx.store.owner_of(V, "app", name) is not None:
        # Same text and code fly-go's IsNameTakenError looks for.
        raise FlyError(422, "Name has already been taken", status="name_taken")
    number = ctx.store.next_number("fly/app")
    app = {
        "id": name,  # Fly's GraphQL app id is the app name
        "name": name,
        "org": owner,
        "network": body.network or "default",
        "internal_numeric_id": 1000 + number,
        "created_at": iso(ctx.now()),
        "secrets_version": 0,
    }
    return ctx.store.put(V, "app", name, owner, app)


def delete_app(ctx: VendorContext, name: str) -> None:
    """Remove the app and everything it owns (machines, volumes, secrets, IPs, certificates)."""
    for kind in CHILD_KINDS:
        for doc in ctx.store.all(V, kind, where=lambda d: d["app"] == name):
            ctx.store.delete(V, kind, doc["key"])
    ctx.store.delete(V, "app", name)


def router(ctx: VendorContext) -> APIRouter:
    api = APIRouter()

    @api.get("/apps")
    def list_apps(org_slug: str, app_role: str | None = None, org: str = Depends(org_of)) -> Any:
        owner = resolve_org(org, org_slug)
        apps = [app_view(ctx, a) for a in ctx.store.all(V, "app", owner=owner)]
        return {"apps": apps, "total_apps": len(apps)}

    @api.post("/apps", status_code=201)
    def create_app(body: CreateAppRequest, org: str = Depends(org_of)) -> Any:
        limits.check(ctx, "app_create", org)
        # The spec declares 201 with no body, but fly-go's CreateApp decodes an App from it.
        return JSONResponse(app_view(ctx, _create(ctx, org, body)), status_code=201)

    @api.get("/apps/{app_name}")
    def get_app(app_name: str, org: str = Depends(org_of)) -> Any:
        limits.check(ctx, "app_get", app_name)
        owner = ctx.store.owner_of(V, "app", app_name)
        if owner is not None and owner != org:
            # fly-go's AppNameAvailable: 403 = "exists in an org you cannot see" (name taken),
            # 404 = "the name is free". Everything under such an app stays 404 (UNCONFIRMED).
            raise FlyError(403, "unauthorized")
        return app_view(ctx, load_app(ctx, org, app_name))

    @api.delete("/apps/{app_name}", status_code=202)
    def destroy_app(app_name: str, org: str = Depends(org_of)) -> Response:
        load_app(ctx, org, app_name)
        limits.check(ctx, "app_delete", org, limits.APP_DELETES_PER_MINUTE)
        delete_app(ctx, app_name)
        return Response(status_code=202)

    return api
