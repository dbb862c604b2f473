"""Render service request bodies (``servicePOST``/``servicePATCH``) and the read-back mapping.

The rule that matters here: ``observe_service`` reads every compared key from Render's answer
(service, env vars, secret files) under the same key ``desired_service`` uses, so drift made in
the dashboard shows up as an ordinary diff.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from paas_stacks.providers.render.base import by_key
from paas_stacks.providers.render.ownership import SERVICE_OWNER_VAR, env_list, without_marker
from paas_stacks.providers.render.service_extras import (
    build_filter_body,
    disk_body,
    observe_build_filter,
    observe_disk,
    split_self_env,
)
from paas_stacks.providers.render.service_inputs import ServiceInputs
from paas_stacks.providers.render.service_release import released
from paas_stacks.vendors.render import API_SERVICE_TYPES, CONTAINER_RUNTIMES

__all__ = [
    "DEPLOY_KEYS",
    "autoscaling_body",
    "details_post",
    "env_body",
    "observe_service",
    "patch_body",
    "service_post",
]

SHORT_TYPES = {api: short for short, api in API_SERVICE_TYPES.items()}
#: Changes the running code sees only after a new deploy (Render applies builds and env at
#: deploy time), so an update touching one of these triggers ``POST /services/{id}/deploys``.
DEPLOY_KEYS = frozenset(
    {
        "runtime",
        "repo",
        "branch",
        "commit",
        "image",
        "root_dir",
        "build_command",
        "start_command",
        "pre_deploy_command",
        "docker_command",
        "dockerfile_path",
        "docker_context",
        "publish_path",
        "env_vars",
        "secret_files",
    }
)
_TOP = {"name": "name", "repo": "repo", "branch": "branch", "root_dir": "rootDir"}
_DETAILS = {
    "plan": "plan",
    "health_check_path": "healthCheckPath",
    "schedule": "schedule",
    "pre_deploy_command": "preDeployCommand",
    "runtime": "runtime",
    "publish_path": "publishPath",
}
_ENV_SPECIFIC = (
    "build_command",
    "start_command",
    "docker_command",
    "dockerfile_path",
    "docker_context",
    "runtime",
)


def env_specific(inputs: ServiceInputs) -> dict[str, Any]:
    """``envSpecificDetails``: native commands, or the docker settings that were given."""
    if inputs.native:
        return {"buildCommand": inputs.build_command, "startCommand": inputs.start_command}
    docker = {
        "dockerCommand": inputs.docker_command,
        "dockerfilePath": inputs.dockerfile_path,
        "dockerContext": inputs.docker_context,
    }
    return {key: value for key, value in docker.items() if value is not None}


def autoscaling_body(inputs: ServiceInputs) -> dict[str, Any]:
    """Render's ``autoscalingConfig``; a target left out is sent disabled."""
    scaling = inputs.autoscaling
    assert scaling is not None  # noqa: S101 - callers check

    def criterion(target: int | None) -> dict[str, Any]:
        return {"enabled": target is not None, "percentage": target or 80}

    return {
        "enabled": True,
        "min": scaling.min,
        "max": scaling.max,
        "criteria": {
            "cpu": criterion(scaling.target_cpu_percent),
            "memory": criterion(scaling.target_memory_percent),
        },
    }


def details_post(inputs: ServiceInputs) -> dict[str, Any]:
    """The ``*DetailsPOST`` variant for the service's type."""
    if inputs.type == "static":
        return {
            "buildCommand": inputs.build_command or "",
            "publishPath": inputs.publish_path or "public",
        }
    details: dict[str, Any] = {
        "runtime": inputs.runtime,
        "plan": inputs.plan_or_default,
        "region": inputs.region_or_default,
        "envSpecificDetails": env_specific(inputs),
    }
    if inputs.pre_deploy_command is not None:
        details["preDeployCommand"] = inputs.pre_deploy_command
    if inputs.type == "cron":
        details["schedule"] = inputs.schedule
    if inputs.type == "web":
        details["healthCheckPath"] = inputs.health_check_path or ""
    if inputs.autoscaling is not None:
        details["autoscaling"] = autoscaling_body(inputs)
    if inputs.type in ("web", "worker", "pserv"):
        # With autoscaling too, the count it starts at (Render moves it from there).
        details["numInstances"] = inputs.num_instances or (
            inputs.autoscaling.min if inputs.autoscaling else 1
        )
    if inputs.disk is not None:
        details["disk"] = disk_body(inputs.disk)
    return details


def env_body(inputs: ServiceInputs) -> list[dict[str, str]]:
    """The service's env vars as Render takes them: the declared ones and the owner marker."""
    return env_list(inputs.env_vars, inputs.owner, SERVICE_OWNER_VAR)


def service_post(inputs: ServiceInputs, owner_id: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": API_SERVICE_TYPES[inputs.type],
        "name": inputs.name,
        "ownerId": owner_id,
        "autoDeploy": "yes" if inputs.auto_deploy else "no",
        "rootDir": inputs.root_dir,
        "envVars": env_body(inputs),
        "secretFiles": [{"name": k, "content": v} for k, v in inputs.secret_files.items()],
        "serviceDetails": details_post(inputs),
    }
    if inputs.repo is not None:
        body["repo"] = inputs.repo
    if inputs.branch is not None:
        body["branch"] = inputs.branch
    if inputs.image is not None:
        body["image"] = {"ownerId": owner_id, "imagePath": inputs.image}
    if inputs.build_filter is not None:
        body["buildFilter"] = build_filter_body(inputs.build_filter)
    return body


def patch_body(
    inputs: ServiceInputs, keys: Collection[str], owner_id: Callable[[], str]
) -> dict[str, Any]:
    """The ``servicePATCH`` for the changed ``keys`` that PATCH can carry (empty: none)."""
    body: dict[str, Any] = {_TOP[k]: getattr(inputs, k) for k in keys if k in _TOP}
    if "auto_deploy" in keys:
        body["autoDeploy"] = "yes" if inputs.auto_deploy else "no"
    if "image" in keys:
        body["image"] = {"ownerId": owner_id(), "imagePath": inputs.image}
    if "build_filter" in keys:
        body["buildFilter"] = build_filter_body(inputs.build_filter)
    details: dict[str, Any] = {
        _DETAILS[k]: getattr(inputs, k) or "" for k in keys if k in _DETAILS and k != "plan"
    }
    if "plan" in keys:
        details["plan"] = inputs.plan_or_default
    if inputs.type == "static" and "build_command" in keys:
        details["buildCommand"] = inputs.build_command or ""
    elif inputs.type != "static" and any(k in keys for k in _ENV_SPECIFIC):
        details["envSpecificDetails"] = env_specific(inputs)
    if details:
        body["serviceDetails"] = details
    return body


def _observed_autoscaling(details: dict[str, Any]) -> dict[str, Any] | None:
    scaling = details.get("autoscaling")
    if not scaling or not scaling.get("enabled"):
        return None
    criteria = scaling.get("criteria") or {}

    def target(name: str) -> int | None:
        item = criteria.get(name) or {}
        return int(item["percentage"]) if item.get("enabled") else None

    found = {
        "min": scaling["min"],
        "max": scaling["max"],
        "target_cpu_percent": target("cpu"),
        "target_memory_percent": target("memory"),
    }
    # An unset target is absent, as the engine stores it (a None in a map is not kept in state).
    return {key: value for key, value in found.items() if value is not None}


def observe_service(
    service: dict[str, Any],
    env_vars: list[dict[str, Any]],
    files: list[dict[str, Any]],
    live: dict[str, Any] | None = None,
    self_env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Outputs from Render's ``service``, its env vars and secret files, and its ``live``
    deploy: the commit and image it runs are the live deploy's, whoever started it;
    ``self_env`` (the templates last declared) says which vars are the service's own address."""
    release = released(live)
    details: dict[str, Any] = service.get("serviceDetails") or {}
    kind = SHORT_TYPES.get(service["type"], service["type"])
    runtime = details.get("runtime") or details.get("env")
    env = details.get("envSpecificDetails") or {}
    native = runtime is not None and runtime not in CONTAINER_RUNTIMES
    docker = runtime in CONTAINER_RUNTIMES
    static = kind == "static"
    return {
        "name": service["name"],
        "type": kind,
        "runtime": runtime,
        "repo": service.get("repo"),
        "branch": service.get("branch"),
        "commit": release["commit"],
        # An image-backed service runs what its live deploy runs (nothing before one is live).
        "image": release["image_ref"] if "imagePath" in service else None,
        "image_digest": release["image_digest"],
        "live_deploy_id": release["live_deploy_id"],
        "root_dir": service.get("rootDir", ""),
        "build_command": details.get("buildCommand") if static else env.get("buildCommand"),
        "start_command": env.get("startCommand") if native else None,
        "pre_deploy_command": None if static else env.get("preDeployCommand") or "",
        "docker_command": env.get("dockerCommand") if docker else None,
        "dockerfile_path": env.get("dockerfilePath") if docker else None,
        "docker_context": env.get("dockerContext") if docker else None,
        "publish_path": details.get("publishPath") if static else None,
        "schedule": details.get("schedule"),
        "plan": None if static else details.get("plan"),
        "region": None if static else details.get("region"),
        "health_check_path": details.get("healthCheckPath") if kind == "web" else None,
        "num_instances": details.get("numInstances"),
        "autoscaling": _observed_autoscaling(details),
        "auto_deploy": service.get("autoDeploy") == "yes",
        "build_filter": observe_build_filter(service),
        "disk": None if static else observe_disk(details),
        **_env(
            by_key(without_marker(env_vars, SERVICE_OWNER_VAR), "key", "value"),
            self_env or {},
            service,
        ),
        "secret_files": by_key(files, "name", "content"),
        "url": details.get("url"),
        "slug": service.get("slug"),
        "dashboard_url": service.get("dashboardUrl"),
        "owner_id": service.get("ownerId"),
    }


def _env(env: dict[str, str], templates: dict[str, str], service: dict[str, Any]) -> dict[str, Any]:
    own, seen = split_self_env(env, templates, service)
    return {"env_vars": own, "self_env": seen or None}
