"""The step WebService and Worker share: check the args, gather env vars, pick the platform.

The rule that matters here: everything that can be wrong with the args (a setting the platform
cannot take, a link that collides with an own var) is raised by ``prepare`` BEFORE the component
registers itself, so a bad service leaves nothing half-declared.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import pulumi

from paas_stacks.components._component import Component
from paas_stacks.components._fly_service import fly_service
from paas_stacks.components._render_service import render_service
from paas_stacks.components._service_args import ServiceArgs, check_service, own_env
from paas_stacks.components.domain import DnsTarget
from paas_stacks.components.linking import linked_env

__all__ = ["Backend", "Prepared", "build_backend", "prepare"]


class Backend(Protocol):
    """What a component keeps of its platform's resources."""

    @property
    def service_id(self) -> pulumi.Output[str]: ...

    @property
    def app_name(self) -> pulumi.Output[str]: ...

    @property
    def url(self) -> pulumi.Output[str]: ...

    def attach_domain(self, hostname: str, parent: pulumi.Resource) -> DnsTarget: ...


@dataclass(frozen=True)
class Prepared:
    """Checked args and the env vars the service gets."""

    args: ServiceArgs
    kind: str
    #: The service's own vars (plus ``PORT`` when a port is declared).
    own: Mapping[str, pulumi.Input[str]]
    #: What the links inject, after ``only`` and ``rename``.
    linked: Mapping[str, pulumi.Output[str]]
    port: int | None = None
    health_check_path: str | None = None


def prepare(
    args: ServiceArgs, kind: str, port: int | None = None, health_check_path: str | None = None
) -> Prepared:
    """Check ``args`` and gather the env; every problem is a ``ValueError`` raised here."""
    check_service(args, kind, port, health_check_path)
    own = own_env(args, port)
    return Prepared(args, kind, own, linked_env(args.links, own), port, health_check_path)


def build_backend(owner: Component, ready: Prepared) -> Backend:
    """Declare the platform's resources as children of ``owner``."""
    args = ready.args
    if args.platform == "render":
        return render_service(
            owner,
            args,
            kind=ready.kind,
            env={**ready.own, **ready.linked},
            health_check_path=ready.health_check_path,
        )
    return fly_service(
        owner,
        args,
        kind=ready.kind,
        own=ready.own,
        linked=ready.linked,
        port=ready.port,
        health_check_path=ready.health_check_path,
    )
