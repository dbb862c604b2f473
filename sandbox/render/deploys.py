"""Deploys: ``created`` -> ``build_in_progress`` -> ``update_in_progress`` -> ``live``, or a failed
status (``build_failed``, ``update_failed``, ``pre_deploy_failed``) when the admin switch says
the commit or image fails (``sources.mark_failing``), or ``canceled``.

Status is computed from timestamps (``readyAt = startAt + delays.deploy``), never stored, so it
advances across restarts without threads. A deploy asked for while another of the same service
is still running is queued behind it (``queued`` until that one has finished) and ``POST
/deploys`` answers 202 with no body, as recorded (sandbox/render/README.md). Answers always
carry ``commit`` (``null`` for image deploys) and ``finishedAt`` (``null`` until done). Only one
deploy of a service is live: the newest one that finished without failing; an older one that had
gone live reads ``deactivated``, as on Render, and a failed or canceled deploy never replaces
the live one (the previous release keeps serving). What a deploy runs is ``sources.commit_for``
/ ``sources.image_for``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from sandbox.core.context import VendorContext
from sandbox.render import models as m
from sandbox.render import sources
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
from sandbox.render.errors import bad_request, not_found

router = APIRouter()
KIND = "deploy"
#: Statuses after which a deploy never changes again.
FINAL = frozenset({"live", "deactivated", "canceled", *sources.FAILED})


def start_deploy(
    ctx: VendorContext,
    service: dict[str, Any],
    owner: str,
    trigger: str,
    *,
    commit_id: str | None = None,
    image_url: str | None = None,
) -> dict[str, Any]:
    """Record a new deploy of ``service`` (its status advances with time)."""
    now = ctx.now()
    deploy: dict[str, Any] = {"id": new_id("dep-"), "trigger": trigger, "createdAt": iso(now)}
    if "imagePath" in service:
        if commit_id is not None:
            raise bad_request("commitId: an image-backed service deploys an image (imageUrl)")
        deploy |= {"commit": None, "image": sources.image_for(service, image_url)}
    else:
        if image_url is not None:
            raise bad_request("imageUrl: only an image-backed service deploys an image")
        deploy["commit"] = sources.commit_for(ctx, service, commit_id)
    running = [
        _ends(d) for d in deploys_of(ctx, service["id"], owner) if _status(d, now) not in FINAL
    ]
    start = max([now, *running])
    doc = {
        "deploy": deploy,
        "serviceId": service["id"],
        "created": now,
        "startAt": start,
        "readyAt": start + ctx.delays.deploy,
        "fails": sources.failure_for(ctx, deploy),
    }
    ctx.store.put(VENDOR, KIND, deploy["id"], owner, doc)
    return doc


def deploys_of(ctx: VendorContext, service_id: str, owner: str) -> list[dict[str, Any]]:
    """The service's deploys, newest first (Render lists them that way)."""
    docs = ctx.store.all(VENDOR, KIND, owner, where=lambda d: d["serviceId"] == service_id)
    return list(reversed(docs))


def live_deploy(ctx: VendorContext, docs: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The one live deploy among a service's deploys (newest first): the newest that finished
    without failing or being canceled."""
    now = ctx.now()
    for doc in docs:
        if _finished_ok(doc, now):
            return doc
    return None


def deploy_json(
    ctx: VendorContext, doc: dict[str, Any], live: dict[str, Any] | None
) -> dict[str, Any]:
    """The ``deploy`` object with its status as of now; ``live`` is the service's live deploy."""
    now = ctx.now()
    out = {"commit": None, **doc["deploy"]}
    status = _status(doc, now)
    if status == "live" and live is not None and live["deploy"]["id"] != doc["deploy"]["id"]:
        status = "deactivated"
    out["status"] = status
    if status not in ("created", "queued", "canceled") or doc.get("startedBeforeCancel"):
        out["startedAt"] = iso(_start(doc))
    ended = doc.get("canceledAt", doc["readyAt"])
    out["finishedAt"] = iso(ended) if status in FINAL else None
    out["updatedAt"] = iso(min(now, ended))
    return out


def _status(doc: dict[str, Any], now: float) -> str:
    if "canceledAt" in doc and now >= doc["canceledAt"]:
        return "canceled"
    if now >= doc["readyAt"]:
        return str(doc.get("fails") or "live")
    start = _start(doc)
    if now < start:
        return "queued"
    span = doc["readyAt"] - start
    progress = (now - start) / span if span > 0 else 1.0
    if progress < 0.1:
        return "created"
    return "build_in_progress" if progress < 0.6 else "update_in_progress"


def _start(doc: dict[str, Any]) -> float:
    return float(doc.get("startAt", doc["created"]))


def _ends(doc: dict[str, Any]) -> float:
    return float(doc.get("canceledAt", doc["readyAt"]))


def queued(ctx: VendorContext, doc: dict[str, Any]) -> bool:
    return ctx.now() < _start(doc)


def _finished_ok(doc: dict[str, Any], now: float) -> bool:
    return _status(doc, now) == "live"


def delete_deploys(ctx: VendorContext, service_id: str, owner: str) -> None:
    for doc in deploys_of(ctx, service_id, owner):
        ctx.store.delete(VENDOR, KIND, doc["deploy"]["id"])


def auto_deploy(ctx: VendorContext, repo: str, branch: str) -> list[str]:
    """A push to ``repo``'s ``branch``: every service following it with ``autoDeploy: yes``
    starts a deploy of the new head (trigger ``new_commit``); returns the deploy ids."""
    started = []
    for doc in ctx.store.all(VENDOR, "service"):
        service = doc["service"]
        if service.get("repo") != repo or service.get("branch") != branch:
            continue
        if service.get("autoDeploy") != "yes" or service.get("suspended") == "suspended":
            continue
        owner = ctx.store.owner_of(VENDOR, "service", service["id"]) or service["ownerId"]
        started.append(start_deploy(ctx, service, owner, "new_commit")["deploy"]["id"])
    return started


def _view(
    ctx: VendorContext, service_id: str, owner: str
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    docs = deploys_of(ctx, service_id, owner)
    return docs, live_deploy(ctx, docs)


@router.post("/services/{serviceId}/deploys", status_code=201, response_model=None)
def create_deploy(serviceId: str, ctx: Ctx, owner: Owner, body: Body) -> dict[str, Any] | Response:
    service = load(ctx, "service", serviceId, owner, "service")["service"]
    request = parse(m.DeployIn, body if body is not None else {})
    if service["type"] == "cron_job" and request.commitId is not None:
        raise bad_request("commitId: not supported for cron jobs")
    doc = start_deploy(
        ctx, service, owner, "api", commit_id=request.commitId, image_url=request.imageUrl
    )
    if queued(ctx, doc):
        return Response(status_code=202)  # "Queued": the spec declares no body, none is sent
    return deploy_json(ctx, doc, live_deploy(ctx, deploys_of(ctx, serviceId, owner)))


@router.get("/services/{serviceId}/deploys")
def list_deploys(
    serviceId: str, request: Request, ctx: Ctx, owner: Owner, page: PageParams
) -> list[dict[str, Any]]:
    load(ctx, "service", serviceId, owner, "service")
    docs, live = _view(ctx, serviceId, owner)
    wanted = set(multi(request, "status"))
    items = []
    for doc in docs:
        shown = deploy_json(ctx, doc, live)
        if wanted and shown["status"] not in wanted:
            continue
        items.append((doc["deploy"]["id"], {"deploy": shown, "cursor": doc["deploy"]["id"]}))
    return page.slice(items)


@router.get("/services/{serviceId}/deploys/{deployId}")
def get_deploy(serviceId: str, deployId: str, ctx: Ctx, owner: Owner) -> dict[str, Any]:
    load(ctx, "service", serviceId, owner, "service")
    docs, live = _view(ctx, serviceId, owner)
    for doc in docs:
        if doc["deploy"]["id"] == deployId:
            return deploy_json(ctx, doc, live)
    raise not_found("deploy")


@router.post("/services/{serviceId}/deploys/{deployId}/cancel")
def cancel_deploy(serviceId: str, deployId: str, ctx: Ctx, owner: Owner) -> dict[str, Any]:
    """Cancel a deploy that has not finished; a finished one cannot be (400)."""
    load(ctx, "service", serviceId, owner, "service")
    doc = ctx.store.get(VENDOR, KIND, deployId, owner)
    if doc is None or doc["serviceId"] != serviceId:
        raise not_found("deploy")
    now = ctx.now()
    if _status(doc, now) in FINAL:
        raise bad_request(f"deploy {deployId} has already finished")
    doc["startedBeforeCancel"] = _status(doc, now) not in ("created", "queued")
    doc["canceledAt"] = now
    ctx.store.put(VENDOR, KIND, deployId, owner, doc)
    return deploy_json(ctx, doc, live_deploy(ctx, deploys_of(ctx, serviceId, owner)))
