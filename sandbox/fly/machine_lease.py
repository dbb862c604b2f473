"""Machine leases and metadata: what fly-go takes before it changes a machine.

fly-go's ``AcquireLease`` retries every failure for about a minute, so a missing lease endpoint
costs a client ~120 calls per step; here a lease is a real record. A lease is answered in
fly-go's ``MachineLease`` envelope (``{status, data: {nonce, expires_at, owner, version}}``),
which is what flyd sends and fly-go decodes (the spec's flat ``Lease`` declares no required
field, so the envelope matches it too). Holding a lease does not yet block other callers'
updates (flyd refuses them without the ``fly-machine-lease-nonce`` header: not modelled).

Metadata is ``config.metadata`` of the machine, read and written key by key.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Response
from pydantic import BaseModel

from sandbox.core.context import VendorContext
from sandbox.fly import machine_state as ms
from sandbox.fly.apps import load_app
from sandbox.fly.auth import org_of
from sandbox.fly.errors import FlyError, not_found

DEFAULT_TTL = 30  # seconds, flyd's default when the request names none
Nonce = Annotated[str | None, Header(alias="fly-machine-lease-nonce")]


class LeaseRequest(BaseModel):
    description: str | None = None
    ttl: int | None = None


class MetadataValue(BaseModel):
    value: str
    updated_at: str | None = None


def _lease(doc: dict[str, Any], now: float) -> dict[str, Any] | None:
    lease = doc.get("lease")
    return lease if lease and lease["expires_at"] > now else None


def _envelope(lease: dict[str, Any]) -> dict[str, Any]:
    return {"status": "success", "data": lease}


def _acquire(
    ctx: VendorContext,
    org: str,
    doc: dict[str, Any],
    *,
    ttl: int,
    nonce: str | None,
    why: str | None,
) -> dict[str, Any]:
    now = ctx.now()
    held = _lease(doc, now)
    if held is not None and held["nonce"] != nonce:
        # Same status fly-go's lease code checks for ("lease currently held").
        raise FlyError(
            409, f"lease currently held by {held['owner']}, expires at {held['expires_at']}"
        )
    lease = {
        "nonce": nonce if held else secrets.token_hex(8),
        "expires_at": int(now) + ttl,
        "owner": f"{org}@sandbox.invalid",
        "version": doc["m"]["instance_id"],
        "description": why or "",
    }
    doc["lease"] = lease
    ms.save(ctx, doc)
    return lease


def router(ctx: VendorContext) -> APIRouter:
    api = APIRouter(prefix="/apps/{app_name}/machines/{machine_id}")

    def machine(org: str, app: str, mid: str) -> dict[str, Any]:
        load_app(ctx, org, app)
        return ms.load(ctx, org, app, mid, live=True)

    @api.get("/lease")
    def get_lease(app_name: str, machine_id: str, org: str = Depends(org_of)) -> Any:
        lease = _lease(machine(org, app_name, machine_id), ctx.now())
        if lease is None:
            raise not_found("lease")
        return _envelope(lease)

    @api.post("/lease", status_code=201)
    def acquire_lease(
        app_name: str,
        machine_id: str,
        *,
        nonce: Nonce = None,
        ttl: int | None = None,
        body: LeaseRequest | None = None,
        org: str = Depends(org_of),
    ) -> Any:
        seconds = ttl or (body.ttl if body and body.ttl else DEFAULT_TTL)
        if seconds < 1:
            raise FlyError(400, "ttl must be at least 1 second")
        doc = machine(org, app_name, machine_id)
        return _envelope(
            _acquire(
                ctx, org, doc, ttl=seconds, nonce=nonce, why=body.description if body else None
            )
        )

    @api.delete("/lease")
    def release_lease(
        app_name: str, machine_id: str, nonce: Nonce = None, org: str = Depends(org_of)
    ) -> Response:
        doc = machine(org, app_name, machine_id)
        held = _lease(doc, ctx.now())
        if held is not None and held["nonce"] != nonce:
            raise FlyError(409, "lease nonce does not match")
        doc["lease"] = None
        ms.save(ctx, doc)
        return Response(status_code=200)

    @api.get("/metadata")
    def get_metadata(app_name: str, machine_id: str, org: str = Depends(org_of)) -> Any:
        return dict(machine(org, app_name, machine_id)["m"]["config"].get("metadata") or {})

    @api.get("/metadata/{key}")
    def get_metadata_key(
        app_name: str, machine_id: str, key: str, org: str = Depends(org_of)
    ) -> Any:
        metadata = machine(org, app_name, machine_id)["m"]["config"].get("metadata") or {}
        if key not in metadata:
            raise not_found("metadata key")
        return {"value": metadata[key]}

    @api.post("/metadata/{key}", status_code=204)
    def set_metadata_key(
        app_name: str, machine_id: str, key: str, body: MetadataValue, org: str = Depends(org_of)
    ) -> Response:
        doc = machine(org, app_name, machine_id)
        doc["m"]["config"].setdefault("metadata", {})[key] = body.value
        ms.save(ctx, doc)
        return Response(status_code=204)

    @api.delete("/metadata/{key}", status_code=204)
    def delete_metadata_key(
        app_name: str, machine_id: str, key: str, org: str = Depends(org_of)
    ) -> Response:
        doc = machine(org, app_name, machine_id)
        (doc["m"]["config"].get("metadata") or {}).pop(key, None)
        ms.save(ctx, doc)
        return Response(status_code=204)

    return api
