"""Turning a validated ``servicePOST`` into the ``service`` object Render returns.

Every response field uses the spec's name; the ``serviceDetails`` shape depends on the type
(web and static sites get ``https://<slug>.onrender.com``; slugs are unique sandbox-wide, like
the ``onrender.com`` names they stand for).
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from pydantic import ValidationError

from sandbox.core.context import VendorContext
from sandbox.render import models as m
from sandbox.render.common import VENDOR, iso, new_id
from sandbox.render.errors import bad_request, describe_errors

DASHBOARD_PATH = {
    "web_service": "web",
    "private_service": "pserv",
    "background_worker": "worker",
    "cron_job": "cron",
    "static_site": "static",
}
DOCKER_RUNTIMES = ("docker", "image")
#: What the recordings show for a running web or private service: the default ``PORT``.
OPEN_PORTS = ({"port": 10000, "protocol": "TCP"},)


def image_path(path: str) -> str:
    """The image as Render stores it: ``nginx`` reads back ``docker.io/library/nginx:latest``
    (recorded), a full reference stays as it is."""
    first, _, rest = path.partition("/")
    if not rest or not ("." in first or ":" in first or first == "localhost"):
        path = "docker.io/" + (path if rest else f"library/{path}")
    last = path.rsplit("/", 1)[-1]
    return path if ":" in last or "@" in last else f"{path}:latest"


def unique_slug(ctx: VendorContext, name: str) -> str:
    """``my-app``, or ``my-app-x1y2`` when another service (any workspace) already has it."""
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "service"
    taken = {doc["service"]["slug"] for doc in ctx.store.all(VENDOR, "service")}
    slug = base
    while slug in taken:
        slug = f"{base}-{secrets.token_hex(2)}"
    return slug


def validate_details(kind: str, raw: dict[str, object] | None) -> m.Strict:
    """The ``*DetailsPOST`` variant for ``kind``; runtime services must name their runtime."""
    model = m.DETAILS_MODELS[kind]
    if raw is None and kind != "static_site":
        raise bad_request("serviceDetails: required (with runtime) for a " + kind)
    try:
        details = model.model_validate(raw or {})
    except ValidationError as exc:
        errors = [{**e, "loc": ("serviceDetails", *e["loc"])} for e in exc.errors()]
        raise bad_request(describe_errors(errors)) from exc
    return details


def env_specific(
    runtime: str, raw: dict[str, object] | None, pre_deploy: str | None
) -> dict[str, Any]:
    """``dockerDetails`` for docker/image runtimes, ``nativeEnvironmentDetails`` otherwise."""
    try:
        if runtime in DOCKER_RUNTIMES:
            docker = m.DockerDetailsIn.model_validate(raw or {})

            def image_or(default: str) -> str:
                # Prebuilt images have no build context or Dockerfile.
                return "" if runtime == "image" else default

            out: dict[str, Any] = {
                "dockerCommand": docker.dockerCommand or "",
                "dockerContext": docker.dockerContext or image_or("."),
                "dockerfilePath": docker.dockerfilePath or image_or("./Dockerfile"),
            }
        else:
            if raw is None:
                raise bad_request(
                    "serviceDetails.envSpecificDetails: buildCommand and startCommand"
                    f" are required for the {runtime} runtime"
                )
            native = m.NativeDetailsIn.model_validate(raw)
            out = {"buildCommand": native.buildCommand, "startCommand": native.startCommand}
    except ValidationError as exc:
        errors = [
            {**e, "loc": ("serviceDetails", "envSpecificDetails", *e["loc"])} for e in exc.errors()
        ]
        raise bad_request(describe_errors(errors)) from exc
    if pre_deploy is not None:
        # Recorded: a PATCH with ``"preDeployCommand": ""`` reads back ``""`` (kept, not removed).
        out["preDeployCommand"] = pre_deploy
    return out


def details_json(kind: str, details: m.Strict, slug: str, service_id: str) -> dict[str, Any]:
    if isinstance(details, m.StaticDetailsIn):
        return _static_details(details, slug)
    assert isinstance(details, m.RuntimeDetailsIn)  # noqa: S101 - every other variant is one
    out: dict[str, Any] = {
        "env": details.runtime,
        "runtime": details.runtime,
        "envSpecificDetails": env_specific(
            details.runtime, details.envSpecificDetails, details.preDeployCommand
        ),
        "plan": details.plan,
        "region": details.region,
        "buildPlan": "starter",
    }
    if isinstance(details, m.CronDetailsIn):
        return {**out, "schedule": details.schedule}
    assert isinstance(details, m.ScaledDetailsIn)  # noqa: S101
    out |= {
        "numInstances": details.numInstances,
        "maxShutdownDelaySeconds": details.maxShutdownDelaySeconds,
        "pullRequestPreviewsEnabled": details.pullRequestPreviewsEnabled or "no",
        "previews": {"generation": details.previews.generation if details.previews else "off"},
        "sshAddress": f"{service_id}@ssh.{details.region}.render.com",
    }
    if details.autoscaling:
        out["autoscaling"] = details.autoscaling.model_dump()
    if details.disk:
        disk = details.disk
        out["disk"] = {
            "id": new_id("dsk-"),
            "name": disk.name,
            "sizeGB": disk.sizeGB or 1,
            "mountPath": disk.mountPath,
        }
    if kind == "private_service":
        # Recorded: a private service is reached as ``<slug>:10000`` on the private network, the
        # port Render detects (10000 is its default PORT).
        out |= {"openPorts": list(OPEN_PORTS), "url": f"{slug}:10000"}
    if isinstance(details, m.WebDetailsIn):
        out |= _web_extras(details, slug)
    return out


def _web_extras(details: m.WebDetailsIn, slug: str) -> dict[str, Any]:
    maintenance = details.maintenanceMode or m.MaintenanceMode(enabled=False, uri="")
    return {
        "healthCheckPath": details.healthCheckPath,
        "openPorts": list(OPEN_PORTS),
        "url": f"https://{slug}.onrender.com",
        "maintenanceMode": maintenance.model_dump(),
        "renderSubdomainPolicy": details.renderSubdomainPolicy,
        "ipAllowList": [c.model_dump() for c in details.ipAllowList or []],
    }


def _static_details(details: m.StaticDetailsIn, slug: str) -> dict[str, Any]:
    return {
        "buildCommand": details.buildCommand,
        "publishPath": details.publishPath,
        "url": f"https://{slug}.onrender.com",
        "buildPlan": "starter",
        "pullRequestPreviewsEnabled": details.pullRequestPreviewsEnabled or "no",
        "previews": {"generation": details.previews.generation if details.previews else "off"},
        "renderSubdomainPolicy": details.renderSubdomainPolicy,
        "ipAllowList": [c.model_dump() for c in details.ipAllowList or []],
    }


def service_json(ctx: VendorContext, body: m.ServicePost, service_id: str) -> dict[str, Any]:
    """The full ``service`` object for a new service; optional fields only when set."""
    if body.repo is None and body.image is None:
        raise bad_request("either repo or image must be provided")
    details = validate_details(body.type, body.serviceDetails)
    slug = unique_slug(ctx, body.name)
    stamp = iso(ctx.now())
    service: dict[str, Any] = {
        "id": service_id,
        "name": body.name,
        "ownerId": body.ownerId,
        "type": body.type,
        "autoDeploy": body.autoDeploy,
        "createdAt": stamp,
        "updatedAt": stamp,
        # Recorded next to autoDeploy: "commit" when it deploys on push, "off" otherwise.
        "autoDeployTrigger": "commit" if body.autoDeploy == "yes" else "off",
        "dashboardUrl": f"https://dashboard.render.com/{DASHBOARD_PATH[body.type]}/{service_id}",
        "notifyOnFail": "default",
        "rootDir": body.rootDir,
        "slug": slug,
        "suspended": "not_suspended",
        "suspenders": [],
        "serviceDetails": details_json(body.type, details, slug, service_id),
    }
    if body.repo is not None:
        service |= {"repo": body.repo, "branch": body.branch or "main"}
    if body.image is not None:
        service["imagePath"] = image_path(body.image.imagePath)
    if body.buildFilter is not None and (body.buildFilter.paths or body.buildFilter.ignoredPaths):
        # A filter of two nulls (what Terraform sends for "none") is stored as no filter.
        service["buildFilter"] = body.buildFilter.model_dump()
    if body.environmentId is not None:
        service["environmentId"] = body.environmentId
    return service
