"""Typed wiring between components: a consumer receives the env vars its links provide.

The rule that matters here: every injected name has exactly one source. A link can pick some of
its target's variables (``only``) and rename them (``rename``), or name the target's properties
one by one under the consumer's own names (``properties``: ``{"SEARCH_ADDR": "hostport"}``, as a
Blueprint's ``fromService``/``fromDatabase`` does); two sources for one name (two links, or a
link and the consumer's own ``env``) are a problem, never a silent overwrite. ``plan_links``
decides it once, for links between built components and for the names in a stack file alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import pulumi

from paas_stacks._messages import choices
from paas_stacks.errors import Problem

__all__ = ["PROPERTY", "HasProperties", "Link", "Linkable", "Offer", "plan_links", "resolve_links"]

#: How a planned variable names a property rather than one of the target's variables.
PROPERTY = "@"


@runtime_checkable
class Linkable(Protocol):
    """Anything a service can consume: Postgres, Redis, SecretSet, ObjectStore, a web service."""

    def env(self) -> Mapping[str, pulumi.Output[str]]:
        """Env var name -> value; sensitive values are secret Outputs."""
        ...


@runtime_checkable
class HasProperties(Protocol):
    """A linkable whose single values can be named: ``host``, ``port``, ``connection_string``,
    a service's ``url``, ``env.<KEY>``..."""

    def properties(self) -> Mapping[str, pulumi.Output[str]]:
        """Property name -> value; sensitive values are secret Outputs."""
        ...


@dataclass(frozen=True)
class Link:
    """``Link(db, only=["DATABASE_URL"], rename={"REDIS_URL": "QUEUE_URL"})``, or
    ``Link(search, properties={"SEARCH_ADDR": "hostport"})``."""

    to: Linkable
    #: Inject only these of the target's variables (names before renaming).
    only: Sequence[str] | None = None
    #: Target's variable name -> the name the consumer expects.
    rename: Mapping[str, str] = field(default_factory=dict)
    #: Instead of the target's variables: consumer's name -> the target's property.
    properties: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Offer:
    """One link as the planner sees it: whom it names and which variables that one provides."""

    target: str
    provided: tuple[str, ...]
    only: Sequence[str] | None = None
    rename: Mapping[str, str] = field(default_factory=dict)
    #: Consumer's name -> property, when the link names properties.
    properties: Mapping[str, str] | None = None
    #: The property names the target has.
    available: tuple[str, ...] = ()


def plan_links(
    own: Iterable[str], offers: Sequence[Offer]
) -> tuple[dict[str, tuple[int, str]], list[Problem]]:
    """Injected name -> (link index, the target's variable), and the problems; each problem's
    loc starts at the link's index (the caller puts it under its field, e.g. ``links``)."""
    sources: dict[str, str] = {name: f"env.{name}" for name in own}
    plan: dict[str, tuple[int, str]] = {}
    problems: list[Problem] = []
    for index, offer in enumerate(offers):
        if offer.properties is not None:
            problems += _plan_properties(index, offer, sources, plan)
            continue
        if not offer.provided:
            problems.append(Problem((index,), f"{offer.target!r} provides nothing to link"))
            continue
        problems += _unknown_names(index, offer)
        for variable in offer.provided:
            if offer.only is not None and variable not in offer.only:
                continue
            injected = offer.rename.get(variable, variable)
            if injected in sources:
                problems.append(
                    Problem(
                        (index,),
                        f"injects {injected}, which {sources[injected]} also sets; rename one "
                        "with rename:",
                    )
                )
                continue
            sources[injected] = f"links[{index}] ({offer.target})"
            plan[injected] = (index, variable)
    return plan, problems


def _plan_properties(
    index: int,
    offer: Offer,
    sources: dict[str, str],
    plan: dict[str, tuple[int, str]],
) -> list[Problem]:
    """A link that names properties: each under the consumer's name, nothing else."""
    problems = [
        Problem((index, key), "properties: names every variable itself; remove " + key)
        for key in ("only", "rename")
        if (offer.only if key == "only" else offer.rename)
    ]
    for injected, prop in offer.properties.items() if offer.properties else ():
        if prop not in offer.available:
            lead = f"is not a property of {offer.target!r}"
            problems.append(
                Problem((index, "properties", injected), choices(prop, offer.available, lead))
            )
        elif injected in sources:
            problems.append(
                Problem(
                    (index, "properties", injected),
                    f"{injected} is also set by {sources[injected]}; name it differently",
                )
            )
        else:
            sources[injected] = f"links[{index}] ({offer.target})"
            plan[injected] = (index, PROPERTY + prop)
    return problems


def _unknown_names(index: int, offer: Offer) -> list[Problem]:
    lead = f"is not provided by {offer.target!r}"
    found = [
        Problem((index, "only", position), choices(variable, offer.provided, lead))
        for position, variable in enumerate(offer.only or ())
        if variable not in offer.provided
    ]
    return found + [
        Problem((index, "rename", variable), choices(variable, offer.provided, lead))
        for variable in offer.rename
        if variable not in offer.provided
    ]


def resolve_links(
    links: Sequence[Linkable | Link], own: Iterable[str] = ()
) -> tuple[dict[str, pulumi.Output[str]], list[Problem]]:
    """The variables ``links`` inject (after ``only`` and ``rename``) and the problems, locs from
    the link's index. ``own`` are the consumer's own variable names, which no link may set."""
    resolved = [item if isinstance(item, Link) else Link(item) for item in links]
    offered = [dict(link.to.env()) for link in resolved]
    named = [_properties(link.to) for link in resolved]
    offers = [
        Offer(
            _label(link.to),
            tuple(values),
            link.only,
            dict(link.rename),
            None if link.properties is None else dict(link.properties),
            tuple(props),
        )
        for link, values, props in zip(resolved, offered, named, strict=True)
    ]
    plan, problems = plan_links(own, offers)
    env = {
        name: named[index][variable[1:]]
        if variable.startswith(PROPERTY)
        else offered[index][variable]
        for name, (index, variable) in plan.items()
    }
    return env, problems


def _properties(target: Linkable) -> dict[str, pulumi.Output[str]]:
    return dict(target.properties()) if isinstance(target, HasProperties) else {}


def _label(target: object) -> str:
    name = getattr(target, "pulumi_resource_name", None)
    return str(name) if isinstance(name, str) else type(target).__name__
