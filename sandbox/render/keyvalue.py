"""Render Key Value backed by a REAL password-protected redis-server per instance.

``status`` reads ``creating`` until ``delays.key_value_seconds`` after creation, then
``available``. Render's real strings are ``redis://red-xxx:6379`` (internal, no password, private
network) and ``rediss://red-xxx:<password>@<region>-keyvalue.render.com:6379`` (external, TLS).
The sandbox hands out ``redis://default:<password>@127.0.0.1:<port>`` for both: no TLS, no
private network, and redis-server's ``requirepass`` user is ``default``.
"""

from __future__ import annotations

from typing import Any

import redis
from fastapi import APIRouter, Request, Response

from sandbox.core.context import VendorContext
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
    owner_json,
    parse,
    random_secret,
)
from sandbox.render.models_data import KeyValuePatch, KeyValuePost

router = APIRouter()
KIND = "key_value"
DEFAULT_POLICY = "allkeys_lru"


def default_persistence(plan: str) -> str:
    """Recorded: a free instance answers ``off``, a paid one ``journal_snapshot`` (also after a
    PATCH from free to a paid plan that names no mode)."""
    return "off" if plan == "free" else "journal_snapshot"


def _client(ctx: VendorContext, doc: dict[str, Any]) -> redis.Redis:
    return redis.Redis(host=ctx.redis.host, port=doc["port"], password=doc["password"])


def _configure(ctx: VendorContext, doc: dict[str, Any]) -> str:
    """Apply the eviction policy to the real server; returns the server's version."""
    client = _client(ctx, doc)
    try:
        policy = doc["keyValue"]["options"]["maxmemoryPolicy"]
        client.config_set("maxmemory-policy", policy.replace("_", "-"))
        info: dict[str, Any] = client.info("server")  # type: ignore[assignment]
        return str(info["redis_version"])
    finally:
        client.close()


def key_value_json(ctx: VendorContext, doc: dict[str, Any]) -> dict[str, Any]:
    out = dict(doc["keyValue"])
    # Instances stored before persistenceMode existed read as the plan's default.
    out["options"] = {"persistenceMode": default_persistence(out["plan"]), **out["options"]}
    out["status"] = "available" if ctx.now() >= doc["readyAt"] else "creating"
    return out


@router.post("/key-value", status_code=201)
def create_key_value(ctx: Ctx, owner: Owner, body: Body) -> dict[str, Any]:
    request = parse(KeyValuePost, body)
    check_owner(owner, request.ownerId)
    kv_id, now, password = new_id("red-"), ctx.now(), random_secret()
    item: dict[str, Any] = {
        "id": kv_id,
        "name": request.name,
        "owner": owner_json(owner),
        "plan": request.plan,
        "region": request.region,
        "createdAt": iso(now),
        "updatedAt": iso(now),
        "dashboardUrl": f"https://dashboard.render.com/r/{kv_id}",
        "options": {
            "maxmemoryPolicy": request.maxmemoryPolicy or DEFAULT_POLICY,
            "persistenceMode": request.persistenceMode or default_persistence(request.plan),
        },
        "ipAllowList": [c.model_dump() for c in request.ipAllowList or []],
    }
    if request.environmentId is not None:
        item["environmentId"] = request.environmentId
    port = ctx.redis.create(kv_id, password)
    doc = {
        "keyValue": item,
        "password": password,
        "port": port,
        "readyAt": now + ctx.delays.key_value_seconds,
    }
    item["version"] = _configure(ctx, doc)
    ctx.store.put(VENDOR, KIND, kv_id, owner, doc)
    return key_value_json(ctx, doc)


@router.get("/key-value")
def list_key_value(
    request: Request, ctx: Ctx, owner: Owner, page: PageParams
) -> list[dict[str, Any]]:
    def wanted(doc: dict[str, Any]) -> bool:
        item = doc["keyValue"]
        names, regions = multi(request, "name"), multi(request, "region")
        return (not names or item["name"] in names) and (not regions or item["region"] in regions)

    docs = ctx.store.all(VENDOR, KIND, owner, where=wanted)
    views = [key_value_json(ctx, d) for d in docs]
    return page.slice([(v["id"], {"keyValue": v, "cursor": v["id"]}) for v in views])


@router.get("/key-value/{keyValueId}")
def get_key_value(keyValueId: str, ctx: Ctx, owner: Owner) -> dict[str, Any]:
    return key_value_json(ctx, load(ctx, KIND, keyValueId, owner, "key value instance"))


@router.patch("/key-value/{keyValueId}")
def update_key_value(keyValueId: str, ctx: Ctx, owner: Owner, body: Body) -> dict[str, Any]:
    doc = load(ctx, KIND, keyValueId, owner, "key value instance")
    request = parse(KeyValuePatch, body)
    item = doc["keyValue"]
    was_free = item["plan"] == "free"
    for field in ("name", "plan"):
        if getattr(request, field) is not None:
            item[field] = getattr(request, field)
    if request.ipAllowList is not None:
        item["ipAllowList"] = [c.model_dump() for c in request.ipAllowList]
    options = item.setdefault("options", {})
    options.setdefault("persistenceMode", default_persistence(item["plan"]))
    if request.persistenceMode is not None:
        options["persistenceMode"] = request.persistenceMode
    elif was_free != (item["plan"] == "free"):
        options["persistenceMode"] = default_persistence(item["plan"])
    if request.maxmemoryPolicy is not None:
        options["maxmemoryPolicy"] = request.maxmemoryPolicy
        _configure(ctx, doc)
    item["updatedAt"] = iso(ctx.now())
    ctx.store.put(VENDOR, KIND, keyValueId, owner, doc)
    return key_value_json(ctx, doc)


@router.delete("/key-value/{keyValueId}", status_code=204)
def delete_key_value(keyValueId: str, ctx: Ctx, owner: Owner) -> Response:
    load(ctx, KIND, keyValueId, owner, "key value instance")
    ctx.redis.delete(keyValueId)
    ctx.store.delete(VENDOR, KIND, keyValueId)
    return Response(status_code=204)


@router.get("/key-value/{keyValueId}/connection-info")
def key_value_connection_info(keyValueId: str, ctx: Ctx, owner: Owner) -> dict[str, str]:
    doc = load(ctx, KIND, keyValueId, owner, "key value instance")
    url = f"redis://default:{doc['password']}@{ctx.redis.host}:{doc['port']}"
    return {
        "internalConnectionString": url,
        "externalConnectionString": url,
        "cliCommand": f"redis-cli -u {url}",
    }
