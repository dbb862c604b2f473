"""A Render service's persistent disk, build filter and own-address env vars.

The rule that matters here: each of the three is declared whole and read back whole. The disk
is sent with the service on create (``serviceDetails.disk``) and afterwards through
``/disks`` (POST to add, PATCH to grow or move, DELETE to remove, which loses its data); the
build filter is a top-level field of ``servicePOST``/``servicePATCH``; an own-address var
(``self_env``: ``{"PUBLIC_URL": "{url}"}``) is filled from the live service, so a service can
read its own URL although the URL exists only once the service does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from paas_stacks.providers.render.client import RenderClient

__all__ = [
    "BuildFilterInputs",
    "DiskInputs",
    "build_filter_body",
    "disk_body",
    "fill_self_env",
    "observe_build_filter",
    "observe_disk",
    "split_self_env",
    "sync_disk",
]


class DiskInputs(BaseModel):
    """A persistent disk: its name, where it is mounted and its size (it only grows)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    mount_path: str = Field(pattern=r"^/")
    size_gb: int = Field(default=1, ge=1)


class BuildFilterInputs(BaseModel):
    """Globs of the paths whose changes deploy, and of those whose changes never do."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    paths: list[str] = Field(default_factory=list)
    ignored_paths: list[str] = Field(default_factory=list)


def disk_body(disk: DiskInputs) -> dict[str, Any]:
    return {"name": disk.name, "mountPath": disk.mount_path, "sizeGB": disk.size_gb}


def observe_disk(details: Mapping[str, Any]) -> dict[str, Any] | None:
    disk = details.get("disk")
    if not disk:
        return None
    return {"name": disk["name"], "mount_path": disk["mountPath"], "size_gb": disk["sizeGB"]}


def build_filter_body(build_filter: BuildFilterInputs | None) -> dict[str, Any]:
    """Both lists are always sent: an omitted one would be replaced by an empty list."""
    if build_filter is None:
        return {"paths": [], "ignoredPaths": []}
    return {"paths": build_filter.paths, "ignoredPaths": build_filter.ignored_paths}


def observe_build_filter(service: Mapping[str, Any]) -> dict[str, Any] | None:
    """``None`` when Render holds no filter (or an empty one: the same thing)."""
    found = service.get("buildFilter") or {}
    paths, ignored = list(found.get("paths") or []), list(found.get("ignoredPaths") or [])
    if not paths and not ignored:
        return None
    return {"paths": paths, "ignored_paths": ignored}


def sync_disk(client: RenderClient, service_id: str, wanted: DiskInputs | None) -> bool:
    """Make the service's disk as declared; True when one was added (it needs a deploy)."""
    listed = client.list_all("/disks", {"serviceId": service_id}, "disk")
    current = listed[0] if listed else None
    if wanted is None:
        if current is not None:
            client.delete(f"/disks/{current['id']}")
        return False
    if current is None:
        client.json("POST", "/disks", json={**disk_body(wanted), "serviceId": service_id})
        return True
    body = {k: v for k, v in disk_body(wanted).items() if current.get(k) != v}
    if body:
        client.json("PATCH", f"/disks/{current['id']}", json=body)
    return False


def _address(service: Mapping[str, Any]) -> dict[str, str]:
    details = service.get("serviceDetails") or {}
    return {"{url}": str(details.get("url") or ""), "{host}": str(service.get("slug") or "")}


def fill_self_env(templates: Mapping[str, str], service: Mapping[str, Any]) -> dict[str, str]:
    """The own-address vars' values for this live service."""
    values = _address(service)
    out = {}
    for key, template in templates.items():
        text = template
        for placeholder, value in values.items():
            text = text.replace(placeholder, value)
        out[key] = text
    return out


def split_self_env(
    env: Mapping[str, str], templates: Mapping[str, str], service: Mapping[str, Any]
) -> tuple[dict[str, str], dict[str, str]]:
    """The service's vars without its own-address ones, and those as the templates that made
    them (a var changed by hand reads back as its value, so the diff shows it)."""
    filled = fill_self_env(templates, service)
    own = {k: v for k, v in env.items() if k not in templates}
    seen = {
        key: templates[key] if env[key] == filled[key] else env[key]
        for key in templates
        if key in env
    }
    return own, seen
