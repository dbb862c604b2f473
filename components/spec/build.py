"""The compiler from a stack spec to components' arguments: one entry -> (component, args).

The rule that matters here: a stack file is checked by the components' own rules. Each entry is
compiled into the arguments a Python program would write, with the environment's defaults
filled in (vendor names ``<environment>-<component>``, regions from the environment's place,
production protection), and the component's ``problems`` judge it; the loader only moves each
problem under the entry's config path. Fields are copied by name, so a key the spec and the
arguments share cannot be forgotten on the way.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from pydantic import BaseModel

from paas_stacks.components.cron_job import CronJob, CronJobArgs
from paas_stacks.components.domain import DomainArgs, DomainTarget
from paas_stacks.components.env_group import EnvGroup, EnvGroupArgs
from paas_stacks.components.linking import Link
from paas_stacks.components.platforms import Fly, Render
from paas_stacks.components.postgres import Postgres, PostgresArgs, RenderPostgres, Supabase
from paas_stacks.components.private_service import PrivateService, PrivateServiceArgs
from paas_stacks.components.redis import Redis, RedisArgs, RenderKeyValue, Upstash
from paas_stacks.components.secret_set import GithubMirror, SecretSet, SecretSetArgs
from paas_stacks.components.spec.common import LinkSpec
from paas_stacks.components.spec.data import (
    ObjectStoreSpec,
    RenderKeyValueSpec,
    RenderPostgresSpec,
    SupabasePostgresSpec,
    UpstashRedisSpec,
)
from paas_stacks.components.spec.frontends import (
    DomainSpec,
    EnvGroupSpec,
    SecretSetSpec,
    StaticSiteSpec,
)
from paas_stacks.components.spec.release import follows
from paas_stacks.components.spec.services import FlyServiceSpec, RenderServiceSpec
from paas_stacks.components.web_service import WebService, WebServiceArgs
from paas_stacks.components.worker import Worker, WorkerArgs
from paas_stacks.errors import Problem
from paas_stacks.vendors.places import region_of

if TYPE_CHECKING:
    from paas_stacks.components.spec.environment import EnvironmentSpec

__all__ = [
    "SECTIONS",
    "Compiled",
    "Entry",
    "compile_entry",
    "consumed",
    "consumed_at",
    "domain_args",
    "entries",
    "entry_problems",
    "linked_names",
    "private_network_reaches",
    "property_names",
    "provided_env",
    "provides",
    "self_links",
]

#: The sections whose entries are components (link targets), in the order they are built.
SECTIONS = (
    "secrets",
    "postgres",
    "redis",
    "object_stores",
    "env_groups",
    "services",
    "static_sites",
)
#: Argument fields a stack file writes flat beside the entry's own keys.
FLATTENED = ("platform", "provider")
A = TypeVar("A")


class Checked(Protocol):
    """What the loader asks of a component class about a compiled entry."""

    @staticmethod
    def problems(args: Any) -> list[Problem]: ...

    @staticmethod
    def provides(args: Any) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class Compiled:
    """A component class and the arguments an entry compiles to."""

    component: type[Any]
    args: Any


@dataclass(frozen=True)
class Entry:
    """One component of a stack file: its section, name and spec model."""

    section: str
    name: str
    spec: BaseModel


def entries(environment: EnvironmentSpec) -> Iterator[Entry]:
    for section in SECTIONS:
        for name, model in getattr(environment, section).items():
            yield Entry(section, name, model)


def consumed_at(entry: Entry) -> tuple[str, ...]:
    """Where an entry's consumed links are written: ``links``, ``function_secrets`` or
    ``github.links``."""
    if isinstance(entry.spec, SupabasePostgresSpec):
        return ("function_secrets",)
    if isinstance(entry.spec, SecretSetSpec):
        return ("github", "links")
    return ("links",)


def consumed(entry: Entry) -> tuple[LinkSpec, ...]:
    """The links an entry consumes from other components: its own, its function secrets or its
    GitHub mirror's (a service's link to itself is not one: ``self_links``)."""
    spec = entry.spec
    if isinstance(spec, SupabasePostgresSpec):
        return spec.function_secrets
    if isinstance(spec, SecretSetSpec):
        return spec.github.links if spec.github else ()
    return tuple(link for link in getattr(spec, "links", ()) if link.to != entry.name)


def self_links(entry: Entry) -> tuple[LinkSpec, ...]:
    """A service's links to itself: its own address under names it picks."""
    if not isinstance(entry.spec, RenderServiceSpec | FlyServiceSpec):
        return ()
    return tuple(link for link in entry.spec.links if link.to == entry.name)


def compile_entry(
    entry: Entry,
    environment: EnvironmentSpec,
    links: Sequence[Link] = (),
    secret: Callable[[str], Any] | None = None,
) -> Compiled:
    """``entry`` as a component and its arguments; ``links`` are the resolved ``consumed``
    links (none while only checking), ``secret`` reads a config secret (a placeholder when
    only checking)."""
    compile_ = COMPILERS[type(entry.spec)]
    return compile_(entry.name, entry.spec, environment, links, secret or _placeholder)


def entry_problems(entry: Entry, environment: EnvironmentSpec) -> list[Problem]:
    """The component's own problems with the entry, under the entry's config path."""
    compiled = compile_entry(entry, environment)
    check = getattr(compiled.component, "problems", None)
    if check is None:
        return []
    return [_spec_problem(p, entry).within(entry.section, entry.name) for p in check(compiled.args)]


def provides(entry: Entry, environment: EnvironmentSpec) -> tuple[str, ...]:
    """The variable names a link to ``entry`` injects (before renames); an env group passes on
    what its own links give too."""
    compiled = compile_entry(entry, environment)
    offer: Callable[[Any], tuple[str, ...]] = compiled.component.provides
    if isinstance(entry.spec, EnvGroupSpec):
        return (*offer(compiled.args), *linked_names(entry, environment))
    return offer(compiled.args)


def linked_names(entry: Entry, environment: EnvironmentSpec) -> tuple[str, ...]:
    """The variable names ``entry`` receives from its links (after ``only`` and ``rename``)."""
    known = {e.name: e for e in entries(environment)}
    names: list[str] = []
    for link in consumed(entry):
        if link.properties is not None:
            names += list(link.properties)
        elif link.to in known and link.to != entry.name:
            names += [
                link.rename.get(variable, variable)
                for variable in provides(known[link.to], environment)
                if link.only is None or variable in link.only
            ]
    return tuple(names)


def property_names(entry: Entry, environment: EnvironmentSpec) -> tuple[str, ...]:
    """The properties a link to ``entry`` can name (a service's ``env.<KEY>`` of its own vars
    only; ``links.py`` adds those of its links)."""
    compiled = compile_entry(entry, environment)
    names: Callable[[Any], tuple[str, ...]] | None = getattr(
        compiled.component, "property_names", None
    )
    return names(compiled.args) if names else ()


def provided_env(environment: EnvironmentSpec, name: str) -> tuple[str, ...]:
    """The variable names a link to the component ``name`` injects (before renames)."""
    return provides(next(e for e in entries(environment) if e.name == name), environment)


def _spec_problem(problem: Problem, entry: Entry) -> Problem:
    """A problem located in the arguments, located in the stack file (which writes the
    platform's or provider's fields flat, and a service's own address as a link to itself)."""
    loc = problem.loc[1:] if problem.loc[:1] and problem.loc[0] in FLATTENED else problem.loc
    if loc[:1] == ("self_properties",) and len(loc) > 1:
        for link in self_links(entry):
            if loc[1] in (link.properties or {}):
                position = list(getattr(entry.spec, "links", ())).index(link)
                return Problem(("links", position, "properties", *loc[1:]), problem.message)
    return Problem(loc, problem.message)


def _placeholder(key: str) -> str:
    return f"<paas-stacks:{key}>"


def _copied(cls: type[A], spec: BaseModel, **given: Any) -> A:
    """``cls`` from the spec's fields of the same names, plus ``given``."""
    names = {field.name for field in dataclasses.fields(cls)}  # type: ignore[arg-type]
    shared = {
        key: getattr(spec, key) for key in names & set(type(spec).model_fields) if key not in given
    }
    return cls(**shared, **given)


Secret = Callable[[str], Any]


def _service(
    name: str,
    spec: RenderServiceSpec | FlyServiceSpec,
    environment: EnvironmentSpec,
    links: Sequence[Link],
    secret: Secret,
) -> Compiled:
    del secret
    platform: Render | Fly
    if isinstance(spec, RenderServiceSpec):
        region = spec.region or region_of("render", environment.region)
        source: dict[str, Any] = {}
        if spec.image is None and spec.runtime != "image":
            source["repo"] = spec.repo or environment.repository
        if follows(environment, name) and spec.auto_deploy is None:
            # Its code arrives as releases (CI pins each commit); a push must not deploy itself.
            source["auto_deploy"] = False
        platform = _copied(Render, spec, region=region, **source)
    else:
        platform = _copied(Fly, spec, region=spec.region or region_of("fly", environment.region))
    own = {
        variable: prop
        for link in spec.links
        if link.to == name
        for variable, prop in (link.properties or {}).items()
    }
    given = {
        "name": environment.resource_name(name),
        "platform": platform,
        "env": dict(spec.env),
        "links": list(links),
        "self_properties": own,
    }
    component, args_type = KINDS[spec.kind]
    return Compiled(component, _copied(args_type, spec, **given))


#: Each kind of service: its component and its arguments.
KINDS: dict[str, tuple[type[Any], type[Any]]] = {
    "web": (WebService, WebServiceArgs),
    "worker": (Worker, WorkerArgs),
    "private": (PrivateService, PrivateServiceArgs),
    "cron": (CronJob, CronJobArgs),
}


def _postgres(
    name: str,
    spec: SupabasePostgresSpec | RenderPostgresSpec,
    environment: EnvironmentSpec,
    links: Sequence[Link],
    secret: Secret,
) -> Compiled:
    del secret
    provider: Supabase | RenderPostgres
    if isinstance(spec, SupabasePostgresSpec):
        region = spec.region or region_of("supabase", environment.region)
        provider = _copied(Supabase, spec, region=region, function_secrets=list(links))
    else:
        region = spec.region or region_of("render", environment.region)
        private = private_network_reaches(environment, name, region)
        provider = _copied(RenderPostgres, spec, region=region, private_network=private)
    args = PostgresArgs(
        name=environment.resource_name(name),
        provider=provider,
        protect=environment.production,
        adopt_id=spec.adopt_id,
    )
    return Compiled(Postgres, args)


def _redis(
    name: str,
    spec: UpstashRedisSpec | RenderKeyValueSpec,
    environment: EnvironmentSpec,
    links: Sequence[Link],
    secret: Secret,
) -> Compiled:
    del links, secret
    provider: Upstash | RenderKeyValue
    if isinstance(spec, UpstashRedisSpec):
        region = spec.region or region_of("upstash", environment.region)
        provider = _copied(Upstash, spec, region=region)
    else:
        region = spec.region or region_of("render", environment.region)
        private = private_network_reaches(environment, name, region)
        provider = _copied(RenderKeyValue, spec, region=region, private_network=private)
    args = RedisArgs(
        name=environment.resource_name(name),
        provider=provider,
        protect=environment.production,
        adopt_id=spec.adopt_id,
    )
    return Compiled(Redis, args)


def _secret_set(
    name: str,
    spec: SecretSetSpec,
    environment: EnvironmentSpec,
    links: Sequence[Link],
    secret: Secret,
) -> Compiled:
    del name, environment, secret
    mirror = spec.github
    github = GithubMirror(repository=mirror.repository, links=list(links)) if mirror else None
    args = SecretSetArgs(
        generated=dict(spec.generated), from_config=dict(spec.from_config), github=github
    )
    return Compiled(SecretSet, args)


def _env_group(
    name: str,
    spec: EnvGroupSpec,
    environment: EnvironmentSpec,
    links: Sequence[Link],
    secret: Secret,
) -> Compiled:
    del secret
    args = _copied(EnvGroupArgs, spec, name=environment.resource_name(name), links=list(links))
    return Compiled(EnvGroup, args)


def _static_site(
    name: str,
    spec: StaticSiteSpec,
    environment: EnvironmentSpec,
    links: Sequence[Link],
    secret: Secret,
) -> Compiled:
    """Vendor name ``<environment>-<name>``; the host's own keys (``plan``, ``framework``) go to
    its dataclass, whose defaults fill what the file leaves out; for S3 + CloudFront the aliases
    are the hostnames of the ``domains`` entries that target it."""
    del secret
    # Imported here: the spec is loaded by programs that never build a static site.
    from paas_stacks.components.static_site import (  # noqa: PLC0415
        S3CloudFront,
        StaticSite,
        StaticSiteArgs,
    )
    from paas_stacks.components.static_site._args import HOSTS  # noqa: PLC0415

    host = HOSTS[spec.provider]
    given: dict[str, Any] = {}
    if host is S3CloudFront:
        domains = environment.domains.values()
        given["aliases"] = tuple(d.hostname for d in domains if d.target == name)
    args = _copied(
        StaticSiteArgs,
        spec,
        name=environment.resource_name(name),
        provider=_given(host, spec, **given),
        env=dict(spec.env),
        links=list(links),
        protect=environment.production,
    )
    return Compiled(StaticSite, args)


def _object_store(
    name: str,
    spec: ObjectStoreSpec,
    environment: EnvironmentSpec,
    links: Sequence[Link],
    secret: Secret,
) -> Compiled:
    """Keys come from ``pulumi config set --secret paas-stacks:<key>`` (``*_from_config``); an
    AWS bucket's region defaults to the environment's place."""
    del links
    # Imported here: the spec is loaded by programs that never build an object store.
    from paas_stacks.components.object_store import (  # noqa: PLC0415
        S3,
        ObjectStore,
        ObjectStoreArgs,
        S3Compatible,
    )

    provider: S3 | S3Compatible
    if spec.provider == "s3_compatible":
        access, secret_key = spec.access_key_from_config, spec.secret_key_from_config
        provider = _given(
            S3Compatible,
            spec,
            access_key=secret(access) if access else None,
            secret_key=secret(secret_key) if secret_key else None,
        )
    else:
        provider = _given(S3, spec, region=spec.region or region_of("aws", environment.region))
    args = ObjectStoreArgs(
        bucket=spec.bucket or environment.resource_name(name),
        provider=provider,
        public=spec.public,
        cors_origins=spec.cors_origins,
        protect=environment.production,
    )
    return Compiled(ObjectStore, args)


def _given(cls: type[A], spec: BaseModel, **given: Any) -> A:
    """``cls`` from the spec's fields of the same names, plus ``given``; a key the file leaves
    out (``None``) keeps ``cls``'s default, so Python and a stack file get the same one. A
    required one is passed as ``None``: the loader reports it missing (``rules._provider_keys``)."""
    shared: dict[str, Any] = {}
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        if field.name in given or field.name not in type(spec).model_fields:
            continue
        value = getattr(spec, field.name)
        missing = dataclasses.MISSING
        required = field.default is missing and field.default_factory is missing
        if value is None and not required:
            continue
        shared[field.name] = value
    return cls(**shared, **given)


Compiler = Callable[[str, Any, "EnvironmentSpec", Sequence[Link], Secret], Compiled]
#: Each spec model's compiler: the one place a kind of entry becomes a component.
COMPILERS: dict[type[BaseModel], Compiler] = {
    RenderServiceSpec: _service,
    FlyServiceSpec: _service,
    SupabasePostgresSpec: _postgres,
    RenderPostgresSpec: _postgres,
    UpstashRedisSpec: _redis,
    RenderKeyValueSpec: _redis,
    SecretSetSpec: _secret_set,
    EnvGroupSpec: _env_group,
    StaticSiteSpec: _static_site,
    ObjectStoreSpec: _object_store,
}


def domain_args(spec: DomainSpec, target: DomainTarget) -> DomainArgs:
    """A ``domains`` entry as the Domain's arguments, answered by the built ``target``."""
    return _copied(DomainArgs, spec, target=target)


def private_network_reaches(environment: EnvironmentSpec, name: str, region: str) -> bool:
    """True when every consumer of component ``name`` is a Render service in ``region``, so
    Render's internal connection string reaches it; anything else (Fly, another region, a
    GitHub mirror, Supabase function secrets) needs the external one. No consumer: internal."""
    for entry in entries(environment):
        if not any(link.to == name for link in consumed(entry)):
            continue
        spec = entry.spec
        if not isinstance(spec, RenderServiceSpec):
            return False
        if (spec.region or region_of("render", environment.region)) != region:
            return False
    return True
