"""A static site's response headers and redirect/rewrite rules (``/services/{id}/headers|routes``).

``PUT`` replaces the whole list and answers the stored items (``hdr-``/``rdr-`` ids; routes get
their ``priority`` from their position, as recorded) -- and, recorded too, JSON ``null`` rather
than ``[]`` when the new list is empty; ``GET`` lists them with cursors. Both are
kept in the service's document. Only static sites have them (400 otherwise; UNCONFIRMED status).
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import Field, TypeAdapter

from sandbox.render.common import VENDOR, Body, Ctx, Owner, PageParams, iso, load, new_id, parse
from sandbox.render.errors import bad_request
from sandbox.render.models import Strict

router = APIRouter()


class HeaderIn(Strict):
    path: str = Field(min_length=1)
    name: str = Field(min_length=1)
    value: str


class RouteIn(Strict):
    type: Literal["redirect", "rewrite"]
    source: str = Field(min_length=1)
    destination: str = Field(min_length=1)


_HEADERS = TypeAdapter(list[HeaderIn])
_ROUTES = TypeAdapter(list[RouteIn])


def stored_headers(items: list[HeaderIn]) -> list[dict[str, Any]]:
    return [{"id": new_id("hdr-"), **item.model_dump()} for item in items]


def stored_routes(items: list[RouteIn]) -> list[dict[str, Any]]:
    return [
        {"id": new_id("rdr-"), **item.model_dump(), "priority": n} for n, item in enumerate(items)
    ]


def _static(ctx: Ctx, owner: str, service_id: str) -> dict[str, Any]:
    doc = load(ctx, "service", service_id, owner, "service")
    if doc["service"]["type"] != "static_site":
        raise bad_request("headers and routes are only supported for static sites")
    return doc


def _save(ctx: Ctx, owner: str, doc: dict[str, Any]) -> None:
    doc["service"]["updatedAt"] = iso(ctx.now())
    ctx.store.put(VENDOR, "service", doc["service"]["id"], owner, doc)


@router.get("/services/{serviceId}/headers")
def list_headers(serviceId: str, ctx: Ctx, owner: Owner, page: PageParams) -> list[dict[str, Any]]:
    items = _static(ctx, owner, serviceId).get("headers", [])
    return page.slice([(h["id"], {"header": h, "cursor": h["id"]}) for h in items])


@router.put("/services/{serviceId}/headers")
def replace_headers(
    serviceId: str, ctx: Ctx, owner: Owner, body: Body
) -> list[dict[str, Any]] | None:
    doc = _static(ctx, owner, serviceId)
    doc["headers"] = stored_headers(parse(_HEADERS, [] if body is None else body))
    _save(ctx, owner, doc)
    return list(doc["headers"]) or None


@router.get("/services/{serviceId}/routes")
def list_routes(serviceId: str, ctx: Ctx, owner: Owner, page: PageParams) -> list[dict[str, Any]]:
    items = _static(ctx, owner, serviceId).get("routes", [])
    return page.slice([(r["id"], {"route": r, "cursor": r["id"]}) for r in items])


@router.put("/services/{serviceId}/routes")
def replace_routes(
    serviceId: str, ctx: Ctx, owner: Owner, body: Body
) -> list[dict[str, Any]] | None:
    doc = _static(ctx, owner, serviceId)
    doc["routes"] = stored_routes(parse(_ROUTES, [] if body is None else body))
    _save(ctx, owner, doc)
    return list(doc["routes"]) or None
