"""Stateful components: Postgres (Supabase or Render), Redis (Upstash or Render Key Value) and
S3-compatible object stores.

The rule that matters here: these hold data, so a ``production: true`` stack protects them from
deletion and refuses their plans that expire, pause or lose data (``rules.py``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from paas_stacks.components.spec.common import (
    ConfigKey,
    Links,
    RenderRegion,
    Spec,
    SupabaseRegion,
    UpstashRegion,
)

MigrationsDir = Annotated[str, Field(pattern=r"^[\w./-]+$")]
#: Supabase bills plans per organization (supabase.com/pricing).
SupabasePlan = Literal["free", "pro", "team", "enterprise"]
#: The desired_instance_size enum of the Supabase Management API (compute add-ons).
SupabaseSize = Literal[
    "nano", "micro", "small", "medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge",
    "12xlarge", "16xlarge",
]  # fmt: skip
#: Render Postgres: the flexible plans new databases use, plus the legacy names older ones keep.
RenderPostgresPlan = Literal[
    "free", "basic_256mb", "basic_1gb", "basic_4gb", "pro_4gb", "pro_8gb", "pro_16gb", "pro_32gb",
    "pro_64gb", "pro_128gb", "pro_192gb", "pro_256gb", "pro_384gb", "pro_512gb",
    "accelerated_16gb", "accelerated_32gb", "accelerated_64gb", "accelerated_128gb",
    "accelerated_256gb", "accelerated_384gb", "accelerated_512gb", "accelerated_768gb",
    "accelerated_1024gb", "starter", "standard", "pro", "pro_plus",
]  # fmt: skip
RenderKeyValuePlan = Literal["free", "starter", "standard", "pro", "pro_plus"]
UpstashPlan = Literal[
    "free", "payg", "fixed_250mb", "fixed_1gb", "fixed_5gb", "fixed_10gb", "fixed_50gb",
    "fixed_100gb", "fixed_500gb",
]  # fmt: skip
MaxmemoryPolicy = Literal[
    "noeviction", "allkeys_lfu", "allkeys_lru", "allkeys_random", "volatile_lfu",
    "volatile_lru", "volatile_random", "volatile_ttl",
]  # fmt: skip
Cidr = Annotated[str, Field(pattern=r"^[0-9a-fA-F:.]+/\d{1,3}$")]


class SupabaseAuth(Spec):
    """Supabase Auth settings the seeds set by hand (WeCelebrate step 1.3)."""

    email_password: bool = True
    jwt_expiry_seconds: int = Field(default=3600, ge=30, le=604800)
    password_min_length: int = Field(default=6, ge=6, le=72)
    site_url: str | None = None
    redirect_urls: tuple[str, ...] = ()


class SupabasePostgres(Spec):
    """A Supabase project: Postgres plus its API keys, pooler, Auth and Edge Function secrets."""

    provider: Literal["supabase"]
    #: The organization slug the project belongs to (plans are billed per organization).
    organization: Annotated[str, Field(pattern=r"^[\w-]+$")]
    plan: SupabasePlan
    instance_size: SupabaseSize | None = None
    region: SupabaseRegion | None = None
    #: A folder of ``*.sql`` files applied in name order before services deploy.
    migrations: MigrationsDir | None = None
    #: Supavisor pool mode for ``DATABASE_POOLER_URL``; ``null`` injects no pooler URL.
    pooler: Literal["transaction", "session"] | None = "transaction"
    max_connections: int | None = Field(default=None, ge=10, le=10000)
    statement_timeout: Annotated[str, Field(pattern=r"^\d+(ms|s|min|h)$")] | None = None
    #: Point-in-time recovery retention (a paid add-on: Pro plan and at least ``small``).
    pitr_days: Literal[7, 14, 28] | None = None
    auth: SupabaseAuth | None = None
    #: CIDRs allowed to reach the database; empty means everywhere.
    network_restrictions: tuple[Cidr, ...] = ()
    #: Links whose values become Edge Function secrets.
    function_secrets: Links = ()


class RenderPostgres(Spec):
    """A Render Postgres database."""

    provider: Literal["render"]
    plan: RenderPostgresPlan
    region: RenderRegion | None = None
    version: int = Field(default=16, ge=13, le=18)
    disk_gb: int | None = Field(default=None, ge=1, le=16384)
    high_availability: bool = False
    migrations: MigrationsDir | None = None
    ip_allow_list: tuple[Cidr, ...] = ()


class UpstashRedis(Spec):
    """An Upstash Redis database (TLS on)."""

    provider: Literal["upstash"]
    plan: UpstashPlan
    region: UpstashRegion | None = None
    #: Evict keys when full; leave off for queues (BullMQ loses jobs to eviction).
    eviction: bool = False
    #: Monthly spending cap in USD for pay-as-you-go.
    budget_usd: int | None = Field(default=None, ge=1)


class RenderRedis(Spec):
    """A Render Key Value instance (Valkey/Redis compatible)."""

    provider: Literal["render"]
    plan: RenderKeyValuePlan
    region: RenderRegion | None = None
    maxmemory_policy: MaxmemoryPolicy | None = None
    ip_allow_list: tuple[Cidr, ...] = ()


PostgresSpec = Annotated[SupabasePostgres | RenderPostgres, Field(discriminator="provider")]
RedisSpec = Annotated[UpstashRedis | RenderRedis, Field(discriminator="provider")]


class ObjectStoreSpec(Spec):
    """A bucket on AWS S3 (optionally behind CloudFront) or an S3-compatible vendor (B2, R2)."""

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
    secret_key_from_config: ConfigKey | None = None
