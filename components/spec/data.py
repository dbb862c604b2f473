"""Stateful components: Postgres (Supabase or Render), Redis (Upstash or Render Key Value) and
S3-compatible object stores.

The rule that matters here: an entry is the flat form of its component's arguments (the
provider's fields beside ``provider:``), with the same names, types and defaults; these hold
data, so a ``production: true`` stack protects them and refuses plans that expire, pause or lose
data (``rules.py``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from paas_stacks.components._fields import (
    AdoptId,
    AllowEntry,
    Cidr,
    ConfigKey,
    Duration,
    EnvName,
    MigrationsDir,
    Slug,
    SupabaseAuth,
    SupabaseBranchOf,
)
from paas_stacks.components.postgres import Identifier, PoolMode
from paas_stacks.components.spec.common import Links, Spec
from paas_stacks.vendors import render, supabase, upstash

__all__ = [
    "ObjectStoreSpec",
    "PostgresSpec",
    "RedisSpec",
    "RenderKeyValueSpec",
    "RenderPostgresSpec",
    "SupabasePostgresSpec",
    "UpstashRedisSpec",
]


class SupabasePostgresSpec(Spec):
    """A Supabase project (or a branch of one): Postgres plus its API keys, pooler, Auth and
    Edge Function secrets and variables."""

    provider: Literal["supabase"]
    organization: Slug
    #: The organization's plan; ``production`` refuses ``free`` (its projects pause).
    plan: supabase.Plan
    instance_size: supabase.InstanceSize | None = None
    #: Default: the environment's place.
    region: supabase.Region | None = None
    migrations: MigrationsDir | None = None
    pooler: PoolMode | None = "transaction"
    #: Postgres ``max_connections``; unset: left as Supabase has it.
    max_connections: Annotated[int, Field(ge=10, le=10000)] | None = None
    #: Postgres ``statement_timeout``, e.g. ``30s``; unset: left as Supabase has it.
    statement_timeout: Duration | None = None
    pitr_days: supabase.PitrDays | None = None
    #: Supabase Auth settings; unset: left as Supabase has them.
    auth: SupabaseAuth | None = None
    network_restrictions: tuple[Cidr, ...] = ()
    #: Links whose values become Edge Function secrets.
    function_secrets: Links = ()
    #: Plain Edge Function variables (``NODE_ENV: production``), set beside the secrets.
    function_env: dict[EnvName, str] = Field(default_factory=dict)
    #: ``{parent_ref: <project ref>, ...}``: a branch of that project, not a project of its own.
    branch: SupabaseBranchOf | None = None
    #: Take over this existing object deliberately (its id at the vendor).
    adopt_id: AdoptId | None = None


class RenderPostgresSpec(Spec):
    """A Render Postgres database."""

    provider: Literal["render"]
    #: Render's Postgres instance type; ``production`` refuses ``free`` (it expires).
    plan: render.PostgresPlan
    #: Default: the environment's place.
    region: render.Region | None = None
    #: The PostgreSQL major version.
    version: Annotated[int, Field(ge=13, le=18)] = 16
    disk_gb: Annotated[int, Field(ge=1, le=16384)] | None = None
    high_availability: bool = False
    #: Render has no API to run them: refused, with the way to run them instead.
    migrations: MigrationsDir | None = None
    #: The database's and the login role's names; Render generates them when unset (and adds
    #: a random suffix to the database's).
    database_name: Identifier | None = None
    database_user: Identifier | None = None
    #: ``[203.0.113.0/24, {cidr: ..., description: ...}]``: who may connect from outside
    #: Render's private network; ``[]`` nobody; unset: Render's default.
    ip_allow_list: tuple[AllowEntry, ...] | None = None
    #: Take over this existing object deliberately (its id at the vendor).
    adopt_id: AdoptId | None = None


class UpstashRedisSpec(Spec):
    """An Upstash Redis database (TLS on)."""

    provider: Literal["upstash"]
    #: ``free``, pay as you go (``payg``) or a fixed size (``fixed_250mb``...).
    plan: upstash.Plan
    #: Default: the environment's place.
    region: upstash.Region | None = None
    eviction: bool = False
    budget_usd: Annotated[int, Field(ge=1)] | None = None
    #: Take over this existing object deliberately (its id at the vendor).
    adopt_id: AdoptId | None = None


class RenderKeyValueSpec(Spec):
    """A Render Key Value instance (Valkey/Redis compatible)."""

    provider: Literal["render"]
    #: Render's Key Value instance type; ``production`` refuses ``free`` (memory only).
    plan: render.KeyValuePlan
    #: Default: the environment's place.
    region: render.Region | None = None
    maxmemory_policy: render.MaxmemoryPolicy | None = None
    #: Who may connect from outside Render's private network; ``[]``: internal only.
    ip_allow_list: tuple[AllowEntry, ...] | None = None
    #: Take over this existing object deliberately (its id at the vendor).
    adopt_id: AdoptId | None = None


PostgresSpec = Annotated[SupabasePostgresSpec | RenderPostgresSpec, Field(discriminator="provider")]
RedisSpec = Annotated[UpstashRedisSpec | RenderKeyValueSpec, Field(discriminator="provider")]


class ObjectStoreSpec(Spec):
    """A bucket on AWS S3 (optionally behind CloudFront) or an S3-compatible vendor (B2, R2)."""

    #: ``s3`` (AWS) or ``s3_compatible`` (Backblaze B2, Cloudflare R2, ... by endpoint).
    provider: Literal["s3", "s3_compatible"]
    #: The bucket name (globally unique); defaults to ``<environment>-<component>``.
    bucket: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")] | None = None
    region: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")] | None = None
    #: The S3 API endpoint of an S3-compatible vendor, e.g. https://s3.us-west-004.backblazeb2.com
    endpoint: Annotated[str, Field(pattern=r"^https://\S+$")] | None = None
    #: Objects are private unless this is set (then readable by anyone).
    public: bool = False
    cors_origins: tuple[str, ...] = ()
    #: Serve the bucket through CloudFront (``provider: s3`` only).
    cdn: bool = False
    versioning: bool = False
    #: Config keys holding the vendor's access key pair (``s3_compatible`` only).
    access_key_from_config: ConfigKey | None = None
    #: The config key holding the secret key of that pair (``s3_compatible`` only).
    secret_key_from_config: ConfigKey | None = None
