"""``WebService``: a public HTTP service on Render or Fly.io, built from a repository or an image.

The rule that matters here: ``platform`` is the only thing that differs between a service on
Render and one on Fly; the env it receives (own vars, ``PORT``, linked values), its ``url`` and
what a link to it provides (``URL``, and the properties ``url``, ``host``, ``port``,
``hostport``, ``env.<KEY>``) are the same on both, so moving a service is one line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

import pulumi

from paas_stacks.components._fields import HealthPath, Port
from paas_stacks.components._service_args import ServiceArgs, service_problems
from paas_stacks.components._service_backends import prepare
from paas_stacks.components._service_component import ADDRESS, ServiceComponent, env_properties
from paas_stacks.components.domain import DnsTarget
from paas_stacks.errors import Problem

__all__ = ["WebService", "WebServiceArgs"]


@dataclass(frozen=True, kw_only=True)
class WebServiceArgs(ServiceArgs):
    """A web service: the shared service fields plus what serving HTTP needs."""

    #: The path the platform probes before routing traffic to a new deploy, e.g. ``/health``.
    health_check_path: HealthPath | None = None
    #: The port the process listens on: sets ``PORT``; Fly's internal port (default 8080).
    port: Port | None = None


class WebService(ServiceComponent):
    """A public HTTP service: a Render web service, or a Fly app with public IPs and a proxy.

    Linkable: a link to it injects ``URL``, its public ``https://`` address.
    """

    type_name: ClassVar[str] = "WebService"
    kind = "web"

    #: The public address: ``https://<slug>.onrender.com`` or ``https://<app>.fly.dev``.
    url: pulumi.Output[str]

    @staticmethod
    def problems(args: WebServiceArgs) -> list[Problem]:
        """Everything wrong with ``args`` (links aside), locs relative to the args."""
        return service_problems(args, "web", args.port)

    @staticmethod
    def provides(args: WebServiceArgs) -> tuple[str, ...]:
        """What a link to a web service injects: its public ``URL``."""
        del args
        return ("URL",)

    @staticmethod
    def property_names(args: WebServiceArgs) -> tuple[str, ...]:
        """Its address, its ``url`` and ``env.<KEY>`` of its own vars (links' added when built)."""
        return (*ADDRESS["web"], *env_properties(args.env))

    def __init__(
        self, name: str, args: WebServiceArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        ready = prepare(
            f"WebService {name!r}",
            args,
            "web",
            port=args.port,
            health_check_path=args.health_check_path,
        )
        super().__init__(name, opts)
        backend = self._build(ready)
        self.url = backend.url
        self.register_outputs(
            {
                "url": self.url,
                "release": self.release,
                "service_id": self.service_id,
                "app_name": self.app_name,
                "platform": self.platform,
            }
        )

    def env(self) -> Mapping[str, pulumi.Output[str]]:
        """``URL``: the public address (not secret)."""
        return {"URL": self.url}

    def attach_domain(self, hostname: str, parent: pulumi.Resource) -> DnsTarget:
        """``DomainTarget``: Render declares a custom domain; Fly needs ``fly certs add``."""
        return self._backend.attach_domain(hostname, parent)
