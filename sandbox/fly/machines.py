"""Machines: create / list / get / update / destroy / wait.

The config is stored exactly as sent (it is what callers diff against). Update replaces it and
gets a new ``instance_id`` (the machine version); a stale ``current_version`` is refused.
Destroy and wait live in ``machine_wait``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from sandbox.core.context import VendorContext
from sandbox.fly import limits
from sandbox.fly import machine_state as ms
from sandbox.fly.apps import load_app
from sandbox.fly.auth import org_of
from sandbox.fly.errors import FlyError
from sandbox.fly.models import CreateMachineRequest, UpdateMachineRequest
from sandbox.fly.util import ulid
from sandbox.fly.volumes import V, attached_to


def _config(body: CreateMachineRequest) -> dict[str, Any]:
    if body.config is None or not body.config.image:
        raise FlyError(400, "invalid config: image is required")
    return body.config.model_dump(mode="json", exclude_unset=True)


def _check_mounts(
    ctx: VendorContext,
    org: str,
    app: str,
    region: str,
    config: dict[str, Any],
    *,
    mid: str | None,
) -> None:
    """A mount names a volume of this app in the machine's region that no other live machine
    has mounted (flyd refuses the rest; the exact wording is UNCONFIRMED)."""
    for mount in config.get("mounts") or []:
        vid = mount.get("volume")
        vol = ctx.store.get(V, "volume", str(vid), owner=org) if vid else None
        if vol is None or vol["app"] != app:
            raise FlyError(400, f"invalid config: volume {vid!r} not found in app {app}")
        if vol["region"] != region:
            raise FlyError(400, f"invalid config: volume {vid} is in {vol['region']}, not {region}")
        holder = attached_to(ctx, vol)
        if holder is not None and holder != mid:
            raise FlyError(400, f"invalid config: volume {vid} is attached to machine {holder}")


def _update(ctx: VendorContext, doc: dict[str, Any], body: UpdateMachineRequest) -> None:
    machine = doc["m"]
    if body.current_version and body.current_version != machine["instance_id"]:
        # UNCONFIRMED status: flyd's failed_precondition errors surface as 412.
        raise FlyError(412, "failed_precondition: current_version does not match machine version")
    config = _config(body)
    _check_mounts(ctx, doc["org"], doc["app"], machine["region"], config, mid=str(doc["key"]))
    machine.update(config=config, image_ref=ms.image_ref(config["image"]))
    machine["instance_id"] = ulid(ctx.now())
    if body.name:
        machine["name"] = body.name
    doc["versions"] = [
        {"version": machine["instance_id"], "user_config": config},
        *doc["versions"],
    ][:10]
    was_running = ms.is_running(doc)
    ms.record(ctx, doc, "update", "updating", "user")
    doc["next_state"] = None
    if not body.skip_launch or was_running:
        ms.schedule(ctx, doc, "started", "start")
    else:
        ms.record(ctx, doc, "update", "stopped", "flyd")


def router(ctx: VendorContext) -> APIRouter:
    api = APIRouter(prefix="/apps/{app_name}/machines")

    @api.get("")
    def list_machines(
        app_name: str,
        *,
        include_deleted: bool = False,
        region: str | None = None,
        state: str | None = None,
        summary: bool = False,
        org: str = Depends(org_of),
    ) -> Any:
        load_app(ctx, org, app_name)
        limits.check(ctx, "machine_list", app_name)
        states = {s for s in (state or "").split(",") if s}
        docs = ctx.store.all(ms.V, "machine", owner=org, where=lambda d: d["app"] == app_name)
        out = []
        for doc in (ms.settle(ctx, d) for d in docs):
            m = doc["m"]
            if (doc["destroyed"] and not include_deleted) or (region and m["region"] != region):
                continue
            if not states or m["state"] in states:
                out.append(ms.view(doc, summary))
        return out

    @api.post("")
    def create_machine(
        app_name: str, body: CreateMachineRequest, org: str = Depends(org_of)
    ) -> Any:
        load_app(ctx, org, app_name)
        limits.check(ctx, "machine_create", app_name)
        config = _config(body)
        region = body.region or ms.DEFAULT_REGION
        _check_mounts(ctx, org, app_name, region, config, mid=None)
        doc = ms.new_machine(ctx, org, app_name, config, name=body.name, region=region)
        ms.record(ctx, doc, "launch", "created", "user")
        if not body.skip_launch:
            ms.schedule(ctx, doc, "started", "start")
        return ms.view(ms.save(ctx, doc))

    @api.get("/{machine_id}")
    def get_machine(app_name: str, machine_id: str, org: str = Depends(org_of)) -> Any:
        limits.check(ctx, "machine_get", machine_id, limits.GET_MACHINE_BURST)
        load_app(ctx, org, app_name)
        return ms.view(ms.load(ctx, org, app_name, machine_id))

    @api.post("/{machine_id}")
    def update_machine(
        app_name: str, machine_id: str, body: UpdateMachineRequest, org: str = Depends(org_of)
    ) -> Any:
        load_app(ctx, org, app_name)
        limits.check(ctx, "machine_update", machine_id)
        doc = ms.load(ctx, org, app_name, machine_id, live=True)
        _update(ctx, doc, body)
        return ms.view(ms.save(ctx, doc))

    return api
