"""Volumes: created in state ``created`` at once (volume states are not enumerated by Fly, so
the sandbox uses ``created`` and ``pending_destroy``); extend only grows; attachment is derived
from the app's live machines whose ``config.mounts`` name the volume."""

from __future__ import annotations

import re
import secrets
from typing import Any

from fastapi import APIRouter, Depends

from sandbox.core.context import VendorContext
from sandbox.fly import limits
from sandbox.fly import machine_state as ms
from sandbox.fly.apps import load_app
from sandbox.fly.auth import org_of
from sandbox.fly.errors import FlyError, not_found
from sandbox.fly.models import CreateVolumeRequest, ExtendVolumeRequest, UpdateVolumeRequest
from sandbox.fly.util import iso, volume_id

V = "fly"
_NAME = re.compile(r"^[a-z0-9_]{1,30}$")  # Fly: lowercase letters, digits, underscores, <= 30
_BLOCK = 4096


def attached_to(ctx: VendorContext, vol: dict[str, Any]) -> str | None:
    for stored in ctx.store.all(V, "machine", where=lambda d: d["app"] == vol["app"]):
        doc = ms.settle(ctx, stored)  # a task machine may have auto-destroyed meanwhile
        mounts = doc["m"]["config"].get("mounts") or []
        if not doc["destroyed"] and any(m.get("volume") == vol["key"] for m in mounts):
            return str(doc["key"])
    return None


def _view(ctx: VendorContext, vol: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in vol.items() if k not in ("key", "app")}
    blocks = vol["size_gb"] * (1 << 30) // _BLOCK
    out.update(
        block_size=_BLOCK,
        blocks=blocks,
        blocks_free=blocks,
        blocks_avail=blocks,
        bytes_total=blocks * _BLOCK,
        bytes_used=0,
    )
    # The spec types these as plain strings (not nullable), so they are omitted when unset.
    if machine := attached_to(ctx, vol):
        out.update(attached_machine_id=machine, attached_alloc_id=machine)
    return out


def _load(ctx: VendorContext, org: str, app: str, vid: str) -> dict[str, Any]:
    load_app(ctx, org, app)
    vol = ctx.store.get(V, "volume", vid, owner=org)
    if vol is None or vol["app"] != app:
        raise not_found("volume")
    return vol


def _new(ctx: VendorContext, app: str, body: CreateVolumeRequest) -> dict[str, Any]:
    if not _NAME.match(body.name):
        raise FlyError(400, "name must be lowercase letters, digits and underscores (max 30)")
    if body.size_gb is not None and body.size_gb < 1:
        raise FlyError(400, "size_gb must be at least 1")
    vid = volume_id()
    return {
        "key": vid,
        "app": app,
        "id": vid,
        "name": body.name,
        "state": "created",
        "region": body.region or "iad",
        "zone": secrets.token_hex(2),
        "size_gb": body.size_gb or 1,
        "encrypted": body.encrypted is not False,
        "fstype": body.fstype or "ext4",
        "type": "local",
        "host_status": "ok",
        "auto_backup_enabled": body.auto_backup_enabled is not False,
        "snapshot_retention": body.snapshot_retention or 5,
        "created_at": iso(ctx.now()),
    }


def router(ctx: VendorContext) -> APIRouter:
    api = APIRouter(prefix="/apps/{app_name}/volumes")

    @api.get("")
    def list_volumes(app_name: str, summary: bool = False, org: str = Depends(org_of)) -> Any:
        load_app(ctx, org, app_name)
        vols = ctx.store.all(V, "volume", owner=org, where=lambda d: d["app"] == app_name)
        return [_view(ctx, v) for v in vols]

    @api.post("")
    def create_volume(app_name: str, body: CreateVolumeRequest, org: str = Depends(org_of)) -> Any:
        load_app(ctx, org, app_name)
        limits.check(ctx, "volume_create", app_name)
        vol = _new(ctx, app_name, body)
        return _view(ctx, ctx.store.put(V, "volume", vol["key"], org, vol))

    @api.get("/{volume_id}")
    def get_volume(app_name: str, volume_id: str, org: str = Depends(org_of)) -> Any:
        return _view(ctx, _load(ctx, org, app_name, volume_id))

    @api.put("/{volume_id}")
    def update_volume(
        app_name: str, volume_id: str, body: UpdateVolumeRequest, org: str = Depends(org_of)
    ) -> Any:
        vol = _load(ctx, org, app_name, volume_id)
        limits.check(ctx, "volume_update", volume_id)
        vol.update(
            body.model_dump(
                include={"auto_backup_enabled", "snapshot_retention"}, exclude_none=True
            )
        )
        return _view(ctx, ctx.store.put(V, "volume", volume_id, org, vol))

    @api.delete("/{volume_id}")
    def delete_volume(app_name: str, volume_id: str, org: str = Depends(org_of)) -> Any:
        vol = _load(ctx, org, app_name, volume_id)
        limits.check(ctx, "volume_delete", volume_id)
        ctx.store.delete(V, "volume", volume_id)
        return {**_view(ctx, vol), "state": "pending_destroy"}

    @api.put("/{volume_id}/extend")
    def extend_volume(
        app_name: str, volume_id: str, body: ExtendVolumeRequest, org: str = Depends(org_of)
    ) -> Any:
        vol = _load(ctx, org, app_name, volume_id)
        limits.check(ctx, "volume_extend", volume_id)
        if body.size_gb <= vol["size_gb"]:
            raise FlyError(400, f"size_gb must be greater than the current {vol['size_gb']}")
        vol["size_gb"] = body.size_gb
        ctx.store.put(V, "volume", volume_id, org, vol)
        # The sandbox grows the filesystem online, so a restart is never needed.
        return {"volume": _view(ctx, vol), "needs_restart": False}

    return api
