"""The settings blocks of a Fly app that a stack file and a Python program both declare: its
extra process groups, machine checks, proxy concurrency and statics.

The rule that matters here: these mirror fly.toml's own keys (``[processes]``, ``[checks]``,
``[http_service.concurrency]``, ``[[statics]]``, ``kill_signal``/``kill_timeout``) under the
same names, so a fly.toml user recognises every line and the converter maps them one to one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, ClassVar, Literal

from pydantic import ConfigDict, Field

from paas_stacks.components._fields import Instances, MemoryMb, Port
from paas_stacks.vendors import fly, sizes

__all__ = [
    "FlyCheck",
    "FlyConcurrency",
    "FlyDuration",
    "FlyProcess",
    "FlyStatic",
    "KillSignal",
    "ProcessName",
]

#: A Fly duration: ``15s``, ``500ms``, ``1m``, ``2h``.
FlyDuration = Annotated[str, Field(pattern=r"^\d+(ms|s|m|h)$")]
#: What stops a machine (fly.toml ``kill_signal``; the Machines API's ``stop_config.signal``).
KillSignal = Literal["SIGHUP", "SIGINT", "SIGQUIT", "SIGKILL", "SIGUSR1", "SIGUSR2", "SIGTERM"]
#: A process group's name (fly.toml ``[processes]`` keys); flyctl's release group
#: (``fly_app_release_command``) is refused by ``_fly_rules``.
ProcessName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]{0,30}$")]
_Path = Annotated[str, Field(pattern=r"^/\S*$")]


@dataclass(frozen=True, kw_only=True)
class FlyCheck:
    """A machine check (fly.toml ``[checks.<name>]``): Fly probes each machine and reports it
    in ``fly checks list``; it does not gate traffic (the web process's ``health_check_path``
    does)."""

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    #: ``http`` requests ``path``; ``tcp`` only opens a connection to the port.
    type: Literal["http", "tcp"] = "http"
    #: The port probed; unset: the process's ``port`` (web processes; 8080 by default).
    port: Port | None = None
    #: HTTP checks: the path requested.
    path: _Path = "/"
    #: HTTP checks: the request method.
    method: Literal["GET", "HEAD", "POST"] = "GET"
    #: How often Fly probes, e.g. ``15s``.
    interval: FlyDuration = "15s"
    #: How long one probe may take before it counts as failed.
    timeout: FlyDuration = "2s"
    #: How long after a start failures do not count.
    grace_period: FlyDuration = "5s"


@dataclass(frozen=True, kw_only=True)
class FlyConcurrency:
    """When Fly's proxy counts a machine as busy (``soft_limit``: start another, route
    elsewhere) and full (``hard_limit``: queue); fly.toml ``[http_service.concurrency]``."""

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    #: What counts against the limits: open connections, or HTTP requests in flight.
    type: Literal["connections", "requests"] = "connections"
    #: Above this the proxy prefers other machines and may start a stopped one.
    soft_limit: Annotated[int, Field(ge=1)] | None = None
    #: At this the proxy sends no more to the machine.
    hard_limit: Annotated[int, Field(ge=1)] | None = None


@dataclass(frozen=True, kw_only=True)
class FlyStatic:
    """Files Fly's proxy serves from the image without reaching the process (``[[statics]]``)."""

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    #: The folder inside the image, e.g. ``/app/public``.
    guest_path: _Path
    #: The URL prefix it answers, e.g. ``/static``.
    url_prefix: _Path


@dataclass(frozen=True, kw_only=True)
class FlyProcess:
    """Another process group of the same Fly app (fly.toml ``[processes]``): the same image,
    env and secrets, its own command, size, count and checks; its machines take no proxied
    traffic (the service's own process does)."""

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    #: Its command (the machines' ``cmd``), e.g. ``bin/worker --queue default``.
    start_command: Annotated[str, Field(min_length=1)]
    #: Replaces the image's ENTRYPOINT.
    entrypoint: str | None = None
    #: Unset: the service's own size and memory.
    size: sizes.Size | fly.Size | None = None
    #: Memory per machine; unset: the service's own when ``size`` is unset too, else the
    #: smallest that ``size`` allows.
    memory_mb: MemoryMb | None = None
    #: Machines in the region; default 1.
    instances: Instances | None = None
    #: Machine checks by name, as the service's own ``checks``.
    checks: Mapping[str, FlyCheck] = field(default_factory=dict)
    #: Unset: the service's own.
    kill_signal: KillSignal | None = None
    #: Unset: the service's own.
    kill_timeout: FlyDuration | None = None
