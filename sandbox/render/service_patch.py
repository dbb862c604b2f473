"""Applying a ``servicePATCH`` to a stored service.

Only fields the service's type has are changed (the spec's PATCH variants differ per type);
renaming keeps the slug and URL, as Render does.
"""

from __future__ import annotations

import copy
from typing import Any

from sandbox.render import models as m
from sandbox.render.service_view import env_specific, image_path

_TOP_LEVEL = ("autoDeploy", "repo", "branch", "name", "rootDir")
_DETAIL_FIELDS = (
    "healthCheckPath",
    "plan",
    "pullRequestPreviewsEnabled",
    "maxShutdownDelaySeconds",
    "renderSubdomainPolicy",
    "schedule",
    "buildCommand",
    "publishPath",
)


def apply_patch(service: dict[str, Any], patch: m.ServicePatch) -> dict[str, Any]:
    out = copy.deepcopy(service)
    for field in _TOP_LEVEL:
        value = getattr(patch, field)
        if value is not None:
            out[field] = value
    if patch.autoDeploy is not None:
        out["autoDeployTrigger"] = "commit" if patch.autoDeploy == "yes" else "off"
    if patch.image is not None:
        out["imagePath"] = image_path(patch.image.imagePath)
    if patch.buildFilter is not None:
        out.pop("buildFilter", None)
        if patch.buildFilter.paths or patch.buildFilter.ignoredPaths:
            out["buildFilter"] = patch.buildFilter.model_dump()
    if patch.serviceDetails is not None:
        _patch_details(out["serviceDetails"], patch.serviceDetails)
    return out


def _patch_details(details: dict[str, Any], patch: m.DetailsPatch) -> None:
    for field in _DETAIL_FIELDS:
        value = getattr(patch, field)
        if value is not None and field in details:
            details[field] = value
    for field, model in (("maintenanceMode", patch.maintenanceMode), ("previews", patch.previews)):
        if model is not None and field in details:
            details[field] = model.model_dump()
    if patch.ipAllowList is not None and "ipAllowList" in details:
        details["ipAllowList"] = [c.model_dump() for c in patch.ipAllowList]
    if "runtime" not in details:
        return
    if patch.runtime is not None:
        details["runtime"] = details["env"] = patch.runtime
    if patch.envSpecificDetails is not None or patch.preDeployCommand is not None:
        current = details["envSpecificDetails"]
        merged = {**current, **(patch.envSpecificDetails or {})}
        merged.pop("preDeployCommand", None)
        # Leaving the field out keeps the command; an empty string is stored as "" (recorded).
        pre_deploy = (
            current.get("preDeployCommand")
            if patch.preDeployCommand is None
            else patch.preDeployCommand
        )
        details["envSpecificDetails"] = env_specific(details["runtime"], merged, pre_deploy)
