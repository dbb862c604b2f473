"""Typed wiring between components: a consumer receives the env vars its links provide.

The rule that matters here: every injected name has exactly one source. A link can pick some of
its target's variables (``only``) and rename them (``rename``); two sources for one name (two
links, or a link and the consumer's own ``env``) are a problem, never a silent overwrite.
``plan_links`` decides it once, for links between built components and for the names in a stack
file alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import pulumi

from paas_stacks._messages import choices
from paas_stacks.errors import Problem

__all__ = ["Link", "Linkable", "Offer", "plan_links", "resolve_links"]


@runtime_checkable
class Linkable(Protocol):
    """Anything a service can consume: Postgres, Redis, SecretSet, ObjectStore, a web service."""

    def env(self) -> Mapping[str, pulumi.Output[str]]:
        """Env var name -> value; sensitive values are secret Outputs."""
        ...


@dataclass(frozen=True)
class Link:
    """``Link(db, only=["DATABASE_URL"], rename={"REDIS_URL": "QUEUE_URL"})``."""

    to: Linkable
    #: Inject only these of the target's variables (names before renaming).
    only: Sequence[str] | None = None
    #: Target's variable name -> the name the consumer expects.
    rename: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Offer:
    """One link as the planner sees it: whom it names and which variables that one provides."""

    target: str
    provided: tuple[str, ...]
    only: Sequence[str] | None = None
    rename: Mapping[str, str] = field(default_factory=dict)


def plan_links(
    own: Iterable[str], offers: Sequence[Offer]
) -> tuple[dict[str, tuple[int, str]], list[Problem]]:
    """Injected name -> (link index, the target's variable), and the problems; each problem's
    loc starts at the link's index (the caller puts it under its field, e.g. ``links``)."""
    sources: dict[str, str] = {name: f"env.{name}" for name in own}
    plan: dict[str, tuple[int, str]] = {}
    problems: list[Problem] = []
    for index, offer in enumerate(offers):
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
    offers = [
        Offer(_label(link.to), tuple(values), link.only, dict(link.rename))
        for link, values in zip(resolved, offered, strict=True)
    ]
    plan, problems = plan_links(own, offers)
    env = {name: offered[index][variable] for name, (index, variable) in plan.items()}
    return env, problems


def _label(target: object) -> str:
    name = getattr(target, "pulumi_resource_name", None)
    return str(name) if isinstance(name, str) else type(target).__name__
