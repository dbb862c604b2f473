"""What the four service components share once they are built: the backend, the values the
service receives, and the properties a link to it can name.

The rule that matters here: a service's properties are its private-network address (``host``,
``port``, ``hostport``), its public ``url`` when it has one, and ``env.<KEY>`` for every variable
it receives (its own and its links'), so another service can read a generated or configured
value of this one (a Blueprint's ``envVarKey``) and get the very same Output, secret if it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

import pulumi

from paas_stacks.components._component import Component
from paas_stacks.components._properties import service_properties
from paas_stacks.components._service_args import Prepared
from paas_stacks.components._service_backends import Backend, build_backend
from paas_stacks.components.platforms import Kind

__all__ = ["ServiceComponent", "env_properties"]

#: The address properties each kind has (its ``env.<KEY>`` ones come on top).
ADDRESS: dict[Kind, tuple[str, ...]] = {
    "web": ("url", "host", "port", "hostport"),
    "private": ("host", "port", "hostport"),
    "worker": (),
    "cron": (),
}


def env_properties(names: Iterable[str]) -> tuple[str, ...]:
    """``env.<KEY>`` for each variable name a service receives."""
    return tuple(f"env.{name}" for name in names)


class ServiceComponent(Component):
    """A built service: its backend, what it receives, what it exposes."""

    kind: ClassVar[Kind]

    #: Render's service id (``srv-…``/``crn-…``); on Fly, the app name.
    service_id: pulumi.Output[str]
    #: The vendor-side name (Render service name, Fly app name).
    app_name: pulumi.Output[str]
    #: ``render`` or ``fly``.
    platform: pulumi.Output[str]
    #: The private-network hostname (Render: the slug; Fly: ``<app>.internal``).
    host: pulumi.Output[str]
    #: What runs now: ``{commit, image, digest}`` (the live deploy's, or the machines').
    release: pulumi.Output[dict[str, str | None]]

    def _build(self, ready: Prepared) -> Backend:
        """Declare the platform's resources and keep what links read."""
        backend = build_backend(self, ready)
        self._backend = backend
        self._received: dict[str, pulumi.Output[str]] = {
            **{k: pulumi.Output.from_input(v) for k, v in ready.own.items()},
            **ready.linked,
        }
        self.service_id = backend.service_id
        self.app_name = backend.app_name
        self.host = backend.host
        self.release = backend.release
        self.platform = pulumi.Output.from_input(type(ready.args.platform).__name__.lower())
        return backend

    def properties(self) -> Mapping[str, pulumi.Output[str]]:
        """Its address (per kind), its public ``url`` (web) and ``env.<KEY>`` of what it
        receives."""
        address = ADDRESS[self.kind]
        found: dict[str, pulumi.Output[str]] = {}
        if address:
            url = self._backend.url if "url" in address else None
            found.update(service_properties(self._backend.host, self._backend.port, url))
        found.update({f"env.{k}": v for k, v in self._received.items()})
        return found
