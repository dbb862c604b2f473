"""``Environment``: a whole stack (secrets, databases, caches, buckets, services, frontends,
domains) built from one validated ``EnvironmentSpec``.

The rule that matters here: a component is built only after everything it links to (links,
function secrets, GitHub mirror links), each link resolves to that built component, and a
service waits for the migrations of the databases it links, so a deploy never meets an old schema.
A Render service's link to an env group is a membership: the group's Render environment group
is declared once every member exists, with their ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import pulumi

from paas_stacks.components._component import Component
from paas_stacks.components.domain import Domain
from paas_stacks.components.linking import Link
from paas_stacks.components.spec import EnvironmentSpec
from paas_stacks.components.spec.build import (
    Entry,
    compile_entry,
    consumed,
    domain_args,
    entries,
)
from paas_stacks.components.spec.common import LinkSpec
from paas_stacks.components.spec.services import RenderServiceSpec

__all__ = ["Environment", "EnvironmentArgs", "build_order", "dependencies"]

#: What a config secret is read with inside the Pulumi program.
CONFIG_NAMESPACE = "paas-stacks"


@dataclass(frozen=True, kw_only=True)
class EnvironmentArgs:
    #: The validated stack spec (``load_stack`` / ``from_pulumi_config``).
    spec: EnvironmentSpec


class Environment(Component):
    """Every component of one stack, wired by links; exposes URLs and connection strings."""

    type_name: ClassVar[str] = "Environment"

    def __init__(
        self, name: str, args: EnvironmentArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(name, opts)
        self.spec = args.spec
        self.components: dict[str, Any] = {}
        #: Env group name -> the Render services that join it (Fly members get its vars).
        self.members: dict[str, list[Any]] = {}
        for entry in build_order(self.spec):
            self.components[entry.name] = self._build(entry)
        for group, members in self.members.items():
            self.components[group].join([member.service_id for member in members])
        self.domains = {
            entry: Domain(
                entry,
                domain_args(model, self.components[model.target]),
                opts=pulumi.ResourceOptions(parent=self),
            )
            for entry, model in self.spec.domains.items()
        }
        #: Public URLs of web services and static sites.
        self.urls: dict[str, pulumi.Output[str]] = {
            n: self.components[n].url
            for n in [*self.spec.services, *self.spec.static_sites]
            if getattr(self.components[n], "url", None) is not None
        }
        #: What each service runs now (``{commit, image, digest}``), for the PR comment and
        #: for promoting exactly what staging ran.
        self.releases: dict[str, pulumi.Output[dict[str, str | None]]] = {
            n: self.components[n].release for n in self.spec.services
        }
        self.register_outputs({"urls": self.urls, "releases": self.releases})

    def _build(self, entry: Entry) -> Any:
        joined = [
            link.to
            for link in consumed(entry)
            if link.to in self.spec.env_groups and isinstance(entry.spec, RenderServiceSpec)
        ]
        # A Render service joins its groups (Render merges their vars) instead of copying them.
        links = [self._link(spec) for spec in consumed(entry) if spec.to not in joined]
        waits = [
            ready
            for link in links
            if isinstance(ready := getattr(link.to, "ready", None), pulumi.Resource)
        ]
        config = pulumi.Config(CONFIG_NAMESPACE)
        compiled = compile_entry(entry, self.spec, links, config.require_secret)
        opts = pulumi.ResourceOptions(parent=self, depends_on=waits)
        built = compiled.component(entry.name, compiled.args, opts)
        for group in joined:
            self.members.setdefault(group, []).append(built)
        return built

    def _link(self, spec: LinkSpec) -> Link:
        properties = None if spec.properties is None else dict(spec.properties)
        return Link(
            self.components[spec.to],
            only=spec.only,
            rename=dict(spec.rename),
            properties=properties,
        )

    def dns(self) -> dict[str, pulumi.Output[dict[str, Any]]]:
        """Per domain: its hostname, every DNS record it needs (``{type, name, content}``) and
        what is left to do by hand (the stack's ``domains`` output)."""
        return {
            name: pulumi.Output.all(
                hostname=domain.hostname, records=domain.records, manual_steps=domain.manual_steps
            )
            for name, domain in self.domains.items()
        }

    def connection_strings(self) -> Mapping[str, pulumi.Output[str]]:
        """Every database's ``DATABASE_URL`` and cache's ``REDIS_URL`` (secret), by name."""
        found: dict[str, pulumi.Output[str]] = {}
        for name in self.spec.postgres:
            found[f"{name}.DATABASE_URL"] = self.components[name].env()["DATABASE_URL"]
        for name in self.spec.redis:
            found[f"{name}.REDIS_URL"] = self.components[name].env()["REDIS_URL"]
        return found


def dependencies(spec: EnvironmentSpec) -> dict[str, set[str]]:
    """Component name -> the names it consumes."""
    return {entry.name: {link.to for link in consumed(entry)} for entry in entries(spec)}


def build_order(spec: EnvironmentSpec) -> list[Entry]:
    """Entries ordered so each comes after what it consumes; ties keep the section order.

    The loader refuses a cycle first (``rules.py``), so one here is a program error."""
    needs = dependencies(spec)
    pending = list(entries(spec))
    built: set[str] = set()
    ordered: list[Entry] = []
    while pending:
        ready = [entry for entry in pending if needs[entry.name] <= built]
        if not ready:
            cycle = ", ".join(sorted(entry.name for entry in pending))
            raise ValueError(f"links form a cycle between: {cycle}")
        ordered += ready
        built.update(entry.name for entry in ready)
        pending = [entry for entry in pending if entry.name not in built]
    return ordered
