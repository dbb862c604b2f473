"""Web services and workers on Render or Fly.io (``services:`` in a stack file).

The rule that matters here: a service's entry is the flat form of its component's arguments
(the platform's fields beside the service's own), so every key has the same name, type and
default as in ``WebServiceArgs``/``WorkerArgs`` and ``Render``/``Fly``; ``platform`` picks the
model, so each platform's keys are checked against that platform only.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field

from paas_stacks.components._fields import (
    AdoptId,
    Autoscaling,
    BuildFilter,
    CommitSha,
    Disk,
    HealthPath,
    ImageBuild,
    Instances,
    MemoryMb,
    Port,
    RepoUrl,
)
from paas_stacks.components._fly_fields import (
    FlyCheck,
    FlyConcurrency,
    FlyDuration,
    FlyProcess,
    FlyStatic,
    KillSignal,
    ProcessName,
)
from paas_stacks.components.platforms import Kind
from paas_stacks.components.spec.common import EnvVars, Links, Spec
from paas_stacks.vendors import fly, render, sizes

__all__ = ["FlyServiceSpec", "RenderServiceSpec", "ServiceSpec"]


#: Keys of one platform a service moved to the other keeps, and what to write instead: the
#: loader says this in place of "unknown key", so a move names every line to change.
PORTING: dict[str, dict[str, str]] = {
    "fly": {
        "plan": "Fly sizes machines with size:; write size: small|medium|... (both platforms) or "
        "a Fly preset",
        "runtime": "Fly machines run a prebuilt image; remove runtime and set image:",
        "repo": "Fly machines run a prebuilt image, not a repository build; remove repo and set "
        "image:",
        "branch": "Fly machines run a prebuilt image; remove branch",
        "root_dir": "Fly machines run a prebuilt image; remove root_dir",
        "build_command": "Fly machines run a prebuilt image; build it in CI and remove "
        "build_command",
        "dockerfile": "Fly machines run a prebuilt image; build the Dockerfile in CI, push it and "
        "set image:",
        "docker_context": "Fly machines run a prebuilt image; remove docker_context",
        "auto_deploy": "Fly deploys only what pulumi up sets; remove auto_deploy",
        "build_filter": "Fly builds nothing from a repository; remove build_filter",
    },
    "render": {
        "memory_mb": "Render's instance type fixes memory; write size: (both platforms) or plan:",
        "autostop": "Render keeps its instances running; remove autostop",
        "org": "Render services belong to the API key's workspace; remove org",
        "entrypoint": "Render runs the image's ENTRYPOINT; fold it into start_command",
        "process": "Render has no process groups; remove process",
        "processes": "Render has no process groups: declare each process as its own kind: worker "
        "service with its start_command",
        "checks": "Render probes only health_check_path; remove checks",
        "concurrency": "Render balances without per-instance limits; remove concurrency",
        "statics": "Render serves static files from a static site; remove statics",
        "kill_signal": "Render stops instances with SIGTERM; remove kill_signal",
        "kill_timeout": "Render's shutdown delay is not settable through paas-stacks; remove "
        "kill_timeout",
        "auto_rollback": "Render keeps the previous deploy live when a deploy fails; remove "
        "auto_rollback",
    },
}


class ServiceSpecBase(Spec):
    """What a web service and a worker have on either platform."""

    #: ``web`` serves HTTP publicly (health check, URL, domains); ``private`` serves on the
    #: private network only; ``worker`` only runs; ``cron`` runs on ``schedule`` and exits.
    kind: Kind
    #: A fixed instance count; beside ``autoscaling`` (Render), the count it starts at.
    instances: Instances | None = None
    autoscaling: Autoscaling | None = None
    #: Web services: the path probed before a deploy takes traffic.
    health_check_path: HealthPath | None = None
    #: Web and private services: the port the process listens on (sets ``PORT``).
    port: Port | None = None
    #: Cron jobs: a cron expression in UTC, e.g. ``0 3 * * *``.
    schedule: render.CronSchedule | None = None
    #: A persistent disk (a Render disk, a Fly volume): ``{name, mount_path, size_gb}``; the
    #: service runs one instance.
    disk: Disk | None = None
    #: Runs before each deploy goes live (Render preDeployCommand, Fly release_command).
    pre_deploy_command: str | None = None
    env: EnvVars = Field(default_factory=dict)
    #: Components whose values become env vars; a link to the service itself may name its own
    #: ``url``/``host``/``port``/``hostport`` under ``properties:``.
    links: Links = ()
    #: Image-backed services: built by the workflows from this repository for every commit
    #: (``image`` names the repository it is pushed to); the release pins its digest.
    build: ImageBuild | None = None
    #: Take over this existing service (Render id) or app (Fly name) deliberately.
    adopt_id: AdoptId | None = None


class RenderServiceSpec(ServiceSpecBase):
    """A Render web service or background worker, built from a repository or an image."""

    porting: ClassVar[dict[str, str]] = PORTING["render"]

    platform: Literal["render"]
    #: Render's instance type; unset: the one ``size`` names, else ``starter``.
    plan: render.Plan | None = None
    #: A size both platforms understand, instead of ``plan``.
    size: sizes.Size | None = None
    #: Unset: ``image`` when ``image`` is given (otherwise required).
    runtime: render.Runtime | None = None
    #: Default: the environment's place.
    region: render.Region | None = None
    #: Default: the environment's ``repository`` (then the service follows it).
    repo: RepoUrl | None = None
    branch: str | None = None
    #: A service of another repository: the commit it runs (a following one gets the release's).
    commit: CommitSha | None = None
    #: Render deploys each push by itself; default: off for a service that follows this
    #: repository or pins a commit (a push must not replace the release), else on.
    auto_deploy: bool | None = None
    root_dir: str | None = None
    build_command: str | None = None
    start_command: str | None = None
    dockerfile: str | None = None
    #: The Docker build context, relative to the repository root (Render's ``dockerContext``).
    docker_context: str | None = None
    image: str | None = None
    #: ``{paths, ignored_paths}``: which changed paths trigger an automatic deploy.
    build_filter: BuildFilter | None = None


class FlyServiceSpec(ServiceSpecBase):
    """A Fly.io app: machines from an image, started and stopped on demand."""

    porting: ClassVar[dict[str, str]] = PORTING["fly"]

    platform: Literal["fly"]
    #: A shared size (``small``, ``medium``...) or a Fly preset; unset: ``shared-cpu-1x``.
    size: sizes.Size | fly.Size | None = None
    image: str | None = None
    #: Default: the environment's place.
    region: fly.Region | None = None
    #: Memory per machine; defaults to the preset's smallest (256 MB shared, 2 GB performance).
    memory_mb: MemoryMb | None = None
    #: What Fly does with idle machines; unset: ``stop`` with autoscaling, else ``off``.
    autostop: fly.Autostop | None = None
    org: str | None = None
    #: The machines' command (fly.toml ``[processes]`` value or ``[experimental] cmd``); unset:
    #: the image's CMD.
    start_command: str | None = None
    #: Replaces the image's ENTRYPOINT (fly.toml ``[experimental] entrypoint``).
    entrypoint: str | None = None
    #: This service's own process group name; unset: ``app`` (``worker`` for a worker).
    process: ProcessName | None = None
    #: The app's other process groups (fly.toml ``[processes]``): ``{name: {start_command,
    #: size, memory_mb, instances, checks, kill_signal, kill_timeout}}``, same image and env.
    processes: dict[ProcessName, FlyProcess] = Field(default_factory=dict)
    #: Machine checks by name (fly.toml ``[checks]``): ``{type: http|tcp, port, path, method,
    #: interval, timeout, grace_period}``.
    checks: dict[str, FlyCheck] = Field(default_factory=dict)
    #: Web: ``{type: connections|requests, soft_limit, hard_limit}`` per machine.
    concurrency: FlyConcurrency | None = None
    #: Web: ``[{guest_path, url_prefix}]`` served by Fly's proxy from the image.
    statics: tuple[FlyStatic, ...] = ()
    #: The signal that stops a machine, and how long before it is killed.
    kill_signal: KillSignal | None = None
    #: e.g. ``30s``: how long a machine has to exit after ``kill_signal`` before it is killed
    #: (fly.toml ``kill_timeout``); unset: Fly's default.
    kill_timeout: FlyDuration | None = None
    #: A machine that fails to start after an update puts the rollout's machines back.
    auto_rollback: bool = False


ServiceSpec = Annotated[RenderServiceSpec | FlyServiceSpec, Field(discriminator="platform")]
