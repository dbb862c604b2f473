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
from paas_stacks.components._fields import Autoscaling, BuildFilter, Disk
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
RENDER_TYPES: dict[Kind, render.ServiceType] = {
    "web": "web",
    "worker": "worker",
    "private": "pserv",
    "cron": "cron",
}
#: How the provider fills a service's own address into its env (``self_env`` templates).
SELF_TEMPLATES = {"url": "{url}", "host": "{host}", "port": "{port}", "hostport": "{host}:{port}"}


@dataclass(frozen=True)
class RenderBackend:
    """What a component keeps of its Render service."""

    service: Service
    #: The port it listens on: its ``PORT``, Render's 10000 when none is declared.
    port: int = render.PRIVATE_PORT

    @property
    def host(self) -> pulumi.Output[str]:
        """The private-network hostname: the service's slug (render.com/docs/private-network)."""
        return self.service.slug

    @property
    def service_id(self) -> pulumi.Output[str]:
        return self.service.id

    @property
    def app_name(self) -> pulumi.Output[str]:
        return self.service.name

    @property
    def url(self) -> pulumi.Output[str]:
        return self.service.url.apply(lambda url: url or "")

    @property
    def release(self) -> pulumi.Output[dict[str, str | None]]:
        """What the live deploy runs: ``{commit, image, digest}``."""
        return pulumi.Output.all(
            self.service.commit, self.service.image, self.service.image_digest
        ).apply(lambda parts: {"commit": parts[0], "image": parts[1], "digest": parts[2]})

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
    runtime = platform.language
    containerised = runtime in render.CONTAINER_RUNTIMES
    port = ready.port or render.PRIVATE_PORT
    self_env = {
        name: SELF_TEMPLATES[prop].replace("{port}", str(port))
        for name, prop in args.self_properties.items()
    }
    service = Service(
        owner.child_name("service"),
        name=args.name,
        type=RENDER_TYPES[ready.kind],
        runtime=runtime,
        repo=platform.repo,
        branch=platform.branch,
        commit=platform.commit,
        auto_deploy=platform.auto_deploys(),
        image=platform.image,
        root_dir=platform.root_dir,
        build_command=platform.build_command,
        # Render calls a container's command ``dockerCommand``; a native one ``startCommand``.
        start_command=None if containerised else platform.start_command,
        docker_command=platform.start_command if containerised else None,
        dockerfile_path=platform.dockerfile,
        docker_context=platform.docker_context,
        pre_deploy_command=args.pre_deploy_command,
        plan=platform.instance_type,
        region=platform.region,
        health_check_path=ready.health_check_path,
        schedule=ready.schedule,
        num_instances=args.instances,
        autoscaling=_autoscaling(args.autoscaling),
        build_filter=_build_filter(platform.build_filter),
        disk=_disk(args.disk),
        self_env=self_env or None,
        env_vars={**ready.own, **ready.linked},
        adopt_id=args.adopt_id,
        opts=owner.child_opts(),
    )
    return RenderBackend(service, port)


def _disk(disk: Disk | None) -> dict[str, Any] | None:
    if disk is None:
        return None
    return {"name": disk.name, "mount_path": disk.mount_path, "size_gb": disk.size_gb}


def _build_filter(build_filter: BuildFilter | None) -> dict[str, Any] | None:
    if build_filter is None:
        return None
    return {"paths": list(build_filter.paths), "ignored_paths": list(build_filter.ignored_paths)}


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
