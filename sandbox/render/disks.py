"""Persistent disks (``/disks``): at most one per service, the same object as its
``serviceDetails.disk``.

A disk made with its service (``serviceDetails.disk`` in ``POST /services``) is listed here with
the same id; ``POST /disks`` adds one to a web service, private service or worker, ``PATCH`` grows
(never shrinks), renames or moves it, ``DELETE`` removes it, and deleting the service deletes its
disk. Shapes as recorded by Render's Terraform provider (``backgroundworker`` ``disks``
cassette): ``{id, name, sizeGB, mountPath, serviceId, createdAt, updatedAt}``. A second disk is
a 400 (render-openapi.json documents no 409 for ``POST /disks``; the message is UNCONFIRMED).
Nothing is mounted: sizes and paths are bookkeeping.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import Field

from sandbox.core.context import VendorContext
from sandbox.render.common import VENDOR, Body, Ctx, Owner, PageParams, iso, load, multi, new_id
from sandbox.render.common import parse as parse_body
from sandbox.render.errors import bad_request
from sandbox.render.models import Strict

router = APIRouter()
KIND = "disk"
DISK_FIELDS = ("id", "name", "sizeGB", "mountPath")


class DiskPost(Strict):
    name: str = Field(min_length=1)
    sizeGB: int = Field(ge=1)
    mountPath: str = Field(min_length=1)
    serviceId: str


class DiskPatch(Strict):
    name: str | None = Field(default=None, min_length=1)
    sizeGB: int | None = Field(default=None, ge=1)
    mountPath: str | None = Field(default=None, min_length=1)


def keep_disk(ctx: VendorContext, owner: str, service_id: str, disk: dict[str, Any]) -> None:
    """Store the disk a service was created with."""
    stamp = iso(ctx.now())
    document = {**disk, "serviceId": service_id, "createdAt": stamp, "updatedAt": stamp}
    ctx.store.put(VENDOR, KIND, disk["id"], owner, document)


def drop_disks(ctx: VendorContext, owner: str, service_id: str) -> None:
    """Deleting a service deletes its disk."""
    for disk in ctx.store.all(VENDOR, KIND, owner, where=lambda d: d["serviceId"] == service_id):
        ctx.store.delete(VENDOR, KIND, disk["id"])


def _mirror(ctx: VendorContext, owner: str, service_id: str, disk: dict[str, Any] | None) -> None:
    doc = ctx.store.get(VENDOR, "service", service_id, owner)
    if doc is None:
        return
    details = doc["service"]["serviceDetails"]
    if disk is None:
        details.pop("disk", None)
    else:
        details["disk"] = {key: disk[key] for key in DISK_FIELDS}
    ctx.store.put(VENDOR, "service", service_id, owner, doc)


def _of_service(ctx: VendorContext, owner: str, service_id: str) -> list[dict[str, Any]]:
    return ctx.store.all(VENDOR, KIND, owner, where=lambda d: d["serviceId"] == service_id)


@router.post("/disks", status_code=201)
def add_disk(ctx: Ctx, owner: Owner, body: Body) -> dict[str, Any]:
    request = parse_body(DiskPost, body)
    service = load(ctx, "service", request.serviceId, owner, "service")["service"]
    if "numInstances" not in service["serviceDetails"]:
        raise bad_request(f"a {service['type']} cannot have a disk")
    if _of_service(ctx, owner, service["id"]):
        raise bad_request(f"service {service['id']} already has a disk")
    disk = {"id": new_id("dsk-"), **request.model_dump(exclude={"serviceId"})}
    keep_disk(ctx, owner, service["id"], disk)
    _mirror(ctx, owner, service["id"], disk)
    found: dict[str, Any] = load(ctx, KIND, disk["id"], owner, "disk")
    return found


@router.get("/disks")
def list_disks(request: Request, ctx: Ctx, owner: Owner, page: PageParams) -> list[dict[str, Any]]:
    names, ids, services = (multi(request, key) for key in ("name", "diskId", "serviceId"))

    def wanted(disk: dict[str, Any]) -> bool:
        checks = ((names, disk["name"]), (ids, disk["id"]), (services, disk["serviceId"]))
        return all(not allowed or value in allowed for allowed, value in checks)

    disks = ctx.store.all(VENDOR, KIND, owner, where=wanted)
    return page.slice([(d["id"], {"disk": d, "cursor": d["id"]}) for d in disks])


@router.get("/disks/{diskId}")
def get_disk(diskId: str, ctx: Ctx, owner: Owner) -> dict[str, Any]:
    found: dict[str, Any] = load(ctx, KIND, diskId, owner, "disk")
    return found


@router.patch("/disks/{diskId}")
def update_disk(diskId: str, ctx: Ctx, owner: Owner, body: Body) -> dict[str, Any]:
    disk: dict[str, Any] = load(ctx, KIND, diskId, owner, "disk")
    request = parse_body(DiskPatch, body)
    if request.sizeGB is not None and request.sizeGB < disk["sizeGB"]:
        raise bad_request("sizeGB: a disk can grow but never shrink")
    disk.update(request.model_dump(exclude_none=True))
    disk["updatedAt"] = iso(ctx.now())
    ctx.store.put(VENDOR, KIND, diskId, owner, disk)
    _mirror(ctx, owner, disk["serviceId"], disk)
    return disk


@router.delete("/disks/{diskId}", status_code=204)
def delete_disk(diskId: str, ctx: Ctx, owner: Owner) -> Response:
    disk = load(ctx, KIND, diskId, owner, "disk")
    ctx.store.delete(VENDOR, KIND, diskId)
    _mirror(ctx, owner, disk["serviceId"], None)
    return Response(status_code=204)
