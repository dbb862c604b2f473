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
from paas_stacks.components.spec.build import Entry, entries, provides
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
            yield Problem(here, f"{consumer!r} links to itself")
        elif link.to not in known:
            if link.to not in names:  # else the target has its own error
                yield Problem(here, choices(link.to, sorted(names), "is not a component"))
        else:
            provided = provides(known[link.to], spec)
            offers.append(Offer(link.to, provided, link.only, dict(link.rename)))
            positions.append(index)
    _plan, problems = plan_links(env, offers)
    for problem in problems:
        index, rest = int(problem.loc[0]), problem.loc[1:]
        yield Problem((*at, positions[index], *rest), problem.message)
