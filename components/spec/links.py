"""Checks of ``links:`` (and ``function_secrets:``, ``github.links:``): what a consumer injects.

The rule that matters here: a link names a component of the same stack, and what it injects is
decided by ``linking.plan_links``, the same planner that wires built components, over the names
each target's component ``provides``; so a stack file is refused for exactly what its program
would refuse.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from paas_stacks._messages import choices
from paas_stacks.components.linking import Offer, plan_links
from paas_stacks.components.spec.build import (
    Entry,
    entries,
    linked_names,
    property_names,
    provides,
)
from paas_stacks.components.spec.common import LinkSpec
from paas_stacks.errors import Loc, Problem

if TYPE_CHECKING:
    from paas_stacks.components.spec.environment import EnvironmentSpec


def check_consumer(
    spec: EnvironmentSpec,
    at: Loc,
    *,
    consumer: str,
    links: tuple[LinkSpec, ...],
    env: Mapping[str, str],
    names: Mapping[str, str],
) -> Iterator[Problem]:
    """Problems of one consumer's links: targets, ``only``/``rename`` keys, collisions."""
    known: dict[str, Entry] = {entry.name: entry for entry in entries(spec)}
    offers: list[Offer] = []
    positions: list[int] = []
    for index, link in enumerate(links):
        here = (*at, index, "to")
        if link.to == consumer:
            yield from _self_link((*at, index), link, known.get(consumer))
        elif link.to not in known:
            if link.to not in names:  # else the target has its own error
                yield Problem(here, choices(link.to, sorted(names), "is not a component"))
        else:
            target = known[link.to]
            offers.append(
                Offer(
                    link.to,
                    provides(target, spec),
                    link.only,
                    dict(link.rename),
                    None if link.properties is None else dict(link.properties),
                    (*property_names(target, spec), *_received(target, spec)),
                )
            )
            positions.append(index)
    own_names = [
        variable for link in links if link.to == consumer for variable in (link.properties or {})
    ]
    _plan, problems = plan_links([*env, *own_names], offers)
    for problem in problems:
        index, rest = int(problem.loc[0]), problem.loc[1:]
        yield Problem((*at, positions[index], *rest), problem.message)


def _self_link(at: Loc, link: LinkSpec, entry: Entry | None) -> Iterator[Problem]:
    """A link to the consumer itself names its own address, nothing else (the properties
    themselves are the service's to judge: ``self_properties``)."""
    if entry is None or "links" not in type(entry.spec).model_fields:
        yield Problem((*at, "to"), f"{link.to!r} links to itself")
        return
    if link.properties is None:
        yield Problem(
            (*at, "to"),
            f"{link.to!r} links to itself: name its own address under properties:, e.g. "
            "{PUBLIC_URL: url}",
        )
    for key in ("only", "rename"):
        if getattr(link, key):
            yield Problem((*at, key), "properties: names every variable itself; remove " + key)


def _received(target: Entry, spec: EnvironmentSpec) -> tuple[str, ...]:
    """``env.<KEY>`` of the variables a service target gets from its own links."""
    if "kind" not in type(target.spec).model_fields:
        return ()
    names = list(linked_names(target, spec))
    own_links: tuple[LinkSpec, ...] = getattr(target.spec, "links", ())
    names += [v for link in own_links if link.to == target.name for v in link.properties or {}]
    return tuple(f"env.{name}" for name in names)
