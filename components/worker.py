"""``Worker``: a background process (queue consumer, scheduler) on Render or Fly.io.

The rule that matters here: a worker serves no HTTP, so it has no port, health check, URL or
domain, and a link to it provides nothing (``env()`` is empty, as ``provided_env`` says); it
consumes links exactly like a web service does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import pulumi

from paas_stacks.components._component import Component
from paas_stacks.components._service_args import ServiceArgs, spec_fields
from paas_stacks.components._service_backends import build_backend, prepare
from paas_stacks.components.linking import Link

if TYPE_CHECKING:
    from paas_stacks.components.spec.environment import EnvironmentSpec
    from paas_stacks.components.spec.services import FlyService, RenderService

__all__ = ["Worker", "WorkerArgs", "from_spec"]


@dataclass
class WorkerArgs(ServiceArgs):
    """A worker takes the shared service fields only (Fly: no autoscaling, no autostop)."""


class Worker(Component):
    """A Render background worker, or a Fly app whose machines run without a proxy."""

    type_name: ClassVar[str] = "Worker"

    #: Render's service id (``srv-…``); on Fly, the app name.
    service_id: pulumi.Output[str]
    #: The vendor-side name (Render service name, Fly app name).
    app_name: pulumi.Output[str]
    #: ``render`` or ``fly``.
    platform: pulumi.Output[str]

    def __init__(
        self, name: str, args: WorkerArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        ready = prepare(args, "worker")
        super().__init__(name, opts)
        backend = build_backend(self, ready)
        self.service_id = backend.service_id
        self.app_name = backend.app_name
        self.platform = pulumi.Output.from_input(args.platform)
        self.register_outputs(
            {"service_id": self.service_id, "app_name": self.app_name, "platform": self.platform}
        )

    def env(self) -> Mapping[str, pulumi.Output[str]]:
        """Nothing: a worker has no address to give (the spec refuses links to it)."""
        return {}


def from_spec(
    name: str,
    spec: RenderService | FlyService,
    environment: EnvironmentSpec,
    *,
    links: Sequence[Link],
    opts: pulumi.ResourceOptions | None = None,
) -> Worker:
    """``services.<name>`` with ``kind: worker``, named ``<environment>-<name>`` on the vendor."""
    if spec.kind != "worker":
        raise ValueError(f"services.{name}: kind is {spec.kind!r}; build it with web_service")
    args = WorkerArgs(
        name=environment.resource_name(name),
        region=environment.region_for(spec.platform, spec.region),
        links=list(links),
        **spec_fields(spec),
    )
    return Worker(name, args, opts)
