"""``Postgres``: a Supabase project (with its settings and migrations) or a Render database.

The rule that matters here: services must not deploy against an old schema, so ``ready`` is the
resource a consumer depends on: the Supabase ``Migrations`` (or the project when there are none),
or the Render database itself, whose migrations run in the consuming service's pre-deploy command
(Render's own way; this component runs none for Render).

Point-in-time recovery: neither provider has a resource for Supabase's PITR add-on, so
``pitr_days`` is recorded as an output (and priced by ``cost``) but NOT enabled here:
turn it on in the Supabase dashboard (Database -> Backups) for the days given.

Render's ``DATABASE_URL`` is the internal connection string (private network: no public hop,
what the seeds copy) when every consumer is a Render service in the database's region
(``private_network_reaches``); otherwise the external one, since the internal host does not
resolve outside that network. ``ip_allow_list`` and ``high_availability`` are refused for Render
(the provider manages neither), never silently dropped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, cast

import pulumi

from paas_stacks.components._component import Component
from paas_stacks.components.linking import Link, linked_env
from paas_stacks.components.spec import EnvironmentSpec, RenderPostgres, SupabasePostgres
from paas_stacks.providers import render, supabase

__all__ = ["Postgres", "PostgresArgs", "from_spec", "private_network_reaches"]

PROVIDERS = ("supabase", "render")
POOL_MODES = ("transaction", "session")


@dataclass
class PostgresArgs:
    #: ``supabase`` or ``render``.
    provider: Literal["supabase", "render"]
    #: The vendor-side name (``<environment>-<component>``).
    vendor_name: pulumi.Input[str]
    #: The vendor's region code (Supabase: an AWS region; Render: ``oregon``...); vendor default.
    region: pulumi.Input[str] | None = None
    #: Protect the database (and Supabase's migrations) from deletion: production stacks.
    protect: bool = False
    #: A folder of ``*.sql`` files applied in name order (Supabase only).
    migrations: str | None = None
    #: Supabase: the organization slug (required for Supabase).
    organization: pulumi.Input[str] | None = None
    #: Supabase: compute size (``nano``, ``micro``, ``small``...); the platform default if unset.
    instance_size: pulumi.Input[str] | None = None
    #: Supabase: Supavisor pool mode; ``None`` offers no ``DATABASE_POOLER_URL``.
    pooler: Literal["transaction", "session"] | None = "transaction"
    #: Supabase: Postgres ``max_connections``.
    max_connections: pulumi.Input[int] | None = None
    #: Supabase: Postgres ``statement_timeout``, e.g. ``30s``.
    statement_timeout: pulumi.Input[str] | None = None
    #: Supabase: PITR retention days; recorded and priced only (no resource enables it).
    pitr_days: int | None = None
    #: Supabase Auth: email/password sign-in on or off (no AuthConfig unless an auth_* is set).
    auth_email_password: pulumi.Input[bool] | None = None
    #: Supabase Auth: JWT expiry in seconds.
    auth_jwt_expiry_seconds: pulumi.Input[int] | None = None
    #: Supabase Auth: minimum password length.
    auth_password_min_length: pulumi.Input[int] | None = None
    #: Supabase Auth: the site URL used in emails.
    auth_site_url: pulumi.Input[str] | None = None
    #: Supabase Auth: further allowed redirect URLs.
    auth_redirect_urls: Sequence[pulumi.Input[str]] | None = None
    #: Supabase: CIDRs (IPv4 and IPv6) allowed to reach the database; empty: everywhere.
    network_restrictions: Sequence[str] = ()
    #: Supabase: Edge Function secrets, name -> value (secret).
    function_secrets: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    #: Render: plan (``basic_256mb``...); the provider's default if unset.
    plan: pulumi.Input[str] | None = None
    #: Render: Postgres major version.
    version: int | None = None
    #: Render: disk size in GB; the plan's default if unset.
    disk_gb: pulumi.Input[int] | None = None
    #: Render: ``DATABASE_URL`` is the internal (private network, same region) string; else the
    #: external one, for consumers outside Render's private network.
    private_network: bool = True


class Postgres(Component):
    """A Postgres database whose ``env()`` gives ``DATABASE_URL`` (and Supabase's keys)."""

    type_name = "Postgres"

    #: The database's connection string for consumers (secret).
    database_url: pulumi.Output[str]
    #: Supabase: the pooler's connection string (secret); None for Render.
    pooler_url: pulumi.Output[str] | None
    #: Supabase: ``https://<ref>.supabase.co``; None for Render.
    api_url: pulumi.Output[str] | None
    #: Supabase: the anon and service-role keys (secret); None for Render.
    anon_key: pulumi.Output[str] | None
    service_role_key: pulumi.Output[str] | None
    #: Supabase: PITR retention requested (not enabled by this component; see module docs).
    pitr_days: pulumi.Output[int | None]
    #: What consumers depend on so they deploy after the migrations.
    ready: pulumi.Resource

    def __init__(
        self, name: str, args: PostgresArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        _validate(args)
        super().__init__(name, opts)
        self.pooler_url = self.api_url = self.anon_key = self.service_role_key = None
        self.pitr_days = pulumi.Output.from_input(args.pitr_days)
        if args.pitr_days:
            # Priced in the cost report, so the user must hear that it still needs a click.
            pulumi.log.warn(
                f"{name}: point-in-time recovery ({args.pitr_days} days) is not enabled by "
                "paas-stacks (no Management API resource for it); enable it in the Supabase "
                "dashboard under Database > Backups",
                self,
            )
        if args.provider == "supabase":
            self._supabase(args)
        else:
            self._render(args)
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

    def env(self) -> Mapping[str, pulumi.Output[str]]:
        """``DATABASE_URL``; Supabase adds the pooler URL (when pooled) and the API URL/keys."""
        found: dict[str, pulumi.Output[str]] = {"DATABASE_URL": self.database_url}
        if self.pooler_url is not None:
            found["DATABASE_POOLER_URL"] = self.pooler_url
        keys = (self.api_url, self.anon_key, self.service_role_key)
        names = ("SUPABASE_URL", "SUPABASE_ANON_KEY", "SUPABASE_SERVICE_ROLE_KEY")
        found.update({k: v for k, v in zip(names, keys, strict=True) if v is not None})
        return found

    def _supabase(self, args: PostgresArgs) -> None:
        kept = self.child_opts(protect=args.protect)
        project = supabase.Project(
            self.child_name("project"),
            organization_id=cast("pulumi.Input[str]", args.organization),  # see _validate
            name=args.vendor_name,
            region=args.region,
            instance_size=args.instance_size,
            opts=kept,
        )
        self.project = project
        ref = project.ref
        self.ready = project
        if args.migrations is not None:
            self.ready = supabase.Migrations(
                self.child_name("migrations"), project_ref=ref, folder=args.migrations, opts=kept
            )
        self._supabase_settings(args, ref)
        self.database_url = pulumi.Output.secret(project.database_url)
        if args.pooler is not None:
            self.pooler_url = pulumi.Output.secret(project.pooler_url)
        self.api_url = project.api_url
        self.anon_key = pulumi.Output.secret(project.anon_key)
        self.service_role_key = pulumi.Output.secret(project.service_role_key)

    def _supabase_settings(self, args: PostgresArgs, ref: pulumi.Output[str]) -> None:
        opts = self.child_opts()
        tuned = (args.pooler, args.max_connections, args.statement_timeout)
        if any(value is not None for value in tuned):
            supabase.DatabaseConfig(
                self.child_name("database-config"), project_ref=ref, pool_mode=args.pooler,
                max_connections=args.max_connections, statement_timeout=args.statement_timeout,
                opts=opts,
            )  # fmt: skip
        auth = (
            args.auth_email_password, args.auth_jwt_expiry_seconds, args.auth_password_min_length,
            args.auth_site_url, args.auth_redirect_urls,
        )  # fmt: skip
        if any(value is not None for value in auth):
            supabase.AuthConfig(
                self.child_name("auth"), project_ref=ref, email_enabled=args.auth_email_password,
                jwt_expiry=args.auth_jwt_expiry_seconds,
                password_min_length=args.auth_password_min_length, site_url=args.auth_site_url,
                additional_redirect_urls=args.auth_redirect_urls, opts=opts,
            )  # fmt: skip
        if args.network_restrictions:
            # Both families are sent: naming only IPv4 CIDRs must not leave IPv6 open to all.
            v6 = [cidr for cidr in args.network_restrictions if ":" in cidr]
            v4 = [cidr for cidr in args.network_restrictions if ":" not in cidr]
            supabase.NetworkRestrictions(
                self.child_name("network"), project_ref=ref, allowed_cidrs=v4,
                allowed_cidrs_v6=v6, opts=opts,
            )  # fmt: skip
        if args.function_secrets:
            supabase.FunctionSecrets(
                self.child_name("function-secrets"), project_ref=ref,
                values=dict(args.function_secrets), opts=opts,
            )  # fmt: skip

    def _render(self, args: PostgresArgs) -> None:
        database = render.Postgres(
            self.child_name("db"),
            name=args.vendor_name,
            plan=args.plan,
            region=args.region,
            version=None if args.version is None else str(args.version),
            disk_size_gb=args.disk_gb,
            opts=self.child_opts(protect=args.protect),
        )
        self.database = database
        self.ready = database
        chosen = (
            database.internal_connection_string
            if args.private_network
            else database.external_connection_string
        )
        self.database_url = pulumi.Output.secret(chosen)


def _validate(args: PostgresArgs) -> None:
    if args.provider not in PROVIDERS:
        raise ValueError(f"provider {args.provider!r} is not one of {', '.join(PROVIDERS)}")
    if args.pooler is not None and args.pooler not in POOL_MODES:
        raise ValueError(f"pooler {args.pooler!r} is not one of {', '.join(POOL_MODES)} or None")
    if args.provider == "supabase" and args.organization is None:
        raise ValueError("organization is required for provider 'supabase' (its slug)")
    reserved = sorted(name for name in args.function_secrets if name.startswith("SUPABASE_"))
    if reserved:
        raise ValueError(
            f"function_secrets {reserved}: names starting with SUPABASE_ are reserved by "
            "Supabase; rename them with a link's rename:"
        )
    if args.provider == "render":
        supabase_only = ("migrations", "organization", "instance_size", "pitr_days")
        given = [key for key in supabase_only if getattr(args, key) is not None]
        if given or args.function_secrets or args.network_restrictions:
            raise ValueError(f"{given or 'function_secrets/network_restrictions'} apply to "
                             "provider 'supabase' only; Render migrations run in the service's "
                             "pre_deploy_command")  # fmt: skip


def _render_supported(spec: RenderPostgres) -> None:
    """Settings the Render provider cannot apply fail loudly rather than being dropped."""
    if spec.ip_allow_list:
        raise ValueError("ip_allow_list is not supported for provider 'render' yet: "
                         "render.Postgres manages no IP allow list")  # fmt: skip
    if spec.high_availability:
        raise ValueError("high_availability is not supported for provider 'render' yet: "
                         "paas_stacks.providers.render.Postgres manages no standby")  # fmt: skip


def private_network_reaches(environment: EnvironmentSpec, name: str, region: str) -> bool:
    """True when every consumer of component ``name`` is a Render service in ``region``, so
    Render's internal connection string reaches it; anything else (Fly, another region, a
    GitHub mirror, Supabase function secrets) needs the external one. No consumer: internal."""
    for consumer in environment.components().values():
        links = getattr(consumer, "links", ())
        if not any(link.to == name for link in links):
            continue
        if getattr(consumer, "platform", None) != "render":
            return False
        if environment.region_for("render", consumer.region) != region:
            return False
    for consumer in environment.components().values():
        github = getattr(consumer, "github", None)
        outside = [*getattr(consumer, "function_secrets", ()), *(github.links if github else ())]
        if any(link.to == name for link in outside):
            return False
    return True


def from_spec(
    name: str,
    spec: SupabasePostgres | RenderPostgres,
    environment: EnvironmentSpec,
    *,
    links: Sequence[Link] = (),
    opts: pulumi.ResourceOptions | None = None,
) -> Postgres:
    """``links`` are the resolved ``function_secrets`` (Supabase); Render takes none."""
    if isinstance(spec, RenderPostgres):
        _render_supported(spec)
        region = environment.region_for("render", spec.region)
        args = PostgresArgs(
            provider="render", vendor_name=environment.resource_name(name), region=region,
            protect=environment.production, plan=spec.plan, version=spec.version,
            disk_gb=spec.disk_gb,
            private_network=private_network_reaches(environment, name, region),
        )  # fmt: skip
        return Postgres(name, args, opts)
    auth = spec.auth
    args = PostgresArgs(
        provider="supabase", vendor_name=environment.resource_name(name),
        region=environment.region_for("supabase", spec.region), protect=environment.production,
        migrations=spec.migrations, organization=spec.organization,
        instance_size=spec.instance_size, pooler=spec.pooler,
        max_connections=spec.max_connections, statement_timeout=spec.statement_timeout,
        pitr_days=spec.pitr_days,
        auth_email_password=auth.email_password if auth else None,
        auth_jwt_expiry_seconds=auth.jwt_expiry_seconds if auth else None,
        auth_password_min_length=auth.password_min_length if auth else None,
        auth_site_url=auth.site_url if auth else None,
        auth_redirect_urls=list(auth.redirect_urls) if auth and auth.redirect_urls else None,
        network_restrictions=spec.network_restrictions,
        function_secrets=linked_env(links) if links else {},
    )  # fmt: skip
    return Postgres(name, args, opts)
