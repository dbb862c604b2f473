"""Per-resource log stream overrides (``/logs/streams/resource/{resourceId}``).

Recorded: a resource without an override answers 404 (that is the real "none set" answer, which
the Terraform provider reads as such); ``PUT {setting, endpoint?, token?}`` answers ``{resourceId,
setting, endpoint}`` (``endpoint`` is ``""`` for ``drop``); DELETE is 204. The token is kept but
never answered, like every other credential. A resource is any service, Postgres instance (or
one of its read replicas) or Key Value instance of the caller's workspace.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Response
from pydantic import model_validator

from sandbox.core.context import VendorContext
from sandbox.render.common import VENDOR, Body, Ctx, Owner, parse
from sandbox.render.errors import RenderError
from sandbox.render.models import Strict

router = APIRouter()
KIND = "log_stream_override"
PATH = "/logs/streams/resource/{resourceId}"


class OverridePut(Strict):
    setting: Literal["send", "drop"]
    endpoint: str | None = None
    token: str | None = None

    @model_validator(mode="after")
    def endpoint_only_when_sending(self) -> OverridePut:
        if self.setting == "send" and not self.endpoint:
            raise ValueError("endpoint is required when setting is send")
        if self.setting == "drop" and self.endpoint:
            raise ValueError("endpoint cannot be set when setting is drop")
        return self


def _exists(ctx: VendorContext, owner: str, resource_id: str) -> bool:
    if any(ctx.store.get(VENDOR, kind, resource_id, owner) for kind in ("service", "key_value")):
        return True
    return any(
        resource_id == item["postgres"]["id"]
        or resource_id in {r["id"] for r in item["postgres"]["readReplicas"]}
        for item in ctx.store.all(VENDOR, "postgres", owner)
    )


def _missing(resource_id: str) -> RenderError:
    # The recorded 404 for "no override" says which id it looked for.
    return RenderError(404, f"not found: {resource_id}")


@router.get(PATH)
def get_override(resourceId: str, ctx: Ctx, owner: Owner) -> dict[str, Any]:
    stored = ctx.store.get(VENDOR, KIND, resourceId, owner)
    if stored is None or not _exists(ctx, owner, resourceId):
        raise _missing(resourceId)
    return {k: stored[k] for k in ("resourceId", "setting", "endpoint")}


@router.put(PATH)
def put_override(resourceId: str, ctx: Ctx, owner: Owner, body: Body) -> dict[str, Any]:
    if not _exists(ctx, owner, resourceId):
        raise _missing(resourceId)
    request = parse(OverridePut, body)
    stored = {
        "resourceId": resourceId,
        "setting": request.setting,
        "endpoint": request.endpoint or "",
        "token": request.token,
    }
    ctx.store.put(VENDOR, KIND, resourceId, owner, stored)
    return {k: stored[k] for k in ("resourceId", "setting", "endpoint")}


@router.delete(PATH, status_code=204)
def delete_override(resourceId: str, ctx: Ctx, owner: Owner) -> Response:
    # Recorded: 204 after an override was set; 204 when none was set is UNCONFIRMED (idempotent,
    # like the other deletes of settings).
    if not _exists(ctx, owner, resourceId):
        raise _missing(resourceId)
    ctx.store.delete(VENDOR, KIND, resourceId)
    return Response(status_code=204)
