"""IP assignments, handed out from documentation ranges so nothing routable is ever implied:
dedicated v4 from 203.0.113.0/24 then 198.51.100.0/24, v6 from 2001:db8::/32, shared v4 is
the one address 192.0.2.1, private (Flycast) v6 from fdaa:0:<org>:0::/64."""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import APIRouter, Depends, Response

from sandbox.core.context import VendorContext
from sandbox.fly import limits
from sandbox.fly.apps import load_app
from sandbox.fly.auth import org_of
from sandbox.fly.errors import FlyError, not_found
from sandbox.fly.models import AssignIPRequest
from sandbox.fly.util import iso

V = "fly"
SHARED_V4 = "192.0.2.1"


def _allocate(ctx: VendorContext, org: str, kind: str) -> str:
    if kind == "shared_v4":
        return SHARED_V4
    n = ctx.store.next_number(f"fly/ip/{'v6' if kind.endswith('v6') else 'v4'}")
    if kind == "private_v6":
        return f"fdaa:0:{hashlib.sha256(org.encode()).hexdigest()[:4]}:0::{n:x}"
    if kind.endswith("v6"):
        return f"2001:db8:{n // 65536:x}::{n % 65536:x}"
    if n <= 253:
        return f"203.0.113.{n + 1}"
    if n <= 506:
        return f"198.51.100.{n - 252}"
    raise FlyError(422, "no IPv4 addresses left in the sandbox pool")


def _view(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in ("key", "app", "type", "network_name")}


def router(ctx: VendorContext) -> APIRouter:
    api = APIRouter(prefix="/apps/{app_name}/ip_assignments")

    @api.get("")
    def list_ips(app_name: str, org: str = Depends(org_of)) -> Any:
        load_app(ctx, org, app_name)
        docs = ctx.store.all(V, "ip", owner=org, where=lambda d: d["app"] == app_name)
        return {"ips": [_view(d) for d in docs]}

    @api.post("")
    def assign_ip(app_name: str, body: AssignIPRequest, org: str = Depends(org_of)) -> Any:
        load_app(ctx, org, app_name)
        limits.check(ctx, "ip_assign", app_name)
        ip = _allocate(ctx, org, body.type)
        if ctx.store.get(V, "ip", f"{app_name}/{ip}") is not None:
            raise FlyError(422, "app already has a shared IPv4 address")
        doc: dict[str, Any] = {
            "key": f"{app_name}/{ip}",
            "app": app_name,
            "type": body.type,
            "ip": ip,
            "region": body.region or "global",
            "service_name": body.service_name or "",
            "shared": body.type == "shared_v4",
            "egress": body.type.startswith("egress"),
            "created_at": iso(ctx.now()),
        }
        if body.type == "private_v6":
            doc["network"] = {"name": body.network or "", "org_slug": org}
        return _view(ctx.store.put(V, "ip", doc["key"], org, doc))

    @api.delete("/{ip}", status_code=204)
    def release_ip(app_name: str, ip: str, org: str = Depends(org_of)) -> Response:
        load_app(ctx, org, app_name)
        limits.check(ctx, "ip_release", app_name)
        if not ctx.store.delete(V, "ip", f"{app_name}/{ip}"):
            raise not_found("ip assignment")
        return Response(status_code=204)

    return api
