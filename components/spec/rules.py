"""Rules that span fields or components: links, production safety, platform limits.

The rule that matters here: a ``production: true`` stack refuses plans that sleep, pause, expire
or lose data, each refusal citing the vendor page that says so, because those plans fail
silently in production (a cold start, a paused database, a wiped queue).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paas_stacks.components.spec.data import (
    ObjectStoreSpec,
    RenderPostgres,
    RenderRedis,
    SupabasePostgres,
    SupabaseSize,
)
from paas_stacks.components.spec.errors import Loc, Problem, choices
from paas_stacks.components.spec.frontends import STATIC_PLANS, SecretSetSpec
from paas_stacks.components.spec.links import check_consumer
from paas_stacks.components.spec.services import FlyService, RenderService

if TYPE_CHECKING:
    from paas_stacks.components.spec.environment import EnvironmentSpec

PAID_RENDER_PLANS = ("starter", "standard", "pro", "pro_plus", "pro_max", "pro_ultra")
NATIVE_RUNTIMES = ("node", "python", "go", "ruby", "rust", "elixir")
#: Memory per CPU Fly allows, by CPU kind (fly.io/docs/machines/guides-examples/machine-sizing/).
FLY_MEMORY_PER_CPU = {"shared": (256, 2048), "performance": (2048, 8192)}
SMALL_OR_LARGER_FROM = 2  # index of "small" in SupabaseSize; PITR needs at least small


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
        return cls(names={name: spec.section_of(name) or "" for name in spec.components()})


def check(spec: EnvironmentSpec, ctx: RuleContext) -> Iterator[Problem]:
    """Every cross-field problem of ``spec``."""
    for name, service in spec.services.items():
        yield from _service(spec, name, service, ctx)
    for name, db in spec.postgres.items():
        yield from _postgres(spec, name, db, ctx)
    for name, cache in spec.redis.items():
        yield from _redis(spec, name, cache)
    for name, site in spec.static_sites.items():
        yield from _static_site(spec, name, site, ctx)
    for name, store in spec.object_stores.items():
        yield from _object_store(name, store, ctx)
    for name, secrets in spec.secrets.items():
        yield from _secret_set(spec, name, secrets, ctx)
    for name, domain in spec.domains.items():
        yield from _domain(spec, name, domain, ctx)


def _service(spec: EnvironmentSpec, name: str, svc: Any, ctx: RuleContext) -> Iterator[Problem]:
    at: Loc = ("services", name)
    if svc.kind == "worker":
        for key in ("health_check_path", "port"):
            if getattr(svc, key) is not None:
                yield Problem((*at, key), f"a worker serves no HTTP, so it has no {key}; "
                              "remove it or set kind: web")  # fmt: skip
    if svc.autoscaling and svc.instances is not None:
        yield Problem((*at, "instances"), "set either instances or autoscaling, not both")
    scaling = svc.autoscaling
    if scaling and scaling.min > scaling.max:
        yield Problem((*at, "autoscaling", "min"), f"{scaling.min} is greater than max "
                      f"{scaling.max}")  # fmt: skip
    if isinstance(svc, RenderService):
        yield from _render_service(spec, at, svc)
    else:
        yield from _fly_service(spec, at, svc)
    yield from check_consumer(
        spec, (*at, "links"), consumer=name, links=svc.links, env=svc.env, names=ctx.names
    )


def _render_service(spec: EnvironmentSpec, at: Loc, svc: RenderService) -> Iterator[Problem]:
    if svc.plan == "free" and svc.kind == "worker":
        yield Problem((*at, "plan"), choices("free", PAID_RENDER_PLANS, "is not a plan Render "
                      "sells for workers (free instances are for web services: render.com/docs/"
                      "free)"))  # fmt: skip
    elif svc.plan == "free" and spec.production:
        yield Problem((*at, "plan"), choices("free", PAID_RENDER_PLANS, "is refused by "
                      "production: true (free Render web services spin down after 15 minutes "
                      "without traffic: render.com/docs/free)"))  # fmt: skip
    elif svc.plan == "free":
        yield Problem((*at, "plan"), choices("free", PAID_RENDER_PLANS, "cannot be created "
                      "through the Render API (POST /services takes a paidPlan: starter and "
                      "up; free instances are made in the dashboard only)"))  # fmt: skip
    if svc.plan == "free" and (svc.autoscaling or (svc.instances or 1) > 1):
        yield Problem((*at, "plan"), "a free Render service runs one instance and cannot "
                      "autoscale (render.com/docs/free)")  # fmt: skip
    if svc.autoscaling and svc.autoscaling.min < 1:
        yield Problem((*at, "autoscaling", "min"), "Render keeps at least one instance; "
                      "must be >= 1; got 0")  # fmt: skip
    native = svc.runtime in NATIVE_RUNTIMES
    for key in ("build_command", "start_command"):
        if native and getattr(svc, key) is None:
            yield Problem((*at, key), f"is required for runtime {svc.runtime!r}")
    if svc.runtime == "docker" and svc.build_command is not None:
        yield Problem((*at, "build_command"), "runtime 'docker' builds from its Dockerfile; "
                      "remove build_command")  # fmt: skip
    if svc.runtime == "image" and svc.image is None:
        yield Problem((*at, "image"), "is required for runtime 'image'")
    if svc.runtime != "image" and svc.image is not None:
        yield Problem((*at, "image"), "is only used with runtime 'image'")
    for key in ("dockerfile", "docker_context"):
        if svc.runtime != "docker" and getattr(svc, key) is not None:
            yield Problem((*at, key), "is only used with runtime 'docker'")


def _fly_service(spec: EnvironmentSpec, at: Loc, svc: FlyService) -> Iterator[Problem]:
    if svc.image is None:
        yield Problem((*at, "image"), "is required: Fly machines run an image (push one, e.g. "
                      "registry.fly.io/<app>:<tag>)")  # fmt: skip
    kind = "shared" if svc.size.startswith("shared") else "performance"
    cpus = int(svc.size.rsplit("-", 1)[1].removesuffix("x"))
    low, high = FLY_MEMORY_PER_CPU[kind]
    if svc.memory_mb is not None and not low * cpus <= svc.memory_mb <= high * cpus:
        yield Problem((*at, "memory_mb"), f"{svc.memory_mb} is outside what {svc.size} allows: "
                      f"{low * cpus}-{high * cpus} MB")  # fmt: skip
    # With autostop on, Fly stops idle machines down to autoscaling.min (0 without autoscaling).
    running = svc.autoscaling.min if svc.autoscaling else 0
    if spec.production and svc.autostop != "off" and running == 0:
        yield Problem((*at, "autostop"), f"{svc.autostop!r} is refused by production: true "
                      "unless autoscaling.min >= 1 (idle machines stop, so requests wait for a "
                      "cold start)")  # fmt: skip


def _postgres(spec: EnvironmentSpec, name: str, db: Any, ctx: RuleContext) -> Iterator[Problem]:
    at: Loc = ("postgres", name)
    if db.migrations is not None and ctx.root is not None and not isinstance(db, RenderPostgres):
        folder = ctx.root / db.migrations
        if not folder.is_dir():
            yield Problem((*at, "migrations"), f"folder {db.migrations!r} does not exist "
                          "(paths are relative to the project root)")  # fmt: skip
        elif not any(folder.glob("*.sql")):
            yield Problem((*at, "migrations"), f"folder {db.migrations!r} has no .sql files")
    if isinstance(db, RenderPostgres):
        yield from _render_postgres_limits(at, db)
        if db.plan == "free" and spec.production:
            yield Problem((*at, "plan"), "'free' is refused by production: true (free Render "
                          "Postgres databases expire 30 days after creation: render.com/docs/"
                          "free); choose a paid plan, e.g. 'basic_256mb'")  # fmt: skip
        return
    yield from _supabase(spec, at, db)
    yield from check_consumer(
        spec, (*at, "function_secrets"), consumer=name, links=db.function_secrets, env={},
        names=ctx.names,
    )  # fmt: skip


def _supabase(spec: EnvironmentSpec, at: Loc, db: SupabasePostgres) -> Iterator[Problem]:
    sizes = list(SupabaseSize.__args__)  # type: ignore[attr-defined]
    if db.plan == "free" and spec.production:
        yield Problem((*at, "plan"), choices("free", ("pro", "team", "enterprise"), "is refused "
                      "by production: true (free Supabase projects are paused after 1 week of "
                      "inactivity: supabase.com/pricing)"))  # fmt: skip
    if db.plan == "free" and db.instance_size not in (None, "nano"):
        yield Problem((*at, "instance_size"), f"{db.instance_size!r} needs a paid plan; the "
                      "free plan runs 'nano' only")  # fmt: skip
    if db.pitr_days is not None and db.plan == "free":
        yield Problem((*at, "pitr_days"), "point-in-time recovery needs plan pro or higher; "
                      "got 'free'")  # fmt: skip
    size = db.instance_size or "micro"
    if db.pitr_days is not None and sizes.index(size) < SMALL_OR_LARGER_FROM:
        yield Problem((*at, "pitr_days"), "point-in-time recovery needs instance_size 'small' "
                      f"or larger; got {size!r}")  # fmt: skip


def _render_postgres_limits(at: Loc, db: RenderPostgres) -> Iterator[Problem]:
    """Settings the Render Postgres provider cannot apply are refused, never silently dropped."""
    if db.migrations is not None:
        yield Problem((*at, "migrations"), "Render Postgres has no API to run migrations; "
                      "run them in a linked service's pre_deploy_command")  # fmt: skip
    if db.high_availability:
        yield Problem((*at, "high_availability"), "is not supported by the Render Postgres "
                      "provider yet; set it in the dashboard or leave it false")  # fmt: skip
    if db.ip_allow_list:
        yield Problem((*at, "ip_allow_list"), "is not supported by the Render Postgres provider "
                      "yet; leave it empty")  # fmt: skip


def _redis(spec: EnvironmentSpec, name: str, cache: Any) -> Iterator[Problem]:
    at: Loc = ("redis", name)
    if isinstance(cache, RenderRedis):
        if cache.plan == "free" and spec.production:
            yield Problem((*at, "plan"), "'free' is refused by production: true (free Render "
                          "Key Value keeps data in memory only and loses it on restart: "
                          "render.com/docs/free); choose a paid plan, e.g. 'starter'")  # fmt: skip
        return
    if cache.budget_usd is not None and cache.plan != "payg":
        yield Problem((*at, "budget_usd"), f"only applies to plan 'payg'; got {cache.plan!r}")


def _static_site(
    spec: EnvironmentSpec, name: str, site: Any, ctx: RuleContext
) -> Iterator[Problem]:
    at: Loc = ("static_sites", name)
    plans = STATIC_PLANS[site.provider]
    if site.plan is not None and not plans:
        yield Problem((*at, "plan"), f"{site.provider} has no plan (billed by usage); remove it")
    elif site.plan is not None and site.plan not in plans:
        yield Problem((*at, "plan"), choices(site.plan, plans, f"is not a {site.provider} plan"))
    yield from check_consumer(
        spec, (*at, "links"), consumer=name, links=site.links, env=site.env, names=ctx.names
    )


def _object_store(name: str, store: ObjectStoreSpec, ctx: RuleContext) -> Iterator[Problem]:
    at: Loc = ("object_stores", name)
    compatible = store.provider == "s3_compatible"
    keys = ("endpoint", "access_key_from_config", "secret_key_from_config")
    for key in keys:
        value = getattr(store, key)
        if compatible and value is None:
            yield Problem((*at, key), "is required for provider 's3_compatible'")
        if not compatible and value is not None:
            yield Problem((*at, key), "is only used with provider 's3_compatible'")
    if compatible and store.cdn:
        yield Problem((*at, "cdn"), "CloudFront fronts AWS S3 only; remove it or use provider s3")
    for key in keys[1:]:
        config_key = getattr(store, key)
        if config_key is not None:
            yield from _config_key((*at, key), config_key, ctx)


def _secret_set(
    spec: EnvironmentSpec, name: str, secrets: SecretSetSpec, ctx: RuleContext
) -> Iterator[Problem]:
    at: Loc = ("secrets", name)
    if not secrets.generated and not secrets.from_config:
        yield Problem(at, "declares no secrets; add generated or from_config entries")
    for env_name, config_key in secrets.from_config.items():
        if env_name in secrets.generated:
            yield Problem((*at, "from_config", env_name), "is also generated; a secret is "
                          "either generated or taken from config")  # fmt: skip
        yield from _config_key((*at, "from_config", env_name), config_key, ctx)
    if secrets.github:
        links = secrets.github.links
        yield from check_consumer(
            spec, (*at, "github", "links"), consumer=name, links=links, env={}, names=ctx.names
        )


def _config_key(at: Loc, key: str, ctx: RuleContext) -> Iterator[Problem]:
    if ctx.secret_present is not None and not ctx.secret_present(key):
        yield Problem(at, f"config key 'paas-stacks:{key}' is not set; run: pulumi config set "
                      f"--secret paas-stacks:{key} <value> --stack {ctx.stack}")  # fmt: skip


def _domain(spec: EnvironmentSpec, name: str, domain: Any, ctx: RuleContext) -> Iterator[Problem]:
    at: Loc = ("domains", name)
    web = [n for n, s in spec.services.items() if s.kind == "web"]
    targets = sorted([*web, *spec.static_sites])
    known = spec.components()
    # A target that is in the file but failed its own validation is reported there, not here.
    if domain.target not in targets and (domain.target in known or domain.target not in ctx.names):
        lead = (
            "is not a web service or static site"
            if domain.target in known
            else "is not a component"
        )
        yield Problem((*at, "target"), choices(domain.target, targets, lead))
    zone = domain.zone
    if zone is not None and not (domain.hostname == zone or domain.hostname.endswith("." + zone)):
        yield Problem((*at, "zone"), f"{domain.hostname!r} is not inside zone {zone!r}")
