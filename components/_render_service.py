"""A web service or worker on Render: one ``paas_stacks.providers.render.Service``.

The rule that matters here: every env var of a Render service (own, linked, ``PORT``) goes into
the service's ``env_vars``, which the provider keeps secret as a whole, so a linked secret never
appears in plain text in the state or a preview.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi

from paas_stacks.components._component import Component
from paas_stacks.components._fields import Autoscaling
from paas_stacks.components._service_args import Prepared, ServiceArgs
from paas_stacks.components.domain import DnsTarget
from paas_stacks.components.platforms import Kind, Render
from paas_stacks.providers.render import CustomDomain, Service
from paas_stacks.vendors import render

__all__ = ["DEFAULT_TARGET_CPU", "RenderBackend", "render_service"]

#: Render scales on a target; with none declared we aim at 70% CPU (render.com/docs/scaling
#: suggests targets well below 100% so new instances start before the old ones saturate).
DEFAULT_TARGET_CPU = 70
#: The provider's service type for each kind of component (web service, background worker).
RENDER_TYPES: dict[Kind, render.ServiceType] = {"web": "web", "worker": "worker"}


@dataclass(frozen=True)
class RenderBackend:
    """What a component keeps of its Render service."""

    service: Service

    @property
    def service_id(self) -> pulumi.Output[str]:
        return self.service.id

    @property
    def app_name(self) -> pulumi.Output[str]:
        return self.service.name

    @property
    def url(self) -> pulumi.Output[str]:
        return self.service.url.apply(lambda url: url or "")

    def attach_domain(self, hostname: str, parent: pulumi.Resource) -> DnsTarget:
        """A Render custom domain (``<parent>-custom-domain``, a child of ``parent``) and the
        CNAME it needs.

        Render verifies the name and issues its certificate once the CNAME resolves to
        ``<slug>.onrender.com``; Cloudflare flattens a CNAME at the zone apex, so the same record
        serves an apex name too (render.com/docs/custom-domains).
        """
        CustomDomain(
            f"{parent.pulumi_resource_name}-custom-domain",
            service_id=self.service.id,
            name=hostname,
            opts=pulumi.ResourceOptions(parent=parent),
        )
        content = self.service.slug.apply(lambda slug: f"{slug}.onrender.com")
        return DnsTarget(type="CNAME", content=content)


def render_service(
    owner: Component, args: ServiceArgs, platform: Render, ready: Prepared
) -> RenderBackend:
    """Declare the Render service of ``owner``."""
    containerised = platform.runtime in render.CONTAINER_RUNTIMES
    service = Service(
        owner.child_name("service"),
        name=args.name,
        type=RENDER_TYPES[ready.kind],
        runtime=platform.runtime,
        repo=platform.repo,
        branch=platform.branch,
        image=platform.image,
        root_dir=platform.root_dir,
        build_command=platform.build_command,
        # Render calls a container's command ``dockerCommand``; a native one ``startCommand``.
        start_command=None if containerised else platform.start_command,
        docker_command=platform.start_command if containerised else None,
        dockerfile_path=platform.dockerfile,
        docker_context=platform.docker_context,
        pre_deploy_command=args.pre_deploy_command,
        plan=platform.plan,
        region=platform.region,
        health_check_path=ready.health_check_path,
        num_instances=args.instances,
        autoscaling=_autoscaling(args.autoscaling),
        env_vars={**ready.own, **ready.linked},
        adopt_id=args.adopt_id,
        opts=owner.child_opts(),
    )
    return RenderBackend(service)


def _autoscaling(scaling: Autoscaling | None) -> dict[str, Any] | None:
    """The provider's ``{min, max, target_cpu_percent?, target_memory_percent?}``."""
    if scaling is None:
        return None
    cpu, memory = scaling.target_cpu_percent, scaling.target_memory_percent
    if cpu is None and memory is None:
        cpu = DEFAULT_TARGET_CPU
    body: dict[str, Any] = {"min": scaling.min, "max": scaling.max}
    if cpu is not None:
        body["target_cpu_percent"] = cpu
    if memory is not None:
        body["target_memory_percent"] = memory
    return body
