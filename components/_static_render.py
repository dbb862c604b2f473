"""The ``render_static`` backend of ``StaticSite``: a Render service of type ``static``, built by
Render from the repository and served from its CDN at ``<slug>.onrender.com``.

The rule that matters here: Render owns the build, so the publish path is the build's output
directory and the build-time variables are the service's env vars (secret in state).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import pulumi

from paas_stacks.components._component import Component
from paas_stacks.providers import render

if TYPE_CHECKING:
    from paas_stacks.components.static_site import StaticSiteArgs

__all__ = ["RenderStatic"]


@dataclass
class RenderStatic:
    """The ``render_static`` backend: a Render service of type ``static``."""

    service: render.Service

    @classmethod
    def create(
        cls,
        site: Component,
        args: StaticSiteArgs,
        *,
        env: Mapping[str, pulumi.Input[str]],
    ) -> RenderStatic:
        service = render.Service(
            site.child_name("static"),
            name=args.name, type="static", repo=args.repo, branch=args.branch,
            root_dir=args.root_dir, build_command=args.build_command,
            publish_path=args.output_dir, env_vars=dict(env),
            opts=site.child_opts(),
        )  # fmt: skip
        return cls(service)

    @property
    def host(self) -> pulumi.Output[str]:
        return self.service.url.apply(lambda url: urlparse(url or "").netloc)

    def attach(self, hostname: str, resource_name: str, parent: pulumi.Resource) -> None:
        render.CustomDomain(
            resource_name,
            service_id=self.service.id,
            name=hostname,
            opts=pulumi.ResourceOptions(parent=parent),
        )
