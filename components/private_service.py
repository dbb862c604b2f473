"""``PrivateService``: an HTTP or TCP service reachable only on the private network: a Render
private service (``pserv``) or a Fly app with no public address.

The rule that matters here: nothing outside the platform's private network can reach it, so it
has no public URL or domain; what a link to it gives is its private address: ``HOSTPORT``
(``<slug>:<port>`` on Render, ``<app>.internal:<port>`` on Fly), and the properties ``host``,
``port``, ``hostport`` and ``env.<KEY>``. A consumer on another platform cannot reach it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

import pulumi

from paas_stacks.components._fields import Port
from paas_stacks.components._service_args import ServiceArgs, service_problems
from paas_stacks.components._service_backends import prepare
from paas_stacks.components._service_component import ADDRESS, ServiceComponent, env_properties
from paas_stacks.errors import Problem

__all__ = ["PrivateService", "PrivateServiceArgs"]


@dataclass(frozen=True, kw_only=True)
class PrivateServiceArgs(ServiceArgs):
    """A private service: the shared service fields plus the port it listens on."""

    #: The port the process listens on: sets ``PORT`` (Render 10000, Fly 8080 when unset).
    port: Port | None = None


class PrivateService(ServiceComponent):
    """A service for other services only: Render ``pserv``, or a Fly app without IPs."""

    type_name: ClassVar[str] = "PrivateService"
    kind = "private"

    #: ``host:port`` on the private network.
    hostport: pulumi.Output[str]

    @staticmethod
    def problems(args: PrivateServiceArgs) -> list[Problem]:
        """Everything wrong with ``args`` (links aside), locs relative to the args."""
        return service_problems(args, "private", args.port)

    @staticmethod
    def provides(args: PrivateServiceArgs) -> tuple[str, ...]:
        """What a link to it injects: ``HOSTPORT``."""
        del args
        return ("HOSTPORT",)

    @staticmethod
    def property_names(args: PrivateServiceArgs) -> tuple[str, ...]:
        """Its address and ``env.<KEY>`` of its own vars (links' are added once built)."""
        return (*ADDRESS["private"], *env_properties(args.env))

    def __init__(
        self, name: str, args: PrivateServiceArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        ready = prepare(f"PrivateService {name!r}", args, "private", port=args.port)
        super().__init__(name, opts)
        self._build(ready)
        self.hostport = self.properties()["hostport"]
        self.register_outputs(
            {
                "service_id": self.service_id,
                "app_name": self.app_name,
                "platform": self.platform,
                "host": self.host,
                "hostport": self.hostport,
            }
        )

    def env(self) -> Mapping[str, pulumi.Output[str]]:
        """``HOSTPORT``: the private address (not secret)."""
        return {"HOSTPORT": self.hostport}
