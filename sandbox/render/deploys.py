"""Deploys: ``created`` -> ``build_in_progress`` -> ``update_in_progress`` -> ``live``.

Status is computed from timestamps (``readyAt = startAt + delays.deploy``), never stored, so it
advances across restarts without threads. When a newer deploy of the same service goes live,
the older live one reads ``deactivated``, as on Render. A deploy asked for while another of the
same service is still running is queued behind it (``queued`` until that one is live) and
``POST /deploys`` answers 202 with no body, as recorded (sandbox/render/README.md). Answers
always carry ``commit`` (``null`` for image deploys) and ``finishedAt`` (``null`` until done).
"""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Response

from sandbox.core.context import VendorContext
from sandbox.render import models as m
from sandbox.render.common import VENDOR, Body, Ctx, Owner, PageParams, iso, load, new_id, parse
from sandbox.render.errors import not_found

router = APIRouter()
KIND = "deploy"


def start_deploy(
    ctx: VendorContext,
    service: dict[str, Any],
    owner: str,
    trigger: str,
    image_url: str | None = None,
) -> dict[str, Any]:
    """Record a new deploy of ``service`` (its status advances with time)."""
    now = ctx.now()
    deploy: dict[str, Any] = {"id": new_id("dep-"), "trigger": trigger, "createdAt": iso(now)}
    if "imagePath" in service:
        ref = image_url or service["imagePath"]
        deploy["image"] = {"ref": ref, "sha": "sha256:" + secrets.token_hex(32)}
        deploy["commit"] = None
    else:
        deploy["commit"] = {
            "id": secrets.token_hex(20),
            "message": "sandbox commit",
            "createdAt": iso(now),
        }
    running = [d["readyAt"] for d in deploys_of(ctx, service["id"], owner) if d["readyAt"] > now]
    start = max([now, *running])
    doc = {
        "deploy": deploy,
        "serviceId": service["id"],
        "created": now,
        "startAt": start,
        "readyAt": start + ctx.delays.deploy,
    }
    ctx.store.put(VENDOR, KIND, deploy["id"], owner, doc)
    return doc


def deploys_of(ctx: VendorContext, service_id: str, owner: str) -> list[dict[str, Any]]:
    """The service's deploys, newest first (Render lists them that way)."""
    docs = ctx.store.all(VENDOR, KIND, owner, where=lambda d: d["serviceId"] == service_id)
    return list(reversed(docs))


def deploy_json(
    ctx: VendorContext, doc: dict[str, Any], newer: list[dict[str, Any]]
) -> dict[str, Any]:
    """The ``deploy`` object with its status as of now; ``newer`` are later deploys."""
    now = ctx.now()
    out = {"commit": None, **doc["deploy"]}
    start = doc.get("startAt", doc["created"])
    status = _phase(now, start, doc["readyAt"])
    if status == "live" and any(now >= later["readyAt"] for later in newer):
        status = "deactivated"
    out["status"] = status
    if status not in ("created", "queued"):
        out["startedAt"] = iso(start)
    out["finishedAt"] = iso(doc["readyAt"]) if status in ("live", "deactivated") else None
    out["updatedAt"] = iso(min(now, doc["readyAt"]))
    return out


def queued(ctx: VendorContext, doc: dict[str, Any]) -> bool:
    return bool(ctx.now() < doc.get("startAt", doc["created"]))


def _phase(now: float, created: float, ready_at: float) -> str:
    if now < created:
        return "queued"
    if now >= ready_at:
        return "live"
    progress = (now - created) / (ready_at - created)
    if progress < 0.1:
        return "created"
    return "build_in_progress" if progress < 0.6 else "update_in_progress"


def delete_deploys(ctx: VendorContext, service_id: str, owner: str) -> None:
    for doc in deploys_of(ctx, service_id, owner):
        ctx.store.delete(VENDOR, KIND, doc["deploy"]["id"])


@router.post("/services/{serviceId}/deploys", status_code=201, response_model=None)
def create_deploy(serviceId: str, ctx: Ctx, owner: Owner, body: Body) -> dict[str, Any] | Response:
    service = load(ctx, "service", serviceId, owner, "service")["service"]
    request = parse(m.DeployIn, body if body is not None else {})
    doc = start_deploy(ctx, service, owner, "api", request.imageUrl)
    if queued(ctx, doc):
        return Response(status_code=202)  # "Queued": the spec declares no body, none is sent
    return deploy_json(ctx, doc, [])


@router.get("/services/{serviceId}/deploys")
def list_deploys(serviceId: str, ctx: Ctx, owner: Owner, page: PageParams) -> list[dict[str, Any]]:
    load(ctx, "service", serviceId, owner, "service")
    docs = deploys_of(ctx, serviceId, owner)
    items = [
        (
            doc["deploy"]["id"],
            {"deploy": deploy_json(ctx, doc, docs[:i]), "cursor": doc["deploy"]["id"]},
        )
        for i, doc in enumerate(docs)
    ]
    return page.slice(items)


@router.get("/services/{serviceId}/deploys/{deployId}")
def get_deploy(serviceId: str, deployId: str, ctx: Ctx, owner: Owner) -> dict[str, Any]:
    load(ctx, "service", serviceId, owner, "service")
    docs = deploys_of(ctx, serviceId, owner)
    for i, doc in enumerate(docs):
        if doc["deploy"]["id"] == deployId:
            return deploy_json(ctx, doc, docs[:i])
    raise not_found("deploy")
