"""``CronJob``: a command run on a schedule (a Render cron job), built like any service.

The rule that matters here: a cron job runs one instance each time its schedule is due and then
exits, so it takes no instance count, autoscaling, disk, port or health check, and has no
address; Render evaluates the five-field cron ``schedule`` in UTC. Fly.io has no cron
expressions (machines run hourly, daily, weekly or monthly), so ``Fly(...)`` is refused with
the way out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

import pulumi

from paas_stacks.components._service_args import ServiceArgs, service_problems
from paas_stacks.components._service_backends import prepare
from paas_stacks.components._service_component import ServiceComponent, env_properties
from paas_stacks.errors import Problem
from paas_stacks.vendors import render

__all__ = ["CronJob", "CronJobArgs"]


@dataclass(frozen=True, kw_only=True)
class CronJobArgs(ServiceArgs):
    """A cron job: the shared service fields plus when it runs."""

    #: A cron expression in UTC, e.g. ``0 3 * * *`` (daily at 03:00).
    schedule: render.CronSchedule


class CronJob(ServiceComponent):
    """A Render cron job: ``start_command`` runs each time ``schedule`` is due."""

    type_name: ClassVar[str] = "CronJob"
    kind = "cron"

    @staticmethod
    def problems(args: CronJobArgs) -> list[Problem]:
        """Everything wrong with ``args`` (links aside), locs relative to the args."""
        return service_problems(args, "cron")

    @staticmethod
    def provides(args: CronJobArgs) -> tuple[str, ...]:
        """Nothing: a cron job has no address."""
        del args
        return ()

    @staticmethod
    def property_names(args: CronJobArgs) -> tuple[str, ...]:
        """``env.<KEY>`` of its own vars (its links' are added once built)."""
        return env_properties(args.env)

    def __init__(
        self, name: str, args: CronJobArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        ready = prepare(f"CronJob {name!r}", args, "cron", schedule=args.schedule)
        super().__init__(name, opts)
        self._build(ready)
        self.register_outputs(
            {"service_id": self.service_id, "app_name": self.app_name, "platform": self.platform}
        )

    def env(self) -> Mapping[str, pulumi.Output[str]]:
        """Nothing: a cron job has no address."""
        return {}
