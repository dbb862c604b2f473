"""Persistent disks (``/disks``): one per service, mirrored in its ``serviceDetails.disk``.

A disk made with the service (``serviceDetails.disk`` in ``POST /services``) is a disk here too,
with the same id, so ``GET/PATCH/DELETE /disks/{id}`` work on it, as recorded. A second disk for
a service that has one is a 409 (UNCONFIRMED status). Deleting the service deletes its disk.
Nothing is mounted anywhere: sizes and paths are bookkeeping.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import Field

from sandbox.core.context import VendorContext
from sandbox.render.common import (
    VENDOR,
    Body,
    Ctx,
    Owner,
    PageParams,
    iso,
    load,
    multi,
    new_id,
    parse,
)
from sandbox.render.errors import RenderError, bad_request
from sandbox.render.models import Strict

router = APIRouter()
KIND = "disk"


class DiskPost(Strict):
    name: str = Field(min_length=1)
    sizeGB: int = Field(ge=1)
    mountPath: str = Field(min_length=1)
    serviceId: str


class DiskPatch(Strict):
    name: str | None = Field(default=None, min_length=1)
    sizeGB: int | None = Field(default=None, ge=1)
    mountPath: str | None = Field(default=None, min_length=1)


def record_disk(ctx: VendorContext, owner: str, service_id: str, disk: dict[str, Any]) -> None:
    """Store the disk a service was created with (``{id, name, sizeGB, mountPath}``)."""
    stamp = iso(ctx.now())
    doc = {**disk, "serviceId": service_id, "createdAt": stamp, "updatedAt": stamp}
    ctx.store.put(VENDOR, KIND, disk["id"], owner, doc)


def delete_disks(ctx: VendorContext, owner: str, service_id: str) -> None:
    for disk in ctx.store.all(VENDOR, KIND, owner, where=lambda d: d["serviceId"] == service_id):
        ctx.store.delete(VENDOR, KIND, disk["id"])


def _mirror(ctx: VendorContext, owner: str, disk: dict[str, Any] | None, service_id: str) -> None:
    """Write the disk (or its absence) into the service's ``serviceDetails.disk``."""
    doc = ctx.store.get(VENDOR, "service", service_id, owner)
    if doc is None:
        return
    details = doc["service"]["serviceDetails"]
    if disk is None:
        details.pop("disk", None)
    else:
        details["disk"] = {k: disk[k] for k in ("id", "name", "sizeGB", "mountPath")}
    ctx.store.put(VENDOR, "service", service_id, owner, doc)


@router.post("/disks", status_code=201)
def create_disk(ctx: Ctx, owner: Owner, body: Body) -> dict[str, Any]:
    request = parse(DiskPost, body)
    service = load(ctx, "service", request.serviceId, owner, "service")["service"]
    if "numInstances" not in service["serviceDetails"]:
        raise bad_request(f"a {service['type']} cannot have a disk")
    if ctx.store.all(VENDOR, KIND, owner, where=lambda d: d["serviceId"] == service["id"]):
        raise RenderError(409, f"service {service['id']} already has a disk")
    disk = {"id": new_id("dsk-"), **request.model_dump(exclude={"serviceId"})}
    record_disk(ctx, owner, service["id"], disk)
    _mirror(ctx, owner, disk, service["id"])
    return load(ctx, KIND, disk["id"], owner, "disk")


@router.get("/disks")
def list_disks(request: Request, ctx: Ctx, owner: Owner, page: PageParams) -> list[dict[str, Any]]:
    names, ids, services = (multi(request, k) for k in ("name", "diskId", "serviceId"))

    def wanted(disk: dict[str, Any]) -> bool:
        return (
            (not names or disk["name"] in names)
            and (not ids or disk["id"] in ids)
            and (not services or disk["serviceId"] in services)
        )

    disks = ctx.store.all(VENDOR, KIND, owner, where=wanted)
    return page.slice([(d["id"], {"disk": d, "cursor": d["id"]}) for d in disks])


@router.get("/disks/{diskId}")
def get_disk(diskId: str, ctx: Ctx, owner: Owner) -> dict[str, Any]:
    return load(ctx, KIND, diskId, owner, "disk")


@router.patch("/disks/{diskId}")
def update_disk(diskId: str, ctx: Ctx, owner: Owner, body: Body) -> dict[str, Any]:
    disk = load(ctx, KIND, diskId, owner, "disk")
    request = parse(DiskPatch, body)
    if request.sizeGB is not None and request.sizeGB < disk["sizeGB"]:
        # Render documents that a disk can grow but never shrink.
        raise bad_request("sizeGB: a disk cannot be made smaller")
    disk.update(request.model_dump(exclude_none=True))
    disk["updatedAt"] = iso(ctx.now())
    ctx.store.put(VENDOR, KIND, diskId, owner, disk)
    _mirror(ctx, owner, disk, disk["serviceId"])
    return disk


@router.delete("/disks/{diskId}", status_code=204)
def delete_disk(diskId: str, ctx: Ctx, owner: Owner) -> Response:
    disk = load(ctx, KIND, diskId, owner, "disk")
    ctx.store.delete(VENDOR, KIND, diskId)
    _mirror(ctx, owner, None, disk["serviceId"])
    return Response(status_code=204)
