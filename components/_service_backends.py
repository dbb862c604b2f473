"""The step WebService and Worker share: check the args, gather env vars, pick the platform.

The rule that matters here: everything that can be wrong with the args (a setting the platform
cannot take, a link that collides with an own var) is raised by ``prepare`` as one
``ArgsError`` BEFORE the component registers itself, so a bad service leaves nothing declared.
"""

from __future__ import annotations

from typing import Protocol

import pulumi

from paas_stacks.components._args import raise_problems
from paas_stacks.components._component import Component
from paas_stacks.components._fly_service import fly_service
from paas_stacks.components._render_service import render_service
from paas_stacks.components._service_args import (
    Prepared,
    ServiceArgs,
    own_env,
    service_problems,
)
from paas_stacks.components.domain import DnsTarget
from paas_stacks.components.linking import resolve_links
from paas_stacks.components.platforms import Fly, Kind
from paas_stacks.errors import Problem

__all__ = ["Backend", "Prepared", "build_backend", "prepare"]


class Backend(Protocol):
    """What a component keeps of its platform's resources."""

    @property
    def service_id(self) -> pulumi.Output[str]: ...

    @property
    def app_name(self) -> pulumi.Output[str]: ...

    @property
    def url(self) -> pulumi.Output[str]: ...

    @property
    def release(self) -> pulumi.Output[dict[str, str | None]]: ...

    @property
    def host(self) -> pulumi.Output[str]:
        """The address other services reach it at on the private network."""
        ...

    @property
    def port(self) -> int:
        """The port it listens on (its declared one, else the platform's default)."""
        ...

    def attach_domain(self, hostname: str, parent: pulumi.Resource) -> DnsTarget: ...


def prepare(
    label: str,
    args: ServiceArgs,
    kind: Kind,
    *,
    port: int | None = None,
    health_check_path: str | None = None,
    schedule: str | None = None,
    problems: list[Problem] | None = None,
) -> Prepared:
    """Check ``args`` and gather the env; every problem (``problems`` too) is raised here, as
    one ``ArgsError`` naming ``label`` (``WebService 'api'``)."""
    found = [*(problems or []), *service_problems(args, kind, port)]
    own = own_env(args, port)
    linked, link_problems = resolve_links(args.links, [*own, *args.self_properties])
    raise_problems(label, found + [p.within("links") for p in link_problems])
    return Prepared(args, kind, own, linked, port, health_check_path, schedule)


def build_backend(owner: Component, ready: Prepared) -> Backend:
    """Declare the platform's resources as children of ``owner``."""
    args = ready.args
    if isinstance(args.platform, Fly):
        return fly_service(owner, args, args.platform, ready)
    return render_service(owner, args, args.platform, ready)
