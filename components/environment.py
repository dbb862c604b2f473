"""``Environment``: a whole stack (secrets, databases, caches, buckets, services, frontends,
domains) built from one validated ``EnvironmentSpec``.

The rule that matters here: a component is built only after everything it links to (links,
function secrets, GitHub mirror links), each link resolves to that built component, and a
service waits for the migrations of the databases it links, so a deploy never meets an old schema.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pulumi

from paas_stacks.components._component import Component
from paas_stacks.components.linking import Link
from paas_stacks.components.spec import SECTIONS, EnvironmentSpec, LinkSpec

__all__ = ["Environment", "EnvironmentArgs", "build_order", "dependencies"]

Builder = Callable[..., Any]


@dataclass
class EnvironmentArgs:
    #: The validated stack spec (``load_stack`` / ``from_pulumi_config``).
    spec: EnvironmentSpec


class Environment(Component):
    """Every component of one stack, wired by links; exposes URLs and connection strings."""

    type_name = "Environment"

    def __init__(
        self, name: str, args: EnvironmentArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(name, opts)
        self.spec = args.spec
        self.components: dict[str, Any] = {}
        for section, component, model in build_order(self.spec):
            self.components[component] = self._build(section, component, model)
        self.domains = {
            entry: _module("domain").from_spec(
                entry,
                model,
                self.spec,
                target=self.components[model.target],
                opts=pulumi.ResourceOptions(parent=self),
            )
            for entry, model in self.spec.domains.items()
        }
        #: Public URLs of web services and static sites.
        self.urls: dict[str, pulumi.Output[str]] = {
            n: self.components[n].url for n in [*self.spec.services, *self.spec.static_sites]
            if getattr(self.components[n], "url", None) is not None
        }  # fmt: skip
        self.register_outputs({"urls": self.urls})

    def _build(self, section: str, component: str, model: Any) -> Any:
        links = [self._link(spec) for spec in _consumed(section, model)]
        waits = [
            ready
            for link in links
            if isinstance(ready := getattr(link.to, "ready", None), pulumi.Resource)
        ]
        opts = pulumi.ResourceOptions(parent=self, depends_on=waits)
        return _builder(section, model)(component, model, self.spec, links=links, opts=opts)

    def _link(self, spec: LinkSpec) -> Link:
        return Link(self.components[spec.to], only=spec.only, rename=dict(spec.rename))

    def connection_strings(self) -> Mapping[str, pulumi.Output[str]]:
        """Every database's ``DATABASE_URL`` and cache's ``REDIS_URL`` (secret), by name."""
        found: dict[str, pulumi.Output[str]] = {}
        for name in self.spec.postgres:
            found[f"{name}.DATABASE_URL"] = self.components[name].env()["DATABASE_URL"]
        for name in self.spec.redis:
            found[f"{name}.REDIS_URL"] = self.components[name].env()["REDIS_URL"]
        return found


def _consumed(section: str, model: Any) -> tuple[LinkSpec, ...]:
    """The links a component consumes: its own, its function secrets or its GitHub mirror's."""
    if section == "postgres":
        return tuple(getattr(model, "function_secrets", ()))
    if section == "secrets":
        return tuple(model.github.links) if model.github else ()
    return tuple(getattr(model, "links", ()))


def dependencies(spec: EnvironmentSpec) -> dict[str, set[str]]:
    """Component name -> the names it consumes."""
    return {
        name: {link.to for link in _consumed(section, model)}
        for section, name, model in _entries(spec)
    }


def build_order(spec: EnvironmentSpec) -> list[tuple[str, str, Any]]:
    """Entries ordered so each comes after what it consumes; ties keep the section order."""
    needs = dependencies(spec)
    pending = list(_entries(spec))
    built: set[str] = set()
    ordered: list[tuple[str, str, Any]] = []
    while pending:
        ready = [entry for entry in pending if needs[entry[1]] <= built]
        if not ready:
            cycle = ", ".join(sorted(name for _, name, _ in pending))
            raise ValueError(f"links form a cycle between: {cycle}")
        for entry in ready:
            ordered.append(entry)
            built.add(entry[1])
        pending = [entry for entry in pending if entry[1] not in built]
    return ordered


def _entries(spec: EnvironmentSpec) -> Iterator[tuple[str, str, Any]]:
    for section in SECTIONS:
        for name, model in getattr(spec, section).items():
            yield section, name, model


#: The component module that builds each section's entries.
MODULES = {
    "secrets": "secret_set",
    "postgres": "postgres",
    "redis": "redis",
    "object_stores": "object_store",
    "static_sites": "static_site",
}


def _builder(section: str, model: Any) -> Builder:
    if section == "services":
        return _module("web_service" if model.kind == "web" else "worker").from_spec  # type: ignore[no-any-return]
    return _module(MODULES[section]).from_spec  # type: ignore[no-any-return]


def _module(name: str) -> Any:
    """Imported on first use: the bridged SDKs behind static sites, buckets and DNS take seconds
    to import, and a stack without those components should not pay for them."""
    return importlib.import_module(f"paas_stacks.components.{name}")
