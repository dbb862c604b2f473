"""Web services and workers on Render or Fly.io (``services:`` in a stack file).

The rule that matters here: ``platform`` picks the model, so each platform's keys are checked
against that platform only (``plan`` is Render's word, ``size`` is Fly's); what one field means
for another (a worker with a health check, a free plan that cannot scale) is checked in
``rules.py`` where every problem is reported with its own config path.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from paas_stacks.components.spec.common import EnvVars, FlyRegion, Links, RenderRegion, Spec

Kind = Literal["web", "worker"]
#: Render's compute instance types (render.com/pricing). ``free`` exists for web services only.
RenderPlan = Literal["free", "starter", "standard", "pro", "pro_plus", "pro_max", "pro_ultra"]
RenderRuntime = Literal["node", "python", "go", "ruby", "rust", "elixir", "docker", "image"]
#: Fly.io's named guest presets (fly.io/docs/machines/guides-examples/machine-sizing/).
FlySize = Literal[
    "shared-cpu-1x", "shared-cpu-2x", "shared-cpu-4x", "shared-cpu-8x", "performance-1x",
    "performance-2x", "performance-4x", "performance-8x", "performance-16x",
]  # fmt: skip
HealthPath = Annotated[str, Field(pattern=r"^/\S*$")]


class Autoscaling(Spec):
    """Instance bounds; Render scales on CPU/memory targets, Fly starts and stops machines."""

    min: int = Field(ge=0, le=100)
    max: int = Field(ge=1, le=100)
    target_cpu_percent: int | None = Field(default=None, ge=1, le=90)
    target_memory_percent: int | None = Field(default=None, ge=1, le=90)


class ServiceBase(Spec):
    """What a web service and a worker have on either platform."""

    #: ``web`` serves HTTP (health check, URL, domains); ``worker`` only runs.
    kind: Kind
    #: A fixed instance count; use ``autoscaling`` for a range instead.
    instances: int | None = Field(default=None, ge=1, le=100)
    autoscaling: Autoscaling | None = None
    health_check_path: HealthPath | None = None
    #: The port the process listens on (Render sets ``PORT``; Fly routes to it).
    port: int | None = Field(default=None, ge=1, le=65535)
    #: Runs before each deploy goes live (Render preDeployCommand, Fly release_command).
    pre_deploy_command: str | None = None
    env: EnvVars = Field(default_factory=dict)
    links: Links = ()


class RenderService(ServiceBase):
    """A Render web service or background worker, built from a repository or an image."""

    platform: Literal["render"]
    plan: RenderPlan
    runtime: RenderRuntime
    region: RenderRegion | None = None
    repo: Annotated[str, Field(pattern=r"^https://\S+$")] | None = None
    branch: str = "main"
    root_dir: str | None = None
    build_command: str | None = None
    start_command: str | None = None
    dockerfile: str | None = None
    docker_context: str | None = None
    image: str | None = None


class FlyService(ServiceBase):
    """A Fly.io app's process group: machines from an image, started and stopped on demand."""

    platform: Literal["fly"]
    size: FlySize
    #: Memory per machine; defaults to the preset's smallest (256 MB shared, 2 GB performance).
    memory_mb: int | None = Field(default=None, ge=256, le=131072, multiple_of=256)
    region: FlyRegion | None = None
    image: str | None = None
    start_command: str | None = None
    #: What Fly does with idle machines; ``suspend``/``stop`` let the app sleep down to ``min``.
    autostop: Literal["off", "stop", "suspend"] = "off"


ServiceSpec = Annotated[RenderService | FlyService, Field(discriminator="platform")]
