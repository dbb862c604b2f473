"""Request bodies, mirroring the spec's schemas field for field.

Where the spec says ``additionalProperties: false`` (V1CreateProjectBody,
UpdatePostgresConfigBody) unknown fields are refused; elsewhere they are accepted and ignored.
The 234-field UpdateAuthConfigBody is validated against the spec itself (see ``config.py``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AnyUrl, BaseModel, ConfigDict, Field, StringConstraints

REGIONS = Literal[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ap-east-1",
    "ap-southeast-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-southeast-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-north-1",
    "eu-central-1",
    "eu-central-2",
    "ca-central-1",
    "ap-south-1",
    "sa-east-1",
]
INSTANCE_SIZES = Literal[
    "nano",
    "micro",
    "small",
    "medium",
    "large",
    "xlarge",
    "2xlarge",
    "4xlarge",
    "8xlarge",
    "12xlarge",
    "16xlarge",
    "24xlarge",
    "24xlarge_optimized_memory",
    "24xlarge_optimized_cpu",
    "24xlarge_high_memory",
    "48xlarge",
    "48xlarge_optimized_memory",
    "48xlarge_optimized_cpu",
    "48xlarge_high_memory",
]
#: ApplyProjectAddonBody.addon_variant (also the DELETE path's enum): ``ci_<size>`` for every
#: size but nano, which has no compute add-on variant.
ADDON_VARIANTS = Literal[
    "ci_micro",
    "ci_small",
    "ci_medium",
    "ci_large",
    "ci_xlarge",
    "ci_2xlarge",
    "ci_4xlarge",
    "ci_8xlarge",
    "ci_12xlarge",
    "ci_16xlarge",
    "ci_24xlarge",
    "ci_24xlarge_optimized_cpu",
    "ci_24xlarge_optimized_memory",
    "ci_24xlarge_high_memory",
    "ci_48xlarge",
    "ci_48xlarge_optimized_cpu",
    "ci_48xlarge_optimized_memory",
    "ci_48xlarge_high_memory",
    "cd_default",
    "pitr_7",
    "pitr_14",
    "pitr_28",
    "ipv4_default",
]
ADDON_TYPES = Literal[
    "custom_domain",
    "compute_instance",
    "pitr",
    "ipv4",
    "auth_mfa_phone",
    "auth_mfa_web_authn",
    "log_drain",
]
#: The deprecated branch ``status`` (BranchResponse and UpdateBranchBody).
BRANCH_STATUSES = Literal[
    "CREATING_PROJECT",
    "RUNNING_MIGRATIONS",
    "MIGRATIONS_PASSED",
    "MIGRATIONS_FAILED",
    "FUNCTIONS_DEPLOYED",
    "FUNCTIONS_FAILED",
]
KeyName = Annotated[
    str, StringConstraints(min_length=4, max_length=64, pattern=r"^[a-z_][a-z0-9_]+$")
]
Duration = Annotated[str, StringConstraints(pattern=r"^(-?[0-9]+(?:\.[0-9]+)?)(us|ms|s|min|h|d)?$")]


class SpecificRegion(BaseModel):
    type: Literal["specific"]
    code: REGIONS


class SmartGroupRegion(BaseModel):
    type: Literal["smartGroup"]
    code: Literal["americas", "emea", "apac"]


class CreateProjectBody(BaseModel):
    """V1CreateProjectBody (additionalProperties: false)."""

    model_config = ConfigDict(extra="forbid")

    db_pass: str
    name: Annotated[str, StringConstraints(max_length=256)]
    organization_slug: Annotated[str, StringConstraints(pattern=r"^[\w-]+$")]
    organization_id: str | None = None  # deprecated, ignored
    plan: Literal["free", "pro"] | None = None  # deprecated, ignored
    region: REGIONS | None = None  # deprecated in favour of region_selection
    region_selection: (
        Annotated[SpecificRegion | SmartGroupRegion, Field(discriminator="type")] | None
    ) = None
    kps_enabled: bool | None = None  # deprecated, ignored
    desired_instance_size: INSTANCE_SIZES | None = None
    template_url: str | None = None


class UpdateProjectBody(BaseModel):
    name: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class ApplyAddonBody(BaseModel):
    """ApplyProjectAddonBody."""

    addon_variant: ADDON_VARIANTS
    addon_type: ADDON_TYPES


class UpdatePasswordBody(BaseModel):
    password: Annotated[str, StringConstraints(min_length=4)]


class UpdatePoolerBody(BaseModel):
    default_pool_size: Annotated[int, Field(ge=0, le=3000)] | None = None
    pool_mode: Literal["transaction", "session"] | None = None


class CreateApiKeyBody(BaseModel):
    type: Literal["publishable", "secret"]
    name: KeyName
    description: str | None = None
    secret_jwt_template: dict[str, Any] | None = None


class UpdateApiKeyBody(BaseModel):
    name: KeyName | None = None
    description: str | None = None
    secret_jwt_template: dict[str, Any] | None = None


class RunQueryBody(BaseModel):
    query: Annotated[str, StringConstraints(min_length=1)]
    parameters: list[Any] | None = None
    read_only: bool | None = None


class MigrationBody(BaseModel):
    """V1CreateMigrationBody and V1UpsertMigrationBody (identical in the spec)."""

    query: Annotated[str, StringConstraints(min_length=1)]
    name: str | None = None
    rollback: str | None = None


class PatchMigrationBody(BaseModel):
    """V1PatchMigrationBody."""

    name: str | None = None
    rollback: str | None = None


class UpdatePostgrestBody(BaseModel):
    """V1UpdatePostgrestConfigBody (types are strict: ``"10"`` is not a row count)."""

    model_config = ConfigDict(strict=True)

    db_extra_search_path: str | None = None
    db_schema: str | None = None
    max_rows: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    db_pool: Annotated[int, Field(ge=0, le=1000)] | None = None


class UpdatePostgresConfigBody(BaseModel):
    """UpdatePostgresConfigBody (additionalProperties: false)."""

    model_config = ConfigDict(extra="forbid")

    effective_cache_size: str | None = None
    logical_decoding_work_mem: str | None = None
    maintenance_work_mem: str | None = None
    track_activity_query_size: str | None = None
    max_connections: Annotated[int, Field(ge=1, le=262143)] | None = None
    max_locks_per_transaction: Annotated[int, Field(ge=10, le=2147483640)] | None = None
    max_parallel_maintenance_workers: Annotated[int, Field(ge=0, le=1024)] | None = None
    max_parallel_workers: Annotated[int, Field(ge=0, le=1024)] | None = None
    max_parallel_workers_per_gather: Annotated[int, Field(ge=0, le=1024)] | None = None
    max_replication_slots: int | None = None
    max_slot_wal_keep_size: str | None = None
    max_standby_archive_delay: str | None = None
    max_standby_streaming_delay: str | None = None
    max_wal_size: str | None = None
    max_wal_senders: int | None = None
    max_worker_processes: Annotated[int, Field(ge=0, le=262143)] | None = None
    session_replication_role: Literal["origin", "replica", "local"] | None = None
    shared_buffers: str | None = None
    statement_timeout: Duration | None = None
    track_commit_timestamp: bool | None = None
    wal_keep_size: str | None = None
    wal_sender_timeout: Duration | None = None
    work_mem: str | None = None
    checkpoint_timeout: Duration | None = None
    hot_standby_feedback: bool | None = None
    restart_database: bool | None = None


class SecretBody(BaseModel):
    name: Annotated[str, StringConstraints(max_length=256)]
    value: Annotated[str, StringConstraints(max_length=24576)]


class CidrList(BaseModel):
    dbAllowedCidrs: list[str] | None = None
    dbAllowedCidrsV6: list[str] | None = None


class NetworkPatchBody(BaseModel):
    add: CidrList | None = None
    remove: CidrList | None = None


class CreateBranchBody(BaseModel):
    """CreateBranchBody (the spec allows unknown fields; they are ignored)."""

    branch_name: Annotated[str, StringConstraints(min_length=1)]
    git_branch: str | None = None
    is_default: bool | None = None
    persistent: bool | None = None
    region: str | None = None
    # The branch sizes add ``pico`` to the project sizes.
    desired_instance_size: Literal["pico"] | INSTANCE_SIZES | None = None
    release_channel: Literal["internal", "alpha", "beta", "ga", "withdrawn", "preview"] | None = (
        None
    )
    postgres_engine: Literal["15", "17", "17-oriole"] | None = None
    secrets: dict[str, str] | None = None
    with_data: bool | None = None
    notify_url: AnyUrl | None = None


class UpdateBranchBody(BaseModel):
    """UpdateBranchBody; ``reset_on_push`` is deprecated and ignored, as the spec says."""

    branch_name: str | None = None
    git_branch: str | None = None
    reset_on_push: bool | None = None
    persistent: bool | None = None
    status: BRANCH_STATUSES | None = None
    request_review: bool | None = None
    notify_url: AnyUrl | None = None


class BranchActionBody(BaseModel):
    """BranchActionBody (reset, push, merge): an optional migration version to stop at."""

    migration_version: str | None = None


STEP_STATUS = Literal["CREATED", "DEAD", "EXITED", "PAUSED", "REMOVING", "RESTARTING", "RUNNING"]


class UpdateRunStatusBody(BaseModel):
    """UpdateRunStatusBody: a new status per step, for the steps named."""

    clone: STEP_STATUS | None = None
    pull: STEP_STATUS | None = None
    health: STEP_STATUS | None = None
    configure: STEP_STATUS | None = None
    migrate: STEP_STATUS | None = None
    seed: STEP_STATUS | None = None
    deploy: STEP_STATUS | None = None
