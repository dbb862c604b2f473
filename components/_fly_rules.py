"""What a Fly app's commands, process groups, checks and volume may not be.

The rule that matters here: a process group takes no proxied traffic, so only the service's
own process has a port, concurrency and statics, and a check on a process without a port must
name one; a volume belongs to one machine, so a service with a disk runs one.
"""

from __future__ import annotations

import dataclasses
import shlex
from typing import TYPE_CHECKING

from paas_stacks.components._fields import disk_problems
from paas_stacks.errors import Problem
from paas_stacks.vendors import fly

if TYPE_CHECKING:
    from collections.abc import Mapping

    from paas_stacks.components._fly_fields import FlyCheck, FlyProcess
    from paas_stacks.components._service_args import ServiceArgs
    from paas_stacks.components.platforms import Fly, Kind

__all__ = ["VOLUME_PAGE", "fly_setting_problems", "sized", "words"]

VOLUME_PAGE = "fly.io/docs/volumes/overview"
#: flyctl runs release commands in machines of this group; no process may take its name.
RELEASE_GROUP = "fly_app_release_command"
#: The kinds whose own process listens on a port (a check may default to it).
SERVING = ("web", "private")


def words(command: str | None) -> list[str] | None:
    """A command line as the machine's argv (``None`` stays unset)."""
    return None if command is None else shlex.split(command)


def sized(platform: Fly, process: FlyProcess) -> Fly:
    """The platform as a process group sizes it: its own size and memory, else the service's
    (a process that names only a size gets that size's memory, not the service's)."""
    memory = process.memory_mb
    if memory is None and process.size is None:
        memory = platform.memory_mb
    return dataclasses.replace(platform, size=process.size or platform.size, memory_mb=memory)


def fly_setting_problems(platform: Fly, service: ServiceArgs, kind: Kind) -> list[Problem]:
    """Locs relative to the service's args."""
    found = _command_problems(("platform",), platform.start_command, platform.entrypoint)
    found += _check_problems(("platform", "checks"), platform.checks, kind in SERVING)
    if kind != "web":
        found += [
            Problem(("platform", key), "only a web service's process takes proxied traffic")
            for key in ("concurrency", "statics")
            if getattr(platform, key)
        ]
    own = platform.process or ("worker" if kind == "worker" else "app")
    if own == RELEASE_GROUP:
        found.append(Problem(("platform", "process"), f"{RELEASE_GROUP!r} is flyctl's; rename it"))
    for name, process in platform.processes.items():
        at = ("platform", "processes", name)
        if name == RELEASE_GROUP:
            found.append(Problem(at, f"{RELEASE_GROUP!r} is flyctl's release group; rename it"))
        if name == own:
            found.append(Problem(at, "is the service's own process group; rename one of them"))
        found += _command_problems(at, process.start_command, process.entrypoint)
        found += _check_problems((*at, "checks"), process.checks, False)
        found += _memory_problems(at, sized(platform, process))
    return found + disk_problems(service.disk, service.instances, service.autoscaling, VOLUME_PAGE)


def _command_problems(
    at: tuple[str, ...], command: str | None, entrypoint: str | None
) -> list[Problem]:
    found = []
    for key, value in (("start_command", command), ("entrypoint", entrypoint)):
        if value is None:
            continue
        try:
            parts = shlex.split(value)
        except ValueError as exc:
            found.append(Problem((*at, key), f"is not a command line ({exc}): {value!r}"))
            continue
        if not parts:
            found.append(Problem((*at, key), "is empty; remove it to run the image's own"))
    return found


def _check_problems(
    at: tuple[str, ...], checks: Mapping[str, FlyCheck], has_port: bool
) -> list[Problem]:
    found = []
    for name, check in checks.items():
        if check.port is None and not has_port:
            found.append(
                Problem(
                    (*at, name, "port"), "is required: this process listens on no declared port"
                )
            )
        if check.type == "tcp" and (check.path != "/" or check.method != "GET"):
            found.append(Problem((*at, name), "a tcp check takes no path or method"))
    return found


def _memory_problems(at: tuple[str, ...], platform: Fly) -> list[Problem]:
    guest = fly.guest(platform.preset)
    if guest.min_memory_mb <= platform.memory <= guest.max_memory_mb:
        return []
    return [
        Problem(
            (*at, "memory_mb"),
            f"{platform.memory} is outside what {platform.preset} allows: "
            f"{guest.min_memory_mb}-{guest.max_memory_mb} MB ({fly.SIZING_PAGE})",
        )
    ]
