"""Web services and workers on Render or Fly.io (``services:`` in a stack file).

The rule that matters here: a service's entry is the flat form of its component's arguments
(the platform's fields beside the service's own), so every key has the same name, type and
default as in ``WebServiceArgs``/``WorkerArgs`` and ``Render``/``Fly``; ``platform`` picks the
model, so each platform's keys are checked against that platform only.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from paas_stacks.components._fields import (
    AdoptId,
    Autoscaling,
    HealthPath,
    Instances,
    MemoryMb,
    Port,
    RepoUrl,
)
from paas_stacks.components.platforms import Kind
from paas_stacks.components.spec.common import EnvVars, Links, Spec
from paas_stacks.vendors import fly, render

__all__ = ["FlyServiceSpec", "RenderServiceSpec", "ServiceSpec"]


class ServiceSpecBase(Spec):
    """What a web service and a worker have on either platform."""

    #: ``web`` serves HTTP (health check, URL, domains); ``worker`` only runs.
    kind: Kind
    #: A fixed instance count; use ``autoscaling`` for a range instead.
    instances: Instances | None = None
    autoscaling: Autoscaling | None = None
    #: Web services: the path probed before a deploy takes traffic.
    health_check_path: HealthPath | None = None
    #: Web services: the port the process listens on (Render sets ``PORT``; Fly routes to it).
    port: Port | None = None
    #: Runs before each deploy goes live (Render preDeployCommand, Fly release_command).
    pre_deploy_command: str | None = None
    env: EnvVars = Field(default_factory=dict)
    links: Links = ()
    #: Take over this existing service (Render id) or app (Fly name) deliberately.
    adopt_id: AdoptId | None = None


class RenderServiceSpec(ServiceSpecBase):
    """A Render web service or background worker, built from a repository or an image."""

    platform: Literal["render"]
    plan: render.Plan
    runtime: render.Runtime
    #: Default: the environment's place.
    region: render.Region | None = None
    repo: RepoUrl | None = None
    branch: str | None = None
    root_dir: str | None = None
    build_command: str | None = None
    start_command: str | None = None
    dockerfile: str | None = None
    docker_context: str | None = None
    image: str | None = None


class FlyServiceSpec(ServiceSpecBase):
    """A Fly.io app: machines from an image, started and stopped on demand."""

    platform: Literal["fly"]
    size: fly.Size
    image: str | None = None
    #: Default: the environment's place.
    region: fly.Region | None = None
    #: Memory per machine; defaults to the preset's smallest (256 MB shared, 2 GB performance).
    memory_mb: MemoryMb | None = None
    #: What Fly does with idle machines; unset: ``stop`` with autoscaling, else ``off``.
    autostop: fly.Autostop | None = None
    org: str | None = None
    start_command: str | None = None


ServiceSpec = Annotated[RenderServiceSpec | FlyServiceSpec, Field(discriminator="platform")]
