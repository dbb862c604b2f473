"""Services: create (with its first deploy), list with filters, read, update, delete, suspend.

Render allows several services with the same name (the slug, and so the URL, gets a suffix);
whether create-service ever answers 409 for a name is UNCONFIRMED, so duplicates are accepted.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from sandbox.core.context import VendorContext
from sandbox.render import models as m
from sandbox.render.common import (
    VENDOR,
    Body,
    Ctx,
    Owner,
    PageParams,
    check_owner,
    iso,
    load,
    multi,
    new_id,
    parse,
)
from sandbox.render.deploys import delete_deploys, start_deploy
from sandbox.render.disks import drop_disks, keep_disk
from sandbox.render.envvars import materialise
from sandbox.render.errors import bad_request
from sandbox.render.service_patch import apply_patch
from sandbox.render.service_view import service_json

router = APIRouter()
KIND = "service"


@router.post("/services", status_code=201)
def create_service(ctx: Ctx, owner: Owner, body: Body) -> dict[str, Any]:
    request = parse(m.ServicePost, body)
    # create-service declares no 404, so a foreign ownerId is a 400 here (UNCONFIRMED on Render).
    check_owner(owner, request.ownerId, status=400)
    # Recorded: cron jobs get ``crn-`` ids, every other type ``srv-``.
    service_id = new_id("crn-" if request.type == "cron_job" else "srv-")
    service = service_json(ctx, request, service_id)
    env_vars = materialise(request.envVars)
    files = [f.model_dump() for f in request.secretFiles]
    ctx.store.put(
        VENDOR,
        KIND,
        service_id,
        owner,
        {"service": service, "envVars": env_vars, "secretFiles": files},
    )
    disk = service["serviceDetails"].get("disk")
    if disk is not None:
        keep_disk(ctx, owner, service_id, disk)
    deploy = start_deploy(ctx, service, owner, "api")
    return {"service": service, "deployId": deploy["deploy"]["id"]}


def _matches(request: Request, service: dict[str, Any]) -> bool:
    details = service["serviceDetails"]
    filters = {
        "name": service["name"],
        "type": service["type"],
        "ownerId": service["ownerId"],
        "region": details.get("region", "oregon"),
        "suspended": service["suspended"],
        "environmentId": service.get("environmentId"),
    }
    for name, actual in filters.items():
        wanted = multi(request, name)
        if wanted and actual not in wanted:
            return False
    return True


@router.get("/services")
def list_services(
    request: Request, ctx: Ctx, owner: Owner, page: PageParams
) -> list[dict[str, Any]]:
    _check_enums(request)
    docs = ctx.store.all(VENDOR, KIND, owner, where=lambda d: _matches(request, d["service"]))
    items = [
        (d["service"]["id"], {"service": d["service"], "cursor": d["service"]["id"]}) for d in docs
    ]
    return page.slice(items)


def _check_enums(request: Request) -> None:
    allowed = {
        "type": set(m.DETAILS_MODELS),
        "suspended": {"suspended", "not_suspended"},
        "region": {"frankfurt", "oregon", "ohio", "singapore", "virginia"},
    }
    for name, values in allowed.items():
        unknown = [v for v in multi(request, name) if v not in values]
        if unknown:
            raise bad_request(f"{name}: unknown value(s) {', '.join(unknown)}")


@router.get("/services/{serviceId}")
def get_service(serviceId: str, ctx: Ctx, owner: Owner) -> dict[str, Any]:
    service: dict[str, Any] = load(ctx, KIND, serviceId, owner, "service")["service"]
    return service


@router.patch("/services/{serviceId}")
def update_service(serviceId: str, ctx: Ctx, owner: Owner, body: Body) -> dict[str, Any]:
    doc = load(ctx, KIND, serviceId, owner, "service")
    request = parse(m.ServicePatch, body)
    doc["service"] = apply_patch(doc["service"], request)
    service: dict[str, Any] = save(ctx, owner, doc)["service"]
    return service


def save(ctx: VendorContext, owner: str, doc: dict[str, Any]) -> dict[str, Any]:
    doc["service"]["updatedAt"] = iso(ctx.now())
    return ctx.store.put(VENDOR, KIND, doc["service"]["id"], owner, doc)


@router.delete("/services/{serviceId}", status_code=204)
def delete_service(serviceId: str, ctx: Ctx, owner: Owner) -> Response:
    load(ctx, KIND, serviceId, owner, "service")
    delete_deploys(ctx, serviceId, owner)
    drop_disks(ctx, owner, serviceId)
    ctx.store.delete(VENDOR, "log_stream_override", serviceId)
    for domain in ctx.store.all(
        VENDOR, "custom_domain", owner, where=lambda d: d["serviceId"] == serviceId
    ):
        ctx.store.delete(VENDOR, "custom_domain", domain["customDomain"]["id"])
    for group in ctx.store.all(VENDOR, "env_group", owner):
        links = [link for link in group["serviceLinks"] if link["id"] != serviceId]
        if len(links) != len(group["serviceLinks"]):
            ctx.store.put(VENDOR, "env_group", group["id"], owner, {**group, "serviceLinks": links})
    ctx.store.delete(VENDOR, KIND, serviceId)
    return Response(status_code=204)


def _set_suspended(ctx: VendorContext, owner: str, service_id: str, suspended: bool) -> None:
    doc = load(ctx, KIND, service_id, owner, "service")
    doc["service"]["suspended"] = "suspended" if suspended else "not_suspended"
    doc["service"]["suspenders"] = ["user"] if suspended else []
    save(ctx, owner, doc)


@router.post("/services/{serviceId}/suspend", status_code=202)
def suspend_service(serviceId: str, ctx: Ctx, owner: Owner) -> Response:
    _set_suspended(ctx, owner, serviceId, True)
    return Response(status_code=202)


@router.post("/services/{serviceId}/resume", status_code=202)
def resume_service(serviceId: str, ctx: Ctx, owner: Owner) -> Response:
    _set_suspended(ctx, owner, serviceId, False)
    return Response(status_code=202)


def _scalable(ctx: VendorContext, owner: str, service_id: str) -> dict[str, Any]:
    doc = load(ctx, KIND, service_id, owner, "service")
    if "numInstances" not in doc["service"]["serviceDetails"]:
        raise bad_request(f"a {doc['service']['type']} cannot be scaled")
    return doc


@router.post("/services/{serviceId}/scale", status_code=202)
def scale_service(serviceId: str, ctx: Ctx, owner: Owner, body: Body) -> Response:
    doc = _scalable(ctx, owner, serviceId)
    request = parse(m.ScaleIn, body)
    doc["service"]["serviceDetails"]["numInstances"] = request.numInstances
    save(ctx, owner, doc)
    return Response(status_code=202)


@router.put("/services/{serviceId}/autoscaling")
def autoscale_service(serviceId: str, ctx: Ctx, owner: Owner, body: Body) -> dict[str, Any]:
    doc = _scalable(ctx, owner, serviceId)
    autoscaling: dict[str, Any] = parse(m.Autoscaling, body).model_dump()
    if autoscaling["min"] > autoscaling["max"]:
        raise bad_request("autoscaling: min must not exceed max")
    doc["service"]["serviceDetails"]["autoscaling"] = autoscaling
    save(ctx, owner, doc)
    return autoscaling


@router.delete("/services/{serviceId}/autoscaling", status_code=204)
def delete_autoscaling(serviceId: str, ctx: Ctx, owner: Owner) -> Response:
    doc = _scalable(ctx, owner, serviceId)
    doc["service"]["serviceDetails"].pop("autoscaling", None)
    save(ctx, owner, doc)
    return Response(status_code=204)
