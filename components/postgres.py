"""``Postgres``: a Supabase project or a branch of one (with its settings and migrations), or a
Render database.

A Supabase branch (``Supabase(branch=SupabaseBranchOf(parent_ref=...))``) has its own ref, so
migrations, settings and function secrets apply to it exactly as to a project, and its links
give its own ``DATABASE_URL``, pooler URL, API URL and keys.

The rule that matters here: services must not deploy against an old schema, so ``ready`` is the
resource a consumer depends on: the Supabase ``Migrations`` (or the project when there are none),
or the Render database itself, whose migrations run in the consuming service's pre-deploy command
(Render's own way; this component runs none for Render).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, ClassVar, Literal

import pulumi
from pydantic import Field

from paas_stacks.components._args import field_problems, raise_problems
from paas_stacks.components._component import Component
from paas_stacks.components._fields import (
    AdoptId,
    AllowEntry,
    Cidr,
    Duration,
    EnvName,
    MigrationsDir,
    Slug,
    SupabaseAuth,
    SupabaseBranchOf,
    allow_list,
)
from paas_stacks.components._properties import CONNECTION, connection_properties
from paas_stacks.components.linking import Link, Linkable, resolve_links
from paas_stacks.errors import Problem
from paas_stacks.providers import render, supabase
from paas_stacks.vendors import render as render_words
from paas_stacks.vendors import supabase as supabase_words

__all__ = ["Postgres", "PostgresArgs", "RenderPostgres", "Supabase", "SupabaseBranchOf"]

PoolMode = Literal["transaction", "session"]
SUPABASE_KEYS = ("SUPABASE_URL", "SUPABASE_ANON_KEY", "SUPABASE_SERVICE_ROLE_KEY")
#: libpq's own variables (psql, psycopg, node-postgres read them): a Render Postgres link gives
#: them beside ``DATABASE_URL``, as a Blueprint's ``fromDatabase`` gives every part.
PG_ENV = {
    "PGHOST": "host",
    "PGPORT": "port",
    "PGUSER": "user",
    "PGPASSWORD": "password",
    "PGDATABASE": "database",
}
#: Postgres's port when a connection string names none.
DEFAULT_PORT = 5432
#: A Postgres identifier as Render takes it for a database or user name.
Identifier = Annotated[str, Field(pattern=r"^[a-z_][a-z0-9_]{0,62}$")]


@dataclass(frozen=True, kw_only=True)
class Supabase:
    """A Supabase project: Postgres plus its API keys, pooler, Auth and Edge Function secrets.

    Point-in-time recovery has no Management API resource: ``pitr_days`` is priced and
    reported, and enabling it stays a dashboard step (Database > Backups), which ``up`` says.
    """

    #: The organization's slug (plans are billed per organization).
    organization: Slug
    plan: supabase_words.Plan
    #: Compute size; the platform's default (``nano`` free, ``micro`` paid) when unset.
    instance_size: supabase_words.InstanceSize | None = None
    region: supabase_words.Region = supabase_words.DEFAULT_REGION
    #: A folder of ``*.sql`` files applied in name order before services deploy.
    migrations: MigrationsDir | None = None
    #: Supavisor pool mode for ``DATABASE_POOLER_URL``; ``None`` injects no pooler URL.
    pooler: PoolMode | None = "transaction"
    max_connections: Annotated[int, Field(ge=10, le=10000)] | None = None
    statement_timeout: Duration | None = None
    #: Point-in-time recovery retention (Pro plan and at least ``small`` compute).
    pitr_days: supabase_words.PitrDays | None = None
    auth: SupabaseAuth | None = None
    #: CIDRs (IPv4 and IPv6) allowed to reach the database; empty means everywhere.
    network_restrictions: tuple[Cidr, ...] = ()
    #: Links whose values become Edge Function secrets.
    function_secrets: Sequence[Link | Linkable] = ()
    #: Plain Edge Function variables (``NODE_ENV: production``); Supabase keeps them with the
    #: secrets (its one store of function environment), so they are set the same way.
    function_env: Mapping[EnvName, str] = field(default_factory=dict)
    #: Be a branch of this project instead of a project of its own (paid plans).
    branch: SupabaseBranchOf | None = None

    def problems(self) -> list[Problem]:
        found: list[Problem] = []
        if self.branch is not None and self.plan not in supabase_words.BRANCHING_PLANS:
            found.append(
                Problem(
                    ("branch",),
                    f"Supabase branching needs a paid plan (pro, team or enterprise); "
                    f"got {self.plan!r}",
                )
            )
        found += [
            Problem(
                ("function_env", name),
                "names starting with SUPABASE_ are reserved by Supabase",
            )
            for name in sorted(self.function_env)
            if name.startswith("SUPABASE_")
        ]
        if self.plan == "free" and self.instance_size not in (None, supabase_words.FREE_SIZE):
            found.append(
                Problem(
                    ("instance_size",),
                    f"{self.instance_size!r} needs a paid plan; the free plan runs 'nano' only",
                )
            )
        if self.pitr_days is not None and self.plan == "free":
            found.append(
                Problem(
                    ("pitr_days",), "point-in-time recovery needs plan pro or higher; got 'free'"
                )
            )
        size = self.instance_size or supabase_words.DEFAULT_PAID_SIZE
        sizes = supabase_words.SIZES
        if self.pitr_days is not None and sizes.index(size) < sizes.index(
            supabase_words.PITR_MIN_SIZE
        ):
            found.append(
                Problem(
                    ("pitr_days",),
                    f"point-in-time recovery needs instance_size 'small' or larger; got {size!r}",
                )
            )
        return found


@dataclass(frozen=True, kw_only=True)
class RenderPostgres:
    """A Render Postgres database."""

    plan: render_words.PostgresPlan
    region: render_words.Region = render_words.DEFAULT_REGION
    version: Annotated[int, Field(ge=13, le=18)] = 16
    #: Disk size; the plan's default when unset.
    disk_gb: Annotated[int, Field(ge=1, le=16384)] | None = None
    #: Not managed yet (set it in the dashboard); refused when true.
    high_availability: bool = False
    #: The database's name; Render generates one when unset (and adds a random suffix to it,
    #: so read the name back from the ``database`` property, never assume it).
    database_name: Identifier | None = None
    #: The login role; Render generates ``<database>_user`` when unset.
    database_user: Identifier | None = None
    #: Who may connect from outside Render's private network: ``[]`` nobody, unset: Render's
    #: default (everyone, with the password).
    ip_allow_list: tuple[AllowEntry, ...] | None = None
    #: ``DATABASE_URL`` is the internal string (private network, same region), else the
    #: external one, for consumers outside Render's private network.
    private_network: bool = True

    def problems(self) -> list[Problem]:
        found = []
        if self.high_availability:
            found.append(
                Problem(
                    ("high_availability",),
                    "is not supported by the Render Postgres provider yet; set it in the "
                    "dashboard or leave it false",
                )
            )
        return found


@dataclass(frozen=True, kw_only=True)
class PostgresArgs:
    #: The vendor-side name (a stack names it ``<environment>-<component>``).
    name: pulumi.Input[str]
    #: ``Supabase(...)`` or ``RenderPostgres(...)``.
    provider: Supabase | RenderPostgres
    #: Protect the database (and Supabase's migrations) from deletion: production stacks.
    protect: bool = False
    #: Take over this existing Supabase project ref or Render database id (``dpg-…``).
    adopt_id: AdoptId | None = None


class Postgres(Component):
    """A Postgres database whose ``env()`` gives ``DATABASE_URL`` (and Supabase's keys)."""

    type_name: ClassVar[str] = "Postgres"

    #: The database's connection string for consumers (secret).
    database_url: pulumi.Output[str]
    #: Supabase: the pooler's connection string (secret); None for Render.
    pooler_url: pulumi.Output[str] | None
    #: Supabase: ``https://<ref>.supabase.co``; None for Render.
    api_url: pulumi.Output[str] | None
    #: Supabase: the anon and service-role keys (secret); None for Render.
    anon_key: pulumi.Output[str] | None
    service_role_key: pulumi.Output[str] | None
    #: Supabase: PITR retention requested (not enabled by this component).
    pitr_days: pulumi.Output[int | None]
    #: What consumers depend on so they deploy after the migrations.
    ready: pulumi.Resource

    @staticmethod
    def problems(args: PostgresArgs) -> list[Problem]:
        """Everything wrong with ``args`` (links aside), locs relative to the args."""
        found = field_problems(args)
        if found:
            return found
        return [problem.within("provider") for problem in args.provider.problems()]

    @staticmethod
    def provides(args: PostgresArgs) -> tuple[str, ...]:
        """``DATABASE_URL``; Render adds libpq's ``PG*``; Supabase the pooler URL (when pooled)
        and the API URL/keys."""
        provider = args.provider
        if isinstance(provider, RenderPostgres):
            return ("DATABASE_URL", *PG_ENV)
        pooler = ("DATABASE_POOLER_URL",) if provider.pooler else ()
        return ("DATABASE_URL", *pooler, *SUPABASE_KEYS)

    def __init__(
        self, name: str, args: PostgresArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        label = f"Postgres {name!r}"
        problems = self.problems(args)
        secrets: dict[str, pulumi.Output[str]] = {}
        if isinstance(args.provider, Supabase):
            secrets, link_problems = _function_secrets(args.provider)
            problems += link_problems
        raise_problems(label, problems)
        super().__init__(name, opts)
        self.pooler_url = self.api_url = self.anon_key = self.service_role_key = None
        provider = args.provider
        self.pg_env = isinstance(provider, RenderPostgres)
        self.pitr_days = pulumi.Output.from_input(
            provider.pitr_days if isinstance(provider, Supabase) else None
        )
        if isinstance(provider, Supabase):
            self._supabase(args, provider, secrets)
        else:
            self._render(args, provider)
        self.register_outputs(
            {
                "database_url": self.database_url,
                "pooler_url": self.pooler_url,
                "api_url": self.api_url,
                "anon_key": self.anon_key,
                "service_role_key": self.service_role_key,
                "pitr_days": self.pitr_days,
            }
        )

    @staticmethod
    def property_names(args: PostgresArgs) -> tuple[str, ...]:
        """The connection's parts; Supabase adds its pooler and API values."""
        provider = args.provider
        if isinstance(provider, RenderPostgres):
            return CONNECTION
        pooler = ("pooler_connection_string",) if provider.pooler else ()
        return (*CONNECTION, *pooler, "api_url", "anon_key", "service_role_key")

    def properties(self) -> Mapping[str, pulumi.Output[str]]:
        """The parts of ``DATABASE_URL`` (host, port, hostport, user, password, database, the
        string itself); Supabase adds ``pooler_connection_string``, ``api_url`` and the keys."""
        found = connection_properties(self.database_url, DEFAULT_PORT)
        extra = {
            "pooler_connection_string": self.pooler_url,
            "api_url": self.api_url,
            "anon_key": self.anon_key,
            "service_role_key": self.service_role_key,
        }
        found.update({k: v for k, v in extra.items() if v is not None})
        return found

    def env(self) -> Mapping[str, pulumi.Output[str]]:
        """``DATABASE_URL``; Render adds ``PG*``; Supabase the pooler URL (when pooled) and the
        API URL/keys."""
        found: dict[str, pulumi.Output[str]] = {"DATABASE_URL": self.database_url}
        if self.pg_env:
            parts = self.properties()
            found.update({name: parts[prop] for name, prop in PG_ENV.items()})
        if self.pooler_url is not None:
            found["DATABASE_POOLER_URL"] = self.pooler_url
        keys = (self.api_url, self.anon_key, self.service_role_key)
        found.update({k: v for k, v in zip(SUPABASE_KEYS, keys, strict=True) if v is not None})
        return found

    def _supabase(
        self, args: PostgresArgs, db: Supabase, secrets: Mapping[str, pulumi.Output[str]]
    ) -> None:
        if db.pitr_days:
            # Priced in the cost report, so the user must hear that it still needs a click.
            pulumi.log.warn(
                f"{self.pulumi_resource_name}: point-in-time recovery ({db.pitr_days} days) is "
                "not enabled by paas-stacks (no Management API resource for it); enable it in "
                "the Supabase dashboard under Database > Backups",
                self,
            )
        kept = self.child_opts(protect=args.protect)
        database = self._supabase_database(args, db, kept)
        ref = database.ref
        self.ready = database
        if db.migrations is not None:
            self.ready = supabase.Migrations(
                self.child_name("migrations"), project_ref=ref, folder=db.migrations, opts=kept
            )
        self._supabase_settings(db, ref, secrets)
        self.database_url = pulumi.Output.secret(database.database_url)
        if db.pooler is not None:
            self.pooler_url = pulumi.Output.secret(database.pooler_url)
        self.api_url = database.api_url
        self.anon_key = pulumi.Output.secret(database.anon_key)
        self.service_role_key = pulumi.Output.secret(database.service_role_key)

    def _supabase_database(
        self, args: PostgresArgs, db: Supabase, kept: pulumi.ResourceOptions
    ) -> supabase.Project | supabase.Branch:
        """The project, or the branch of the parent project, that holds this database."""
        if db.branch is not None:
            self.branch = supabase.Branch(
                self.child_name("branch"),
                parent_ref=db.branch.parent_ref,
                name=db.branch.name or args.name,
                git_branch=db.branch.git_branch,
                persistent=db.branch.persistent,
                with_data=db.branch.with_data,
                instance_size=db.instance_size,
                adopt_id=args.adopt_id,
                opts=kept,
            )
            return self.branch
        self.project = supabase.Project(
            self.child_name("project"),
            organization_id=db.organization,
            name=args.name,
            region=db.region,
            instance_size=db.instance_size,
            adopt_id=args.adopt_id,
            opts=kept,
        )
        return self.project

    def _supabase_settings(
        self, db: Supabase, ref: pulumi.Output[str], secrets: Mapping[str, pulumi.Output[str]]
    ) -> None:
        opts = self.child_opts()
        if any(
            value is not None for value in (db.pooler, db.max_connections, db.statement_timeout)
        ):
            supabase.DatabaseConfig(
                self.child_name("database-config"),
                project_ref=ref,
                pool_mode=db.pooler,
                max_connections=db.max_connections,
                statement_timeout=db.statement_timeout,
                opts=opts,
            )
        if db.auth is not None:
            supabase.AuthConfig(
                self.child_name("auth"),
                project_ref=ref,
                email_enabled=db.auth.email_password,
                jwt_expiry=db.auth.jwt_expiry_seconds,
                password_min_length=db.auth.password_min_length,
                site_url=db.auth.site_url,
                additional_redirect_urls=list(db.auth.redirect_urls) or None,
                opts=opts,
            )
        if db.network_restrictions:
            # Both families are sent: naming only IPv4 CIDRs must not leave IPv6 open to all.
            v6 = [cidr for cidr in db.network_restrictions if ":" in cidr]
            v4 = [cidr for cidr in db.network_restrictions if ":" not in cidr]
            supabase.NetworkRestrictions(
                self.child_name("network"),
                project_ref=ref,
                allowed_cidrs=v4,
                allowed_cidrs_v6=v6,
                opts=opts,
            )
        if secrets:
            supabase.FunctionSecrets(
                self.child_name("function-secrets"),
                project_ref=ref,
                values=dict(secrets),
                opts=opts,
            )

    def _render(self, args: PostgresArgs, db: RenderPostgres) -> None:
        database = render.Postgres(
            self.child_name("db"),
            name=args.name,
            plan=db.plan,
            region=db.region,
            version=str(db.version),
            disk_size_gb=db.disk_gb,
            database_name=db.database_name,
            database_user=db.database_user,
            ip_allow_list=allow_list(db.ip_allow_list),
            adopt_id=args.adopt_id,
            opts=self.child_opts(protect=args.protect),
        )
        self.database = database
        self.ready = database
        chosen = (
            database.internal_connection_string
            if db.private_network
            else database.external_connection_string
        )
        self.database_url = pulumi.Output.secret(chosen)


def _function_secrets(db: Supabase) -> tuple[dict[str, pulumi.Output[str]], list[Problem]]:
    """The Edge Function secrets the links give, and the plain variables beside them (one
    store at Supabase, so a name may be either, never both); Supabase reserves SUPABASE_."""
    linked, problems = resolve_links(db.function_secrets)
    found = [problem.within("provider", "function_secrets") for problem in problems]
    found += [
        Problem(
            ("provider", "function_secrets"),
            f"{name}: names starting with SUPABASE_ are reserved by Supabase; rename it with "
            "the link's rename:",
        )
        for name in sorted(linked)
        if name.startswith("SUPABASE_")
    ]
    found += [
        Problem(
            ("provider", "function_env", name),
            "is also given by a function_secrets link; keep one of them",
        )
        for name in sorted(set(db.function_env) & set(linked))
    ]
    plain = {name: pulumi.Output.from_input(value) for name, value in db.function_env.items()}
    return {**plain, **linked}, found
