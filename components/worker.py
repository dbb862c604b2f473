"""``Worker``: a background process (queue consumer, scheduler) on Render or Fly.io.

The rule that matters here: a worker serves no HTTP, so it has no port, health check, URL or
domain, and a link to it provides nothing (``provides`` is empty); it consumes links exactly
like a web service does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

import pulumi

from paas_stacks.components._component import Component
from paas_stacks.components._service_args import ServiceArgs, service_problems
from paas_stacks.components._service_backends import build_backend, prepare
from paas_stacks.errors import Problem

__all__ = ["Worker", "WorkerArgs"]


@dataclass(frozen=True, kw_only=True)
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
    #: What runs now: ``{commit, image, digest}`` (the live deploy's, or the machines').
    release: pulumi.Output[dict[str, str | None]]

    @staticmethod
    def problems(args: WorkerArgs) -> list[Problem]:
        """Everything wrong with ``args`` (links aside), locs relative to the args."""
        return service_problems(args, "worker")

    @staticmethod
    def provides(args: WorkerArgs) -> tuple[str, ...]:
        """Nothing: a worker has no address to give."""
        del args
        return ()

    def __init__(
        self, name: str, args: WorkerArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        ready = prepare(f"Worker {name!r}", args, "worker")
        super().__init__(name, opts)
        backend = build_backend(self, ready)
        self.service_id = backend.service_id
        self.app_name = backend.app_name
        self.platform = pulumi.Output.from_input(type(args.platform).__name__.lower())
        self.release = backend.release
        self.register_outputs(
            {
                "service_id": self.service_id,
                "app_name": self.app_name,
                "platform": self.platform,
                "release": self.release,
            }
        )

    def env(self) -> Mapping[str, pulumi.Output[str]]:
        """Nothing: a worker has no address to give."""
        return {}
