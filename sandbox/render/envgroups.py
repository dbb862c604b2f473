"""Environment groups: named sets of env vars and secret files, linked to services.

The spec's list-env-groups answer is a plain array of ``envGroupMeta`` (no cursor wrapper), unlike
the other lists; the sandbox follows the spec. Duplicate names are accepted (UNCONFIRMED).
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
    check_owner,
    iso,
    load,
    multi,
    new_id,
    parse,
)
from sandbox.render.envvars import materialise, value_of
from sandbox.render.errors import not_found
from sandbox.render.models import EnvVarValueIn
from sandbox.render.models_data import EnvGroupPatch, EnvGroupPost, SecretFileContent
from sandbox.render.service_view import DASHBOARD_PATH

router = APIRouter()
KIND = "env_group"
_SHORT_TYPE = {
    "static_site": "static",
    "web_service": "web",
    "private_service": "pserv",
    "background_worker": "worker",
    "cron_job": "cron",
}
assert set(_SHORT_TYPE) == set(DASHBOARD_PATH)  # noqa: S101 - one list of service types


def _link(ctx: VendorContext, owner: str, service_id: str) -> dict[str, str]:
    service = load(ctx, "service", service_id, owner, "service")["service"]
    return {"id": service["id"], "name": service["name"], "type": _SHORT_TYPE[service["type"]]}


def _save(ctx: VendorContext, owner: str, group: dict[str, Any]) -> dict[str, Any]:
    group["updatedAt"] = iso(ctx.now())
    return ctx.store.put(VENDOR, KIND, group["id"], owner, group)


def _meta(group: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in group.items() if k not in ("envVars", "secretFiles")}


@router.post("/env-groups", status_code=201)
def create_env_group(ctx: Ctx, owner: Owner, body: Body) -> dict[str, Any]:
    request = parse(EnvGroupPost, body)
    check_owner(owner, request.ownerId)
    links = [_link(ctx, owner, service_id) for service_id in dict.fromkeys(request.serviceIds)]
    stamp = iso(ctx.now())
    group: dict[str, Any] = {
        "id": new_id("evg-"),
        "name": request.name,
        "ownerId": owner,
        "createdAt": stamp,
        "updatedAt": stamp,
        "serviceLinks": links,
        "envVars": materialise(request.envVars),
        "secretFiles": [f.model_dump() for f in request.secretFiles],
    }
    if request.environmentId is not None:
        group["environmentId"] = request.environmentId
    return ctx.store.put(VENDOR, KIND, group["id"], owner, group)


@router.get("/env-groups")
def list_env_groups(
    request: Request, ctx: Ctx, owner: Owner, page: PageParams
) -> list[dict[str, Any]]:
    names = multi(request, "name")
    groups = ctx.store.all(VENDOR, KIND, owner, where=lambda g: not names or g["name"] in names)
    return page.slice([(g["id"], _meta(g)) for g in groups])


@router.get("/env-groups/{envGroupId}")
def get_env_group(envGroupId: str, ctx: Ctx, owner: Owner) -> dict[str, Any]:
    return load(ctx, KIND, envGroupId, owner, "env group")


@router.patch("/env-groups/{envGroupId}")
def update_env_group(envGroupId: str, ctx: Ctx, owner: Owner, body: Body) -> dict[str, Any]:
    group = load(ctx, KIND, envGroupId, owner, "env group")
    group["name"] = parse(EnvGroupPatch, body).name
    return _save(ctx, owner, group)


@router.delete("/env-groups/{envGroupId}", status_code=204)
def delete_env_group(envGroupId: str, ctx: Ctx, owner: Owner) -> Response:
    load(ctx, KIND, envGroupId, owner, "env group")
    ctx.store.delete(VENDOR, KIND, envGroupId)
    return Response(status_code=204)


def _upsert(items: list[dict[str, str]], field: str, item: dict[str, str]) -> None:
    names = [existing[field] for existing in items]
    if item[field] in names:
        items[names.index(item[field])] = item
    else:
        items.append(item)


def _remove(items: list[dict[str, str]], field: str, name: str, what: str) -> list[dict[str, str]]:
    remaining = [item for item in items if item[field] != name]
    if len(remaining) == len(items):
        raise not_found(what)
    return remaining


@router.get("/env-groups/{envGroupId}/env-vars/{envVarKey}")
def get_group_env_var(envGroupId: str, envVarKey: str, ctx: Ctx, owner: Owner) -> dict[str, str]:
    group = load(ctx, KIND, envGroupId, owner, "env group")
    for var in group["envVars"]:
        if var["key"] == envVarKey:
            return dict(var)
    raise not_found("env var")


@router.put("/env-groups/{envGroupId}/env-vars/{envVarKey}")
def put_group_env_var(
    envGroupId: str, envVarKey: str, ctx: Ctx, owner: Owner, body: Body
) -> dict[str, Any]:
    group = load(ctx, KIND, envGroupId, owner, "env group")
    request = parse(EnvVarValueIn, body)
    value = value_of(request.value, request.generateValue)
    _upsert(group["envVars"], "key", {"key": envVarKey, "value": value})
    return _save(ctx, owner, group)


@router.delete("/env-groups/{envGroupId}/env-vars/{envVarKey}", status_code=204)
def delete_group_env_var(envGroupId: str, envVarKey: str, ctx: Ctx, owner: Owner) -> Response:
    group = load(ctx, KIND, envGroupId, owner, "env group")
    group["envVars"] = _remove(group["envVars"], "key", envVarKey, "env var")
    _save(ctx, owner, group)
    return Response(status_code=204)


@router.get("/env-groups/{envGroupId}/secret-files/{secretFileName}")
def get_group_secret_file(
    envGroupId: str, secretFileName: str, ctx: Ctx, owner: Owner
) -> dict[str, str]:
    group = load(ctx, KIND, envGroupId, owner, "env group")
    for item in group["secretFiles"]:
        if item["name"] == secretFileName:
            return dict(item)
    raise not_found("secret file")


@router.put("/env-groups/{envGroupId}/secret-files/{secretFileName}")
def put_group_secret_file(
    envGroupId: str, secretFileName: str, ctx: Ctx, owner: Owner, body: Body
) -> dict[str, Any]:
    group = load(ctx, KIND, envGroupId, owner, "env group")
    content = parse(SecretFileContent, body).content
    _upsert(group["secretFiles"], "name", {"name": secretFileName, "content": content})
    return _save(ctx, owner, group)


@router.delete("/env-groups/{envGroupId}/secret-files/{secretFileName}", status_code=204)
def delete_group_secret_file(
    envGroupId: str, secretFileName: str, ctx: Ctx, owner: Owner
) -> Response:
    group = load(ctx, KIND, envGroupId, owner, "env group")
    group["secretFiles"] = _remove(group["secretFiles"], "name", secretFileName, "secret file")
    _save(ctx, owner, group)
    return Response(status_code=204)


@router.post("/env-groups/{envGroupId}/services/{serviceId}")
def link_service(envGroupId: str, serviceId: str, ctx: Ctx, owner: Owner) -> dict[str, Any]:
    group = load(ctx, KIND, envGroupId, owner, "env group")
    _upsert(group["serviceLinks"], "id", _link(ctx, owner, serviceId))
    return _save(ctx, owner, group)


@router.delete("/env-groups/{envGroupId}/services/{serviceId}", status_code=204)
def unlink_service(envGroupId: str, serviceId: str, ctx: Ctx, owner: Owner) -> Response:
    group = load(ctx, KIND, envGroupId, owner, "env group")
    group["serviceLinks"] = _remove(group["serviceLinks"], "id", serviceId, "service link")
    _save(ctx, owner, group)
    return Response(status_code=204)
