"""Per-service notification overrides (``/notification-settings/overrides/services/{id}``).

Render's Terraform provider PATCHes and reads this on every service create and read, so a
service without an override must still answer 200: the recordings show ``{serviceId,
notificationsToSend, previewNotificationsEnabled}`` with ``default`` meaning "the workspace's
setting". The override lives in the service's document and goes with it.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter

from sandbox.render.common import VENDOR, Body, Ctx, Owner, iso, load, parse
from sandbox.render.models import Strict

router = APIRouter()
PATH = "/notification-settings/overrides/services/{serviceId}"


class OverridePatch(Strict):
    notificationsToSend: Literal["default", "none", "failure", "all"] | None = None
    previewNotificationsEnabled: Literal["default", "false", "true"] | None = None


def override_of(doc: dict[str, Any]) -> dict[str, Any]:
    stored = doc.get("notificationOverride") or {}
    return {
        "serviceId": doc["service"]["id"],
        "notificationsToSend": stored.get("notificationsToSend", "default"),
        "previewNotificationsEnabled": stored.get("previewNotificationsEnabled", "default"),
    }


@router.get(PATH)
def get_override(serviceId: str, ctx: Ctx, owner: Owner) -> dict[str, Any]:
    return override_of(load(ctx, "service", serviceId, owner, "service"))


@router.patch(PATH)
def patch_override(serviceId: str, ctx: Ctx, owner: Owner, body: Body) -> dict[str, Any]:
    doc = load(ctx, "service", serviceId, owner, "service")
    request = parse(OverridePatch, body)
    doc["notificationOverride"] = {**override_of(doc), **request.model_dump(exclude_none=True)}
    doc["service"]["updatedAt"] = iso(ctx.now())
    ctx.store.put(VENDOR, "service", serviceId, owner, doc)
    return override_of(doc)
