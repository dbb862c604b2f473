"""A service's own env vars and secret files (not those of linked env groups).

``PUT /env-vars`` replaces the whole set (a ``null`` body empties it); ``generateValue: true``
stores a random 256-bit base64 value, as Render's generated values are. Changing vars does not
start a deploy here (whether Render redeploys is UNCONFIRMED).
"""

from __future__ import annotations

import base64
import secrets
from typing import Any

from fastapi import APIRouter, Response
from pydantic import TypeAdapter

from sandbox.core.context import VendorContext
from sandbox.render import models as m
from sandbox.render.common import VENDOR, Body, Ctx, Owner, PageParams, iso, load, parse
from sandbox.render.errors import not_found

router = APIRouter()
_ENV_VARS = TypeAdapter(list[m.EnvVarIn])
_SECRET_FILES = TypeAdapter(list[m.SecretFileIn])


def generated_value() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def value_of(value: str | None, generate: bool | None) -> str:
    return generated_value() if value is None and generate else value or ""


def materialise(env_vars: list[m.EnvVarIn]) -> list[dict[str, str]]:
    """``[{key, value}]`` with generated values filled in; a later duplicate key wins."""
    merged = {var.key: value_of(var.value, var.generateValue) for var in env_vars}
    return [{"key": key, "value": value} for key, value in merged.items()]


def _service_doc(ctx: VendorContext, owner: str, service_id: str) -> dict[str, Any]:
    return load(ctx, "service", service_id, owner, "service")


def _save(ctx: VendorContext, owner: str, doc: dict[str, Any]) -> None:
    doc["service"]["updatedAt"] = iso(ctx.now())
    ctx.store.put(VENDOR, "service", doc["service"]["id"], owner, doc)


def _wrapped(env_vars: list[dict[str, str]]) -> list[tuple[str, dict[str, Any]]]:
    return [(var["key"], {"envVar": var, "cursor": var["key"]}) for var in env_vars]


@router.get("/services/{serviceId}/env-vars")
def list_env_vars(serviceId: str, ctx: Ctx, owner: Owner, page: PageParams) -> list[dict[str, Any]]:
    return page.slice(_wrapped(_service_doc(ctx, owner, serviceId)["envVars"]))


@router.put("/services/{serviceId}/env-vars")
def replace_env_vars(serviceId: str, ctx: Ctx, owner: Owner, body: Body) -> list[dict[str, Any]]:
    doc = _service_doc(ctx, owner, serviceId)
    # Recorded: a body of JSON ``null`` (Terraform's "no env vars") is 200 ``[]``, i.e. none left.
    doc["envVars"] = materialise(parse(_ENV_VARS, [] if body is None else body))
    _save(ctx, owner, doc)
    return [item for _, item in _wrapped(doc["envVars"])]


@router.get("/services/{serviceId}/env-vars/{envVarKey}")
def get_env_var(serviceId: str, envVarKey: str, ctx: Ctx, owner: Owner) -> dict[str, str]:
    for var in _service_doc(ctx, owner, serviceId)["envVars"]:
        if var["key"] == envVarKey:
            return dict(var)
    raise not_found("env var")


@router.put("/services/{serviceId}/env-vars/{envVarKey}")
def put_env_var(
    serviceId: str, envVarKey: str, ctx: Ctx, owner: Owner, body: Body
) -> dict[str, str]:
    doc = _service_doc(ctx, owner, serviceId)
    request = parse(m.EnvVarValueIn, body)
    var = {"key": envVarKey, "value": value_of(request.value, request.generateValue)}
    # Replace in place (keeping the order), or append a new key.
    keys = [v["key"] for v in doc["envVars"]]
    if envVarKey in keys:
        doc["envVars"][keys.index(envVarKey)] = var
    else:
        doc["envVars"].append(var)
    _save(ctx, owner, doc)
    return var


@router.delete("/services/{serviceId}/env-vars/{envVarKey}", status_code=204)
def delete_env_var(serviceId: str, envVarKey: str, ctx: Ctx, owner: Owner) -> Response:
    doc = _service_doc(ctx, owner, serviceId)
    remaining = [v for v in doc["envVars"] if v["key"] != envVarKey]
    if len(remaining) == len(doc["envVars"]):
        raise not_found("env var")
    doc["envVars"] = remaining
    _save(ctx, owner, doc)
    return Response(status_code=204)


def _wrapped_files(files: list[dict[str, str]]) -> list[tuple[str, dict[str, Any]]]:
    return [(f["name"], {"secretFile": f, "cursor": f["name"]}) for f in files]


@router.get("/services/{serviceId}/secret-files")
def list_secret_files(
    serviceId: str, ctx: Ctx, owner: Owner, page: PageParams
) -> list[dict[str, Any]]:
    return page.slice(_wrapped_files(_service_doc(ctx, owner, serviceId)["secretFiles"]))


@router.put("/services/{serviceId}/secret-files")
def replace_secret_files(
    serviceId: str, ctx: Ctx, owner: Owner, body: Body
) -> list[dict[str, Any]]:
    doc = _service_doc(ctx, owner, serviceId)
    # As for env vars, ``null`` replaces the set with no files (recorded: 200 ``[]``).
    files = {f.name: f.content for f in parse(_SECRET_FILES, [] if body is None else body)}
    doc["secretFiles"] = [{"name": name, "content": content} for name, content in files.items()]
    _save(ctx, owner, doc)
    return [item for _, item in _wrapped_files(doc["secretFiles"])]
