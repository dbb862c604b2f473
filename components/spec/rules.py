"""The checks of a stack file beyond each field's own type: the components' rules on every entry,
and the rules only a whole stack can judge.

The rule that matters here: a component's rules live in the component and run here through
``build.entry_problems``; what is written here needs the stack (links by name, config keys, the
project's folders, domains' targets) or is production policy: a ``production: true`` stack
refuses plans that sleep, pause, expire or lose data, each refusal citing the vendor page, because
those plans fail silently in production (a cold start, a paused database, a wiped queue).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pulumi

from paas_stacks._messages import choices
from paas_stacks.components.domain import DnsTarget, Domain
from paas_stacks.components.env_group import empty_group
from paas_stacks.components.platforms import Fly
from paas_stacks.components.spec.build import (
    Entry,
    compile_entry,
    consumed,
    consumed_at,
    domain_args,
    entries,
    entry_problems,
)
from paas_stacks.components.spec.data import (
    ObjectStoreSpec,
    RenderKeyValueSpec,
    RenderPostgresSpec,
    SupabasePostgresSpec,
)
from paas_stacks.components.spec.frontends import (
    DomainSpec,
    EnvGroupSpec,
    SecretSetSpec,
    StaticSiteSpec,
)
from paas_stacks.components.spec.links import check_consumer
from paas_stacks.components.spec.services import FlyServiceSpec, RenderServiceSpec
from paas_stacks.errors import Loc, Problem
from paas_stacks.vendors import render, supabase

if TYPE_CHECKING:
    from paas_stacks.components.spec.environment import EnvironmentSpec

__all__ = ["RuleContext", "check"]

#: The keys only some kinds of service take, and which kinds.
KIND_KEYS: dict[str, tuple[str, ...]] = {
    "health_check_path": ("web",),
    "port": ("web", "private"),
    "schedule": ("cron",),
}


@dataclass(frozen=True)
class RuleContext:
    """What the rules know beyond the spec itself."""

    #: Every component name in the input (section by name), valid or not, so that a link to a
    #: component with its own error is not also reported as missing.
    names: Mapping[str, str]
    #: The project root, to check that migrations folders exist.
    root: Path | None = None
    #: Whether ``paas-stacks:<key>`` is set in the stack's config; ``None`` skips the check.
    secret_present: Callable[[str], bool] | None = None
    stack: str = field(default="<stack>")

    @classmethod
    def of(cls, spec: EnvironmentSpec) -> RuleContext:
        return cls(names={entry.name: entry.section for entry in entries(spec)})


def check(spec: EnvironmentSpec, ctx: RuleContext) -> Iterator[Problem]:
    """Every problem of ``spec`` beyond its fields' types."""
    for entry in entries(spec):
        yield from _shape(entry)
        yield from entry_problems(entry, spec)
        yield from _production(spec, entry)
        yield from _stack_rules(spec, entry, ctx)
    for name, domain in spec.domains.items():
        yield from _domain(spec, name, domain, ctx)
    yield from _cycles(spec)
    yield from _workspace(spec)
    yield from _preview_databases(spec)


def _preview_databases(spec: EnvironmentSpec) -> Iterator[Problem]:
    """Previews as branches need every Supabase project of the stack on a branching plan."""
    if spec.preview_databases != "branch":
        return
    for name, db in spec.postgres.items():
        if isinstance(db, SupabasePostgresSpec) and db.plan not in supabase.BRANCHING_PLANS:
            yield Problem(
                ("preview_databases",),
                f"'branch' needs Supabase branching, a paid plan (pro, team or enterprise); "
                f"postgres.{name} is on {db.plan!r}: use 'project' or a paid plan",
            )


def _workspace(spec: EnvironmentSpec) -> Iterator[Problem]:
    """A workspace plan that cannot run what the stack asks for: Render refuses autoscaling on
    Hobby, so the stack would fail at deploy instead of here."""
    plan = spec.render_workspace
    if plan is None or plan in render.AUTOSCALING_WORKSPACES:
        return
    for name, svc in spec.services.items():
        if isinstance(svc, RenderServiceSpec) and svc.autoscaling is not None:
            yield Problem(
                ("render_workspace",),
                choices(
                    plan,
                    render.AUTOSCALING_WORKSPACES,
                    f"cannot autoscale services.{name} (horizontal autoscaling needs a Pro "
                    f"workspace or higher: {render.WORKSPACE_PAGE})",
                ),
            )
            return


def _cycles(spec: EnvironmentSpec) -> Iterator[Problem]:
    """Links that go round: each component would have to be built before the other."""
    known = {entry.name: entry for entry in entries(spec)}
    reported: set[frozenset[str]] = set()
    for name in known:
        cycle = _cycle_from(name, known)
        if cycle is None or frozenset(cycle) in reported:
            continue
        reported.add(frozenset(cycle))
        first = known[cycle[0]]
        # The position among the links as written (a service's link to itself included).
        written = getattr(first.spec, "links", None) if consumed_at(first) == ("links",) else None
        index = next(i for i, link in enumerate(written or consumed(first)) if link.to == cycle[1])
        shown = " -> ".join(repr(step) for step in (*cycle, cycle[0]))
        yield Problem(
            (first.section, first.name, *consumed_at(first), index, "to"),
            f"{shown} is a cycle: each would have to be built before the other; drop one link",
        )


def _cycle_from(start: str, known: Mapping[str, Entry]) -> list[str] | None:
    """The names on a path of links from ``start`` back to itself, if there is one."""
    path: list[str] = [start]
    seen: set[str] = set()
    trail: list[list[str]] = [_targets(known[start], known)]
    while trail:
        if not trail[-1]:
            trail.pop()
            seen.add(path.pop())
            continue
        step = trail[-1].pop()
        if step == start:
            return path
        if step in path or step in seen:
            continue
        path.append(step)
        trail.append(_targets(known[step], known))
    return None


def _targets(entry: Entry, known: Mapping[str, Entry]) -> list[str]:
    # Self-links and links to unknown names have their own problems (``links.py``).
    return [link.to for link in consumed(entry) if link.to in known and link.to != entry.name]


def _shape(entry: Entry) -> Iterator[Problem]:
    """Keys the stack file has for a friendlier refusal than 'unknown key'."""
    at: Loc = (entry.section, entry.name)
    spec = entry.spec
    if isinstance(spec, RenderServiceSpec | FlyServiceSpec):
        yield from _kind_keys(at, spec)
    if isinstance(spec, RenderPostgresSpec) and spec.migrations is not None:
        yield Problem(
            (*at, "migrations"),
            "Render Postgres has no API to run migrations; run them in a linked service's "
            "pre_deploy_command",
        )
    if isinstance(spec, StaticSiteSpec | ObjectStoreSpec):
        yield from _provider_keys(at, spec)


def _kind_keys(at: Loc, spec: RenderServiceSpec | FlyServiceSpec) -> Iterator[Problem]:
    """Keys the service's kind does not take, and the schedule a cron job needs."""
    for key, kinds in KIND_KEYS.items():
        if getattr(spec, key) is not None and spec.kind not in kinds:
            why = {
                "worker": "a worker serves no HTTP",
                "cron": "a cron job runs and exits",
                "private": "a private service takes no public HTTP traffic",
                "web": "a web service runs all the time",
            }[spec.kind]
            kinds_text = " or ".join(f"kind: {k}" for k in kinds)
            yield Problem((*at, key), f"{why}, so it has no {key}; remove it or set {kinds_text}")
    if spec.kind == "cron" and spec.schedule is None:
        yield Problem(
            (*at, "schedule"),
            f"is required for kind: cron: a cron expression in UTC, e.g. '0 3 * * *' "
            f"({render.CRON_PAGE})",
        )


#: Stack-file keys that name the config secret an argument is read from.
FROM_CONFIG = {"access_key_from_config": "access_key", "secret_key_from_config": "secret_key"}


def _provider_keys(at: Loc, spec: StaticSiteSpec | ObjectStoreSpec) -> Iterator[Problem]:
    """A stack file writes every provider's own keys flat beside the shared ones; each is held
    against the chosen provider's arguments: one it does not take is refused (never dropped),
    and one it requires must be there. The values themselves are the component's to judge."""
    providers, shared = _provider_classes(spec)
    chosen = providers[spec.provider]
    for key, model_field in type(spec).model_fields.items():
        arg = FROM_CONFIG.get(key, key)
        takers = sorted(name for name, cls in providers.items() if arg in _fields(cls))
        if arg in shared or not takers:
            continue
        value = getattr(spec, key)
        if arg not in _fields(chosen):
            if value != model_field.default:
                yield Problem((*at, key), f"is only used with provider {_either(takers)}")
        elif value is None and _fields(chosen)[arg]:
            yield Problem((*at, key), f"is required for provider {spec.provider!r}")


def _provider_classes(
    spec: StaticSiteSpec | ObjectStoreSpec,
) -> tuple[Mapping[Any, type[Any]], Mapping[str, bool]]:
    """The provider dataclasses by stack-file name, and the fields of the shared arguments."""
    # Imported here: the spec is loaded by programs that never build these components.
    if isinstance(spec, StaticSiteSpec):
        from paas_stacks.components.static_site._args import (  # noqa: PLC0415
            HOSTS,
            StaticSiteArgs,
        )

        return HOSTS, _fields(StaticSiteArgs)
    from paas_stacks.components.object_store._args import (  # noqa: PLC0415
        PROVIDERS,
        ObjectStoreArgs,
    )

    return PROVIDERS, _fields(ObjectStoreArgs)


def _fields(cls: type[Any]) -> dict[str, bool]:
    """A dataclass's field names, each with whether it is required (has no default)."""
    missing = dataclasses.MISSING
    return {
        item.name: item.default is missing and item.default_factory is missing
        for item in dataclasses.fields(cls)
    }


def _either(names: list[str]) -> str:
    quoted = [repr(name) for name in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def _production(spec: EnvironmentSpec, entry: Entry) -> Iterator[Problem]:
    """Plans a production stack refuses because they fail silently."""
    if not spec.production:
        return
    at: Loc = (entry.section, entry.name)
    model = entry.spec
    if isinstance(model, SupabasePostgresSpec) and model.plan == "free":
        yield Problem(
            (*at, "plan"),
            choices(
                "free",
                ("pro", "team", "enterprise"),
                "is refused by production: true (free Supabase projects are paused after 1 week "
                "of inactivity: supabase.com/pricing)",
            ),
        )
    elif isinstance(model, RenderPostgresSpec) and model.plan == "free":
        yield Problem(
            (*at, "plan"),
            "'free' is refused by production: true (free Render Postgres databases expire 30 "
            f"days after creation: {render.FREE_PAGE}); choose a paid plan, e.g. 'basic_256mb'",
        )
    elif isinstance(model, RenderKeyValueSpec) and model.plan == "free":
        yield Problem(
            (*at, "plan"),
            "'free' is refused by production: true (free Render Key Value keeps data in memory "
            f"only and loses it on restart: {render.FREE_PAGE}); choose a paid plan, e.g. "
            "'starter'",
        )
    elif isinstance(model, FlyServiceSpec):
        yield from _always_on(spec, entry, at)


def _always_on(spec: EnvironmentSpec, entry: Entry, at: Loc) -> Iterator[Problem]:
    args = compile_entry(entry, spec).args
    platform = args.platform
    running = args.autoscaling.min if args.autoscaling is not None else 0
    if isinstance(platform, Fly) and platform.idle(args) != "off" and running == 0:
        yield Problem(
            (*at, "autostop"),
            f"{platform.idle(args)!r} is refused by production: true unless autoscaling.min >= 1 "
            "(idle machines stop, so requests wait for a cold start)",
        )


def _whole_groups(spec: EnvironmentSpec, at: Loc, model: RenderServiceSpec) -> Iterator[Problem]:
    """A Render service joins an env group whole: Render shares the group, not a part of it."""
    for index, link in enumerate(model.links):
        if link.to not in spec.env_groups:
            continue
        for key in ("only", "rename", "properties"):
            if getattr(link, key):
                yield Problem(
                    (*at, "links", index, key),
                    "a Render service joins the whole env group (one Render environment group "
                    f"shared by its members); remove {key}, or link the group's sources instead",
                )


def _stack_rules(spec: EnvironmentSpec, entry: Entry, ctx: RuleContext) -> Iterator[Problem]:
    """Links by name, config keys and the project's folders."""
    at: Loc = (entry.section, entry.name)
    model = entry.spec
    if isinstance(model, RenderServiceSpec | FlyServiceSpec | StaticSiteSpec):
        yield from check_consumer(
            spec,
            (*at, "links"),
            consumer=entry.name,
            links=model.links,
            env=model.env,
            names=ctx.names,
        )
        if isinstance(model, RenderServiceSpec):
            yield from _whole_groups(spec, at, model)
    elif isinstance(model, EnvGroupSpec):
        yield from (p.within(*at) for p in empty_group(model.env, model.generated, model.links))
        yield from check_consumer(
            spec,
            (*at, "links"),
            consumer=entry.name,
            links=model.links,
            env={**model.env, **dict.fromkeys(model.generated, "")},
            names=ctx.names,
        )
    elif isinstance(model, SupabasePostgresSpec):
        yield from _migrations_folder(at, model.migrations, ctx)
        yield from check_consumer(
            spec,
            (*at, "function_secrets"),
            consumer=entry.name,
            links=model.function_secrets,
            env={},
            names=ctx.names,
        )
    elif isinstance(model, SecretSetSpec):
        for env_name, key in model.from_config.items():
            yield from _config_key((*at, "from_config", env_name), key, ctx)
        if model.github:
            yield from check_consumer(
                spec,
                (*at, "github", "links"),
                consumer=entry.name,
                links=model.github.links,
                env={},
                names=ctx.names,
            )
    elif isinstance(model, ObjectStoreSpec):
        yield from _object_store(at, model, ctx)


def _migrations_folder(at: Loc, folder: str | None, ctx: RuleContext) -> Iterator[Problem]:
    if folder is None or ctx.root is None:
        return
    path = ctx.root / folder
    root = ctx.root.resolve()
    # Resolved, so '..', an absolute path or a symlink out of the project are all caught: the
    # migrations run with the database's owner rights, from files a PR cannot place elsewhere.
    if not path.resolve().is_relative_to(root):
        yield Problem(
            (*at, "migrations"),
            f"folder {folder!r} is outside the project root; migrations must be a folder "
            "inside the project, such as 'stacks/migrations/<name>'",
        )
    elif not path.is_dir():
        yield Problem(
            (*at, "migrations"),
            f"folder {folder!r} does not exist (paths are relative to the project root)",
        )
    elif not any(path.glob("*.sql")):
        yield Problem((*at, "migrations"), f"folder {folder!r} has no .sql files")


def _object_store(at: Loc, store: ObjectStoreSpec, ctx: RuleContext) -> Iterator[Problem]:
    """The key pair's config keys must be set in the stack's config."""
    for key in FROM_CONFIG:
        config_key = getattr(store, key)
        if config_key is not None:
            yield from _config_key((*at, key), config_key, ctx)


def _config_key(at: Loc, key: str, ctx: RuleContext) -> Iterator[Problem]:
    if ctx.secret_present is not None and not ctx.secret_present(key):
        yield Problem(
            at,
            f"config key 'paas-stacks:{key}' is not set; run: pulumi config set --secret "
            f"paas-stacks:{key} <value> --stack {ctx.stack}",
        )


def _domain(
    spec: EnvironmentSpec, name: str, domain: DomainSpec, ctx: RuleContext
) -> Iterator[Problem]:
    at: Loc = ("domains", name)
    web = [n for n, s in spec.services.items() if s.kind == "web"]
    targets = sorted([*web, *spec.static_sites])
    known = {entry.name for entry in entries(spec)}
    # A target that is in the file but failed its own validation is reported there, not here.
    if domain.target not in targets and (domain.target in known or domain.target not in ctx.names):
        lead = (
            "is not a web service or static site"
            if domain.target in known
            else ("is not a component")
        )
        yield Problem((*at, "target"), choices(domain.target, targets, lead))
    # The target is built later; its own entry is checked on its own.
    args = domain_args(domain, _Unbuilt())
    yield from (problem.within(*at) for problem in Domain.problems(args))


class _Unbuilt:
    """A domain's target while the stack is only checked: components are built later."""

    def attach_domain(self, hostname: str, parent: pulumi.Resource) -> DnsTarget:
        raise NotImplementedError(f"{hostname}: only checked, not built (parent {parent})")
