"""``EnvGroup``: env vars several services share (a Blueprint's ``envVarGroups``): plain values,
generated secrets and values linked from other components, declared once.

The rule that matters here: a service that links the group receives every one of its variables;
on Render it joins one Render environment group (``join``: a shared object in the dashboard,
whose vars Render merges into each member's env), on Fly.io the variables become the app's
secrets like any link's, so the same stack file means the same env on either platform. Every
value the group holds is secret, as a Render env group's are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

import pulumi

from paas_stacks.components._args import field_problems, raise_problems
from paas_stacks.components._component import Component
from paas_stacks.components._fields import EnvName, Generate
from paas_stacks.components.linking import Link, Linkable, resolve_links
from paas_stacks.errors import Problem
from paas_stacks.providers import render
from paas_stacks.providers.generated import GeneratedSecret

__all__ = ["EnvGroup", "EnvGroupArgs", "empty_group"]


@dataclass(frozen=True, kw_only=True)
class EnvGroupArgs:
    #: The vendor-side name (the Render environment group's).
    name: pulumi.Input[str]
    #: Plain values, e.g. ``{"LOG_LEVEL": "info"}``.
    env: Mapping[EnvName, pulumi.Input[str]] = field(default_factory=dict)
    #: Env var name -> how to generate it (a Blueprint's ``generateValue: true``).
    generated: Mapping[EnvName, Generate] = field(default_factory=dict)
    #: Components whose variables the group holds too (a secret set, a database...).
    links: Sequence[Link | Linkable] = ()


def empty_group(
    env: Mapping[str, object], generated: Mapping[str, object], links: Sequence[object]
) -> list[Problem]:
    """A group with nothing in it is a mistake (the stack file checks it with its links
    unresolved, so the rule takes the three parts, not the args)."""
    if env or generated or links:
        return []
    return [Problem((), "declares no variables; add env, generated or links")]


class EnvGroup(Component):
    """Shared variables: ``env()`` gives every one (secret); Render members share one group."""

    type_name: ClassVar[str] = "EnvGroup"

    #: Env var name -> value, all secret.
    values: dict[str, pulumi.Output[str]]

    @staticmethod
    def problems(args: EnvGroupArgs) -> list[Problem]:
        """Everything wrong with ``args`` (links aside), locs relative to the args."""
        found = field_problems(args)
        found += [
            Problem(("generated", name), "is also in env; a variable has one source")
            for name in args.generated
            if name in args.env
        ]
        return found

    @staticmethod
    def provides(args: EnvGroupArgs) -> tuple[str, ...]:
        """Its own variables (the spec adds those its links give: ``linked_names``)."""
        return (*args.env, *(n for n in args.generated if n not in args.env))

    def __init__(
        self, name: str, args: EnvGroupArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        problems = self.problems(args) + empty_group(args.env, args.generated, args.links)
        linked, link_problems = resolve_links(args.links, [*args.env, *args.generated])
        raise_problems(f"EnvGroup {name!r}", problems + [p.within("links") for p in link_problems])
        super().__init__(name, opts)
        self._vendor_name = args.name
        self.values = {}
        for env_name, plain in args.env.items():
            self.values[env_name] = pulumi.Output.secret(plain)
        for env_name, how in args.generated.items():
            drawn = GeneratedSecret(
                self.child_name(env_name),
                length_bytes=how.bytes,
                encoding=how.encoding,
                version=how.version,
                opts=self.child_opts(),
            )
            self.values[env_name] = pulumi.Output.secret(drawn.value)
        for env_name, value in linked.items():
            self.values[env_name] = pulumi.Output.secret(value)
        self.render_group: render.EnvGroup | None = None
        self.register_outputs({})

    def env(self) -> Mapping[str, pulumi.Output[str]]:
        return dict(self.values)

    def join(self, service_ids: Sequence[pulumi.Input[str]]) -> render.EnvGroup:
        """The Render environment group holding the values, linked to these services."""
        if self.render_group is not None:
            raise RuntimeError(f"EnvGroup {self.pulumi_resource_name!r} is joined once")
        self.render_group = render.EnvGroup(
            self.child_name("render"),
            name=self._vendor_name,
            env_vars=self.values,
            service_ids=list(service_ids),
            opts=self.child_opts(),
        )
        return self.render_group
