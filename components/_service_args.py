"""What a web service and a worker declare on either platform, and the checks of those values.

The rule that matters here: a setting is checked against the platform that will run it, eagerly,
so a Render word on Fly (``plan``), a Fly word on Render (``size``) or a setting the platform
cannot honour is a ``ValueError`` naming the arg before any resource is registered, never a
silently dropped value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, get_args

import pulumi

from paas_stacks.components.linking import Link, Linkable
from paas_stacks.components.spec.common import FlyRegion, RenderRegion
from paas_stacks.components.spec.errors import choices
from paas_stacks.components.spec.services import (
    FlyService,
    FlySize,
    RenderPlan,
    RenderRuntime,
    RenderService,
)

__all__ = ["PLATFORMS", "ServiceArgs", "check_service", "own_env", "spec_fields"]

PLATFORMS = ("render", "fly")
RENDER_PLANS: tuple[str, ...] = get_args(RenderPlan)
RENDER_RUNTIMES: tuple[str, ...] = get_args(RenderRuntime)
FLY_SIZES: tuple[str, ...] = get_args(FlySize)
RENDER_REGIONS: tuple[str, ...] = get_args(RenderRegion)
FLY_REGIONS: tuple[str, ...] = get_args(FlyRegion)
AUTOSTOP = ("off", "stop", "suspend")
#: Settings only one platform has: set on the other, they are an error, not ignored.
RENDER_ONLY = (
    "plan", "runtime", "repo", "branch", "root_dir", "build_command", "dockerfile",
    "docker_context", "target_cpu_percent", "target_memory_percent",
)  # fmt: skip
FLY_ONLY = ("size", "memory_mb", "autostop", "org")


@dataclass
class ServiceArgs:
    """Fields a web service and a worker share; each platform reads its own."""

    #: ``render`` or ``fly``.
    platform: str
    #: The vendor-side name: the Render service's name or the Fly app's (global) name.
    name: pulumi.Input[str]
    #: The vendor's region code (Render ``oregon``..., Fly ``iad``...); Fly requires one.
    region: str | None = None
    #: A fixed instance count (Fly: machines in the region); exclusive with autoscaling.
    instances: int | None = None
    #: Autoscaling lower bound (Fly: ``min_machines_running``); set with ``max_instances``.
    min_instances: int | None = None
    #: Autoscaling upper bound (Fly: the machines created, stopped when idle).
    max_instances: int | None = None
    #: Render autoscaling CPU target in percent (70 when autoscaling sets no target).
    target_cpu_percent: int | None = None
    #: Render autoscaling memory target in percent.
    target_memory_percent: int | None = None
    #: Runs before each deploy goes live (Render pre-deploy command, Fly ``release_command``).
    pre_deploy_command: pulumi.Input[str] | None = None
    #: The service's own env vars (plain on Fly; Render keeps every var secret).
    env: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    #: Components whose ``env()`` becomes env vars (on Fly: app secrets).
    links: Sequence[Link | Linkable] = ()
    #: Render instance type: ``free`` (web only), ``starter``, ``standard``, ``pro``...
    plan: str | None = None
    #: Render runtime: a native one (``node``, ``python``...), ``docker`` or ``image``.
    runtime: str | None = None
    #: Render: the git repository (native and docker runtimes).
    repo: pulumi.Input[str] | None = None
    #: Render: the branch to deploy (Render's default: the repository's default branch).
    branch: pulumi.Input[str] | None = None
    #: Render: the directory of the service inside the repository.
    root_dir: pulumi.Input[str] | None = None
    #: Render native runtimes: the build command.
    build_command: pulumi.Input[str] | None = None
    #: Render: the start command (docker/image runtimes: the container command).
    start_command: pulumi.Input[str] | None = None
    #: Render docker runtime: the Dockerfile's path.
    dockerfile: pulumi.Input[str] | None = None
    #: Render docker runtime: the build context.
    docker_context: pulumi.Input[str] | None = None
    #: A prebuilt image: Render runtime ``image``; Fly (required).
    image: pulumi.Input[str] | None = None
    #: Fly guest preset, e.g. ``shared-cpu-1x`` or ``performance-2x``.
    size: str | None = None
    #: Fly memory per machine (multiple of 256); default the preset's smallest.
    memory_mb: int | None = None
    #: Fly idle machines: ``off``, ``stop``, ``suspend`` (default ``stop`` with autoscaling).
    autostop: str | None = None
    #: Fly organization slug (default the token's ``personal`` org).
    org: pulumi.Input[str] | None = None

    @property
    def autoscaling(self) -> bool:
        return self.min_instances is not None or self.max_instances is not None


def check_service(
    args: ServiceArgs, kind: str, port: int | None = None, health_check_path: str | None = None
) -> None:
    """Raise one ``ValueError`` listing every setting ``args.platform`` cannot take."""
    if args.platform not in PLATFORMS:
        raise ValueError(f"platform: {choices(args.platform, PLATFORMS)}")
    problems = _scaling_problems(args)
    if args.platform == "render":
        problems += _render_problems(args, kind)
    else:
        problems += _fly_problems(args, kind)
    if port is not None and not 1 <= port <= 65535:
        problems.append(f"port: {port} is not a TCP port (1-65535)")
    if health_check_path is not None and not re.fullmatch(r"/\S*", health_check_path):
        problems.append(f"health_check_path: {health_check_path!r} is not a path like '/health'")
    if problems:
        raise ValueError(f"{kind} service {args.name!r}: " + "; ".join(problems))


def _scaling_problems(args: ServiceArgs) -> list[str]:
    low, high = args.min_instances, args.max_instances
    if not args.autoscaling:
        targets = args.target_cpu_percent, args.target_memory_percent
        if any(t is not None for t in targets):
            return ["target_cpu_percent/target_memory_percent need min_instances and max_instances"]
        return []
    if low is None or high is None:
        return [f"autoscaling needs both min_instances and max_instances (got {low}, {high})"]
    problems = [] if args.instances is None else ["set instances or min/max_instances, not both"]
    if low > high:
        problems.append(f"min_instances {low} is greater than max_instances {high}")
    return problems


def _render_problems(args: ServiceArgs, kind: str) -> list[str]:
    problems = _others(args, FLY_ONLY, "a Fly setting")
    if args.plan not in RENDER_PLANS:
        problems.append(f"plan: {choices(args.plan, RENDER_PLANS)}")
    if args.region is not None and args.region not in RENDER_REGIONS:
        problems.append(f"region: {choices(args.region, RENDER_REGIONS)}")
    if args.runtime not in RENDER_RUNTIMES:
        problems.append(f"runtime: {choices(args.runtime, RENDER_RUNTIMES)}")
    if args.plan == "free":
        if kind == "worker":
            problems.append("plan: 'free' exists for web services only (render.com/docs/free)")
        if args.autoscaling or (args.instances or 1) > 1:
            problems.append("plan: a 'free' service runs one instance (render.com/docs/free)")
        if args.pre_deploy_command is not None:
            problems.append("pre_deploy_command: needs a paid plan (render.com/docs/deploys)")
    if args.autoscaling and (args.min_instances or 0) < 1:
        problems.append(f"min_instances: Render keeps at least 1 (got {args.min_instances})")
    return problems + _render_source_problems(args)


def _render_source_problems(args: ServiceArgs) -> list[str]:
    """Where the code comes from: a prebuilt image, a Dockerfile, or native build commands."""
    runtime = args.runtime
    if runtime == "image":
        problems = [] if args.image is not None else ["image: required for runtime 'image'"]
        unused = ("repo", "branch", "build_command", "dockerfile", "docker_context")
        return problems + _unused(args, unused, "runtime 'image' runs a prebuilt image")
    problems = [] if args.repo is not None else [f"repo: required for runtime {runtime!r}"]
    if args.image is not None:
        problems.append(f"image: only for runtime 'image' (runtime is {runtime!r})")
    if runtime == "docker":
        return problems + _unused(
            args, ("build_command",), "runtime 'docker' builds its Dockerfile"
        )
    problems += _unused(args, ("dockerfile", "docker_context"), "only for runtime 'docker'")
    return problems + [
        f"{key}: required for runtime {runtime!r}"
        for key in ("build_command", "start_command")
        if getattr(args, key) is None and runtime in RENDER_RUNTIMES
    ]


def _unused(args: ServiceArgs, names: Sequence[str], why: str) -> list[str]:
    return [f"{name}: {why}" for name in names if getattr(args, name) is not None]


def _fly_problems(args: ServiceArgs, kind: str) -> list[str]:
    problems = _others(args, RENDER_ONLY, "a Render setting")
    if args.size not in FLY_SIZES:
        problems.append(f"size: {choices(args.size, FLY_SIZES)}")
    if args.region is None:
        problems.append("region: required on Fly (a region code such as 'iad')")
    elif args.region not in FLY_REGIONS:
        problems.append(f"region: {choices(args.region, FLY_REGIONS, 'is not a Fly region')}")
    if args.image is None:
        problems.append("image: required on Fly (machines run an image, e.g. registry.fly.io/…)")
    if args.memory_mb is not None and (args.memory_mb < 256 or args.memory_mb % 256):
        problems.append(f"memory_mb: {args.memory_mb} is not a multiple of 256 (>= 256)")
    if args.autostop is not None and args.autostop not in AUTOSTOP:
        problems.append(f"autostop: {choices(args.autostop, AUTOSTOP)}")
    if args.start_command is not None:
        # paas_stacks.providers.fly.Machines sends no init.cmd: the image's CMD is what runs.
        problems.append("start_command: not supported on Fly yet; set the image's CMD")
    if kind == "worker" and args.autostop is not None:
        problems.append("autostop: Fly stops idle machines behind its proxy; a worker has none")
    if kind == "worker" and args.autoscaling:
        # Fly's autostart/autostop follow proxied requests, and a worker receives none.
        problems.append("min/max_instances: a Fly worker has no requests to scale on; "
                        "use instances")  # fmt: skip
    return problems


def _others(args: ServiceArgs, names: Sequence[str], what: str) -> list[str]:
    return [
        f"{name}: {getattr(args, name)!r} is {what}; platform is {args.platform!r}"
        for name in names
        if getattr(args, name) is not None
    ]


def own_env(args: ServiceArgs, port: int | None) -> dict[str, pulumi.Input[str]]:
    """The service's own vars, plus ``PORT`` when a port is declared (Render routes to
    ``PORT``; apps on Fly read it too)."""
    env = dict(args.env)
    if port is None:
        return env
    declared = env.get("PORT")
    if isinstance(declared, str) and declared != str(port):
        raise ValueError(f"env PORT {declared!r} contradicts port {port}; drop one of them")
    env.setdefault("PORT", str(port))
    return env


def spec_fields(spec: RenderService | FlyService) -> dict[str, Any]:
    """``ServiceArgs`` keyword arguments from a spec model (either platform)."""
    scaling = spec.autoscaling
    fields: dict[str, Any] = {
        "platform": spec.platform,
        "instances": spec.instances,
        "pre_deploy_command": spec.pre_deploy_command,
        "env": dict(spec.env),
    }
    if scaling:
        fields.update(min_instances=scaling.min, max_instances=scaling.max,
                      target_cpu_percent=scaling.target_cpu_percent,
                      target_memory_percent=scaling.target_memory_percent)  # fmt: skip
    keys = ("plan", "runtime", "repo", "branch", "root_dir", "build_command", "start_command",
            "dockerfile", "docker_context", "image", "size", "memory_mb")  # fmt: skip
    fields.update({key: getattr(spec, key) for key in keys if hasattr(spec, key)})
    if (
        isinstance(spec, RenderService)
        and spec.runtime == "image"
        and "branch" not in spec.model_fields_set
    ):
        fields["branch"] = None  # the spec's default ``main`` means nothing for an image
    if isinstance(spec, FlyService) and "autostop" in spec.model_fields_set:
        fields["autostop"] = spec.autostop
    return fields
