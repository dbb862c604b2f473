"""Custom domains of web services and static sites.

Create answers 201 with an ARRAY (the spec's shape). Whether an apex name also yields a ``www``
redirect entry is UNCONFIRMED, so the array holds just the one domain. A name can be attached to
one service only, sandbox-wide (409 otherwise). There is no DNS here: ``verify`` marks the
domain ``verified``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

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
from sandbox.render.errors import RenderError, bad_request, not_found
from sandbox.render.models_data import CustomDomainPost

router = APIRouter()
KIND = "custom_domain"
_PATH = "/services/{serviceId}/custom-domains"


def _domains(ctx: VendorContext, owner: str, service_id: str) -> list[dict[str, Any]]:
    load(ctx, "service", service_id, owner, "service")
    return ctx.store.all(VENDOR, KIND, owner, where=lambda d: d["serviceId"] == service_id)


def _find(ctx: VendorContext, owner: str, service_id: str, id_or_name: str) -> dict[str, Any]:
    for doc in _domains(ctx, owner, service_id):
        if id_or_name in (doc["customDomain"]["id"], doc["customDomain"]["name"]):
            return doc
    raise not_found("custom domain")


@router.post(_PATH, status_code=201)
def create_custom_domain(
    serviceId: str, ctx: Ctx, owner: Owner, body: Body
) -> list[dict[str, Any]]:
    service = load(ctx, "service", serviceId, owner, "service")["service"]
    if service["type"] not in ("web_service", "static_site"):
        raise bad_request("custom domains are only supported for web services and static sites")
    name = parse(CustomDomainPost, body).name.lower()
    if ctx.store.all(VENDOR, KIND, where=lambda d: d["customDomain"]["name"] == name):
        raise RenderError(409, f"custom domain {name} is already in use")
    labels = name.split(".")
    domain = {
        "id": new_id("cdm-"),
        "name": name,
        "domainType": "apex" if len(labels) == 2 else "subdomain",
        "publicSuffix": labels[-1],
        "redirectForName": "",
        "verificationStatus": "unverified",
        "createdAt": iso(ctx.now()),
        "server": {"id": service["id"], "name": service["name"]},
    }
    ctx.store.put(
        VENDOR, KIND, domain["id"], owner, {"serviceId": serviceId, "customDomain": domain}
    )
    return [domain]


@router.get(_PATH)
def list_custom_domains(
    serviceId: str, request: Request, ctx: Ctx, owner: Owner, page: PageParams
) -> list[dict[str, Any]]:
    filters = {k: multi(request, k) for k in ("name", "domainType", "verificationStatus")}
    items = [
        (
            d["customDomain"]["id"],
            {"customDomain": d["customDomain"], "cursor": d["customDomain"]["id"]},
        )
        for d in _domains(ctx, owner, serviceId)
        if all(not wanted or d["customDomain"][k] in wanted for k, wanted in filters.items())
    ]
    return page.slice(items)


@router.get(_PATH + "/{customDomainIdOrName}")
def get_custom_domain(
    serviceId: str, customDomainIdOrName: str, ctx: Ctx, owner: Owner
) -> dict[str, Any]:
    domain: dict[str, Any] = _find(ctx, owner, serviceId, customDomainIdOrName)["customDomain"]
    return domain


@router.delete(_PATH + "/{customDomainIdOrName}", status_code=204)
def delete_custom_domain(
    serviceId: str, customDomainIdOrName: str, ctx: Ctx, owner: Owner
) -> Response:
    doc = _find(ctx, owner, serviceId, customDomainIdOrName)
    ctx.store.delete(VENDOR, KIND, doc["customDomain"]["id"])
    return Response(status_code=204)


@router.post(_PATH + "/{customDomainIdOrName}/verify", status_code=202)
def verify_custom_domain(
    serviceId: str, customDomainIdOrName: str, ctx: Ctx, owner: Owner
) -> Response:
    doc = _find(ctx, owner, serviceId, customDomainIdOrName)
    doc["customDomain"]["verificationStatus"] = "verified"
    ctx.store.put(VENDOR, KIND, doc["customDomain"]["id"], owner, doc)
    return Response(status_code=202)
