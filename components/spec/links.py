"""Checks of ``links:`` (and ``function_secrets:``, ``github.links:``): what a consumer injects.

The rule that matters here: after renames, every env var a consumer receives has exactly one
source (its own ``env`` or one link), so no link silently overwrites another.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from paas_stacks.components.spec.common import LinkSpec
from paas_stacks.components.spec.data import (
    ObjectStoreSpec,
    RenderPostgres,
    RenderRedis,
    SupabasePostgres,
    UpstashRedis,
)
from paas_stacks.components.spec.errors import Loc, Problem, choices
from paas_stacks.components.spec.frontends import SecretSetSpec, StaticSiteSpec
from paas_stacks.components.spec.services import FlyService, RenderService

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
    sources = {key: f"env.{key}" for key in env}
    known = spec.components()
    for index, link in enumerate(links):
        here = (*at, index)
        if link.to == consumer:
            yield Problem((*here, "to"), f"{consumer!r} links to itself")
            continue
        if link.to not in known:
            if link.to not in names:  # else the target has its own error
                yield Problem((*here, "to"), choices(link.to, sorted(names), "is not a component"))
            continue
        offered = provided_env(known[link.to])
        if not offered:
            yield Problem((*here, "to"), f"{link.to!r} is a worker, which has nothing to link")
            continue
        yield from _keys(here, link, offered)
        for var in _injected(link, offered):
            if var in sources:
                yield Problem(here, f"injects {var}, which {sources[var]} also sets; rename one "
                              "with rename:")  # fmt: skip
            sources[var] = f"{at[-1]}[{index}] ({link.to})"


def _keys(here: Loc, link: LinkSpec, offered: tuple[str, ...]) -> Iterator[Problem]:
    lead = f"is not provided by {link.to!r}"
    for position, var in enumerate(link.only or ()):
        if var not in offered:
            yield Problem((*here, "only", position), choices(var, offered, lead))
    for var in link.rename:
        if var not in offered:
            yield Problem((*here, "rename", var), choices(var, offered, lead))


def _injected(link: LinkSpec, offered: tuple[str, ...]) -> list[str]:
    chosen = [var for var in offered if link.only is None or var in link.only]
    return [link.rename.get(var, var) for var in chosen]


REDIS_ENV = ("REDIS_URL", "REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD")
#: What a link to each kind of component injects, when it does not depend on its settings.
FIXED_ENV: dict[type, tuple[str, ...]] = {
    RenderPostgres: ("DATABASE_URL",),
    StaticSiteSpec: ("URL",),
    UpstashRedis: REDIS_ENV,
    RenderRedis: REDIS_ENV,
}


def provided_env(component: Any) -> tuple[str, ...]:
    """The env var names a link to ``component`` injects (before renames)."""
    if type(component) in FIXED_ENV:
        return FIXED_ENV[type(component)]
    if isinstance(component, RenderService | FlyService):
        return ("URL",) if component.kind == "web" else ()
    if isinstance(component, SupabasePostgres):
        pooler = ("DATABASE_POOLER_URL",) if component.pooler else ()
        keys = ("SUPABASE_URL", "SUPABASE_ANON_KEY", "SUPABASE_SERVICE_ROLE_KEY")
        return ("DATABASE_URL", *pooler, *keys)
    if isinstance(component, ObjectStoreSpec):
        access = ("S3_ACCESS_KEY", "S3_SECRET_KEY") if component.access_key_from_config else ()
        cdn = ("CDN_URL",) if component.cdn else ()
        return ("S3_BUCKET", "S3_REGION", "S3_ENDPOINT", *access, *cdn)
    if isinstance(component, SecretSetSpec):
        return (*component.generated, *component.from_config)
    return ()
