"""The inputs of a Render service, checked per service type before any request is sent.

The rule that matters here: a field a type or runtime cannot have is an error naming the field,
never silently dropped, and ``desired`` reports every compared key in the form ``observe`` reads
it back (``None`` where the type has no such field), so a no-change ``up`` writes nothing.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from paas_stacks.providers._ownership import reserved
from paas_stacks.providers._resource import Inputs
from paas_stacks.providers.render.service_extras import BuildFilterInputs, DiskInputs
from paas_stacks.vendors.render import (
    CONTAINER_RUNTIMES,
    DEFAULT_PLAN,
    DEFAULT_REGION,
    PaidPlan,
    Region,
    Runtime,
    ServiceType,
)

__all__ = [
    "Autoscaling",
    "ServiceInputs",
    "desired_service",
]

SCALABLE = ("web", "worker", "pserv")


class Autoscaling(BaseModel):
    """Instances between ``min`` and ``max``, scaled on CPU and/or memory targets (percent)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min: int = Field(ge=1)
    max: int = Field(ge=1)
    target_cpu_percent: int | None = Field(default=None, ge=1, le=100)
    target_memory_percent: int | None = Field(default=None, ge=1, le=100)

    @model_validator(mode="after")
    def _sane(self) -> Autoscaling:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) must not exceed max ({self.max})")
        if self.target_cpu_percent is None and self.target_memory_percent is None:
            raise ValueError("give target_cpu_percent and/or target_memory_percent")
        return self


class ServiceInputs(Inputs):
    """Everything a ``Service`` declares; see the resource docstring for each field."""

    name: str = Field(min_length=1)
    type: ServiceType
    runtime: Runtime | None = None
    repo: str | None = None
    branch: str | None = None
    #: The commit to run (a full SHA); ``None``: whatever Render deploys (the branch's head).
    commit: str | None = Field(default=None, pattern=r"^[0-9a-f]{40}$")
    image: str | None = None
    root_dir: str = ""
    build_command: str | None = None
    start_command: str | None = None
    pre_deploy_command: str | None = None
    docker_command: str | None = None
    dockerfile_path: str | None = None
    docker_context: str | None = None
    publish_path: str | None = None
    schedule: str | None = None
    #: ``None``: Render's default (``DEFAULT_PLAN``, ``DEFAULT_REGION``), sent and compared as such.
    plan: PaidPlan | None = None
    region: Region | None = None
    health_check_path: str | None = None
    num_instances: int | None = Field(default=None, ge=1)
    autoscaling: Autoscaling | None = None
    auto_deploy: bool = True
    build_filter: BuildFilterInputs | None = None
    disk: DiskInputs | None = None
    #: Own-address vars, filled from the live service: name -> ``{url}``, ``{host}:10000``...
    self_env: dict[str, str] = Field(default_factory=dict)
    env_vars: dict[str, str] = Field(default_factory=dict)
    secret_files: dict[str, str] = Field(default_factory=dict)

    @field_validator("env_vars")
    @classmethod
    def _not_reserved(cls, value: dict[str, str]) -> dict[str, str]:
        if taken := reserved(value):
            raise ValueError(f"{taken} are reserved for the owner marker; rename them")
        return value

    @model_validator(mode="after")
    def _fits_type(self) -> ServiceInputs:
        problems = _type_problems(self) + _runtime_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def native(self) -> bool:
        return self.runtime is not None and self.runtime not in CONTAINER_RUNTIMES

    @property
    def plan_or_default(self) -> PaidPlan:
        return self.plan or DEFAULT_PLAN

    @property
    def region_or_default(self) -> Region:
        return self.region or DEFAULT_REGION


def _not_allowed(inputs: ServiceInputs, fields: tuple[str, ...], why: str) -> list[str]:
    return [f"{field} is not allowed {why}" for field in fields if getattr(inputs, field)]


def _type_problems(inputs: ServiceInputs) -> list[str]:
    kind = inputs.type
    if kind == "static":
        fields = (
            "runtime",
            "start_command",
            "pre_deploy_command",
            "plan",
            "region",
            "schedule",
            "health_check_path",
            "num_instances",
            "autoscaling",
            "image",
            "disk",
        )
        problems = _not_allowed(inputs, fields, "for a static site")
        return problems + ([] if inputs.repo else ["repo is required for a static site"])
    problems = [] if inputs.runtime else [f"runtime is required for a {kind} service"]
    problems += _not_allowed(inputs, ("publish_path",), "except for a static site")
    if kind == "cron" and not inputs.schedule:
        problems.append("schedule (a cron expression) is required for a cron job")
    if kind != "cron":
        problems += _not_allowed(inputs, ("schedule",), "except for a cron job")
    if kind != "web":
        problems += _not_allowed(inputs, ("health_check_path",), "except for a web service")
    if kind not in SCALABLE:
        problems += _not_allowed(inputs, ("num_instances", "autoscaling", "disk"), f"for a {kind}")
    scaling, count = inputs.autoscaling, inputs.num_instances
    if scaling is not None and count is not None and not scaling.min <= count <= scaling.max:
        problems.append("num_instances (the starting count) must lie within autoscaling")
    if kind == "cron":
        # Render's createDeploy: commitId is "not supported for cron jobs".
        problems += _not_allowed(inputs, ("commit",), "for a cron job (Render deploys its head)")
    problems += [
        f"self_env {key} is also in env_vars" for key in inputs.self_env if key in inputs.env_vars
    ]
    return problems


def _runtime_problems(inputs: ServiceInputs) -> list[str]:
    runtime = inputs.runtime
    if runtime is None:
        return []
    if runtime == "image":
        problems = [] if inputs.image else ["image (e.g. docker.io/org/app:tag) is required"]
        return problems + _not_allowed(
            inputs,
            (
                "repo",
                "branch",
                "commit",
                "build_command",
                "start_command",
                "dockerfile_path",
                "docker_context",
            ),
            "for the image runtime",
        )
    problems = [] if inputs.repo else [f"repo is required for the {runtime} runtime"]
    problems += _not_allowed(inputs, ("image",), f"for the {runtime} runtime (use runtime image)")
    if runtime == "docker":
        return problems + _not_allowed(
            inputs, ("build_command", "start_command"), "for the docker runtime (docker_command)"
        )
    problems += _not_allowed(
        inputs, ("docker_command", "dockerfile_path", "docker_context"), f"for {runtime}"
    )
    # Render's nativeEnvironmentDetailsPOST requires both commands.
    return problems + [
        f"{field} is required for the {runtime} runtime"
        for field in ("build_command", "start_command")
        if not getattr(inputs, field)
    ]


def desired_service(inputs: ServiceInputs) -> dict[str, Any]:
    """The compared keys as ``observe`` reports them; unset optional keys stay ``None``."""
    kind, static = inputs.type, inputs.type == "static"
    scalable = kind in SCALABLE
    return {
        "name": inputs.name,
        "type": kind,
        "runtime": inputs.runtime,
        "repo": inputs.repo,
        "branch": inputs.branch,
        "commit": inputs.commit,
        "image": inputs.image,
        "root_dir": inputs.root_dir,
        "build_command": (inputs.build_command or "") if static else inputs.build_command,
        "start_command": inputs.start_command,
        "pre_deploy_command": inputs.pre_deploy_command,
        "docker_command": inputs.docker_command,
        "dockerfile_path": inputs.dockerfile_path,
        "docker_context": inputs.docker_context,
        "publish_path": (inputs.publish_path or "public") if static else None,
        "schedule": inputs.schedule,
        "plan": None if static else inputs.plan_or_default,
        "region": None if static else inputs.region_or_default,
        "health_check_path": (inputs.health_check_path or "") if kind == "web" else None,
        # With autoscaling on, Render moves the instance count itself: not ours to compare.
        "num_instances": (inputs.num_instances or 1)
        if scalable and inputs.autoscaling is None
        else None,
        "autoscaling": inputs.autoscaling.model_dump(exclude_none=True)
        if inputs.autoscaling
        else None,
        "auto_deploy": inputs.auto_deploy,
        "build_filter": inputs.build_filter.model_dump() if inputs.build_filter else None,
        "disk": inputs.disk.model_dump() if inputs.disk else None,
        # None when there is none, as in a state written before services could read their own
        # address (an empty map there would be a change on every service after the upgrade).
        "self_env": dict(inputs.self_env) or None,
        "env_vars": dict(inputs.env_vars),
        "secret_files": dict(inputs.secret_files),
    }
