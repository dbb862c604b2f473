"""Request bodies, mirroring the spec's request schemas. Unknown fields are accepted and kept
(the spec never says additionalProperties: false); known fields are type-checked strictly so a
wrong type is a 400 instead of a silent coercion, and enums are enforced."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Signal = Literal["SIGHUP", "SIGINT", "SIGQUIT", "SIGKILL", "SIGUSR1", "SIGUSR2", "SIGTERM"]
Persist = Literal["never", "always", "restart"]


class Body(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class CreateAppRequest(Body):
    name: str | None = None
    #: The docs prose (and the 2024 spec) call it ``app_name``; the current spec says ``name``.
    app_name: str | None = None
    org_slug: str | None = None
    network: str | None = None
    enable_subdomains: bool | None = None
    app_role_id: str | None = None  # sent by fly-go


class MachineGuest(Body):
    cpu_kind: str | None = None
    cpus: int | None = None
    memory_mb: int | None = None
    max_memory_mb: int | None = None
    gpus: int | None = None
    gpu_kind: str | None = None
    host_dedication_id: str | None = None
    kernel_args: list[str] | None = None
    persist_rootfs: Persist | None = None


class MachinePort(Body):
    port: int | None = None
    start_port: int | None = None
    end_port: int | None = None
    handlers: list[str] | None = None
    force_https: bool | None = None


class MachineHTTPHeader(Body):
    name: str | None = None
    values: list[str] | None = None


class MachineServiceCheck(Body):
    """``fly.MachineServiceCheck``: the spec types ``type`` as a string ("tcp or http"); flyd
    refuses any other word, so the sandbox enforces the pair."""

    type: Literal["tcp", "http"] | None = None
    port: int | None = None
    path: str | None = None
    method: str | None = None
    protocol: Literal["http", "https"] | None = None
    interval: str | None = None
    timeout: str | None = None
    grace_period: str | None = None
    headers: list[MachineHTTPHeader] | None = None
    tls_server_name: str | None = None
    tls_skip_verify: bool | None = None


class MachineCheck(MachineServiceCheck):
    """``fly.MachineCheck``: a service check plus its ``kind``."""

    kind: Literal["informational", "readiness"] | None = None


class MachineServiceConcurrency(Body):
    #: The spec types it as a string; fly.toml documents ``connections`` and ``requests``.
    type: Literal["connections", "requests"] | None = None
    soft_limit: int | None = None
    hard_limit: int | None = None


class MachineService(Body):
    protocol: str | None = None
    internal_port: int | None = None
    ports: list[MachinePort] | None = None
    autostart: bool | None = None
    # The spec's enum is the new format; booleans are the documented old format.
    autostop: Literal["off", "stop", "suspend"] | bool | None = None
    min_machines_running: int | None = None
    checks: list[MachineServiceCheck] | None = None
    concurrency: MachineServiceConcurrency | None = None


class MachineInit(Body):
    cmd: list[str] | None = None
    entrypoint: list[str] | None = None
    exec: list[str] | None = None
    kernel_args: list[str] | None = None
    swap_size_mb: int | None = None
    tty: bool | None = None


class Static(Body):
    """``fly.Static``: ``guest_path`` and ``url_prefix`` are required."""

    guest_path: str
    url_prefix: str
    index_document: str | None = None
    tigris_bucket: str | None = None


class MachineMount(Body):
    volume: str | None = None
    path: str | None = None
    name: str | None = None
    size_gb: int | None = None
    encrypted: bool | None = None


class MachineRestart(Body):
    policy: Literal["no", "always", "on-failure", "spot-price"] | None = None
    max_retries: int | None = None


class StopConfig(Body):
    signal: Signal | None = None
    timeout: str | None = None


class MachineConfig(Body):
    image: str | None = None
    env: dict[str, str] | None = None
    guest: MachineGuest | None = None
    services: list[MachineService] | None = None
    mounts: list[MachineMount] | None = None
    restart: MachineRestart | None = None
    metadata: dict[str, str] | None = None
    auto_destroy: bool | None = None
    schedule: str | None = None
    init: MachineInit | None = None
    checks: dict[str, MachineCheck] | None = None
    statics: list[Static] | None = None
    files: list[dict[str, Any]] | None = None
    processes: list[dict[str, Any]] | None = None
    standbys: list[str] | None = None
    stop_config: StopConfig | None = None
    size: str | None = None


class CreateMachineRequest(Body):
    config: MachineConfig | None = None
    name: str | None = None
    region: str | None = None
    skip_launch: bool | None = None
    lease_ttl: int | None = None
    min_secrets_version: int | None = None
    skip_secrets: bool | None = None
    skip_service_registration: bool | None = None
    lsvd: bool | None = None


class UpdateMachineRequest(CreateMachineRequest):
    current_version: str | None = None


class StopRequest(Body):
    signal: Signal | None = None
    timeout: str | None = None


class AppSecretsUpdateRequest(Body):
    #: null deletes the secret (fly-go UpdateAppSecrets), so values may be null.
    values: dict[str, str | None] = Field(default_factory=dict)


class SetAppSecretRequest(Body):
    value: str


class CreateVolumeRequest(Body):
    name: str
    region: str | None = None
    size_gb: int | None = None
    encrypted: bool | None = None
    fstype: str | None = None
    require_unique_zone: bool | None = None
    unique_zone_app_wide: bool | None = None
    snapshot_id: str | None = None
    source_volume_id: str | None = None
    snapshot_retention: int | None = None
    auto_backup_enabled: bool | None = None
    compute: MachineGuest | None = None
    compute_image: str | None = None


class UpdateVolumeRequest(Body):
    auto_backup_enabled: bool | None = None
    snapshot_retention: int | None = None


class ExtendVolumeRequest(Body):
    size_gb: int


class CreateAcmeCertificateRequest(Body):
    hostname: str | None = None


class AssignIPRequest(Body):
    type: Literal["v4", "v6", "shared_v4", "private_v6", "egress_v4", "egress_v6"]
    region: str | None = None
    org_slug: str | None = None
    network: str | None = None
    service_name: str | None = None
