"""The Render backend of ``StaticSite``: a Render service of type ``static``, built by Render from
the repository and served from its CDN at ``<slug>.onrender.com``.

The rule that matters here: Render owns the build, so the publish path is the build's output
directory and the build-time variables are the service's env vars (secret in state).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlparse

import pulumi

from paas_stacks.components._component import Component
from paas_stacks.components.domain import DnsTarget
from paas_stacks.components.static_site._args import StaticSiteArgs
from paas_stacks.providers import render

__all__ = ["RenderSite", "serve"]


@dataclass
class RenderSite:
    """The Render service of type ``static``; ``attach_domain`` adds a custom domain to it."""

    service: render.Service

    @property
    def host(self) -> pulumi.Output[str]:
        return self.service.url.apply(lambda url: urlparse(url or "").netloc)

    def attach_domain(self, hostname: str, parent: pulumi.Resource) -> DnsTarget:
        render.CustomDomain(
            f"{parent.pulumi_resource_name}-custom-domain",
            service_id=self.service.id,
            name=hostname,
            opts=pulumi.ResourceOptions(parent=parent),
        )
        return DnsTarget(type="CNAME", content=self.host)


def serve(
    site: Component, args: StaticSiteArgs, env: Mapping[str, pulumi.Input[str]]
) -> RenderSite:
    """The static service, as a child of ``site`` (Render static sites have no plan or region)."""
    service = render.Service(
        site.child_name("static"),
        name=args.name,
        type="static",
        repo=args.repo,
        branch=args.branch,
        commit=args.commit,
        # A pinned commit is deployed by the provider; Render's own auto-deploys would not keep it.
        auto_deploy=args.commit is None,
        root_dir=args.root_dir,
        build_command=args.build_command,
        publish_path=args.output_dir,
        env_vars=dict(env),
        opts=site.child_opts(),
    )
    return RenderSite(service)
