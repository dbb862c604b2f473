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


class MachineService(Body):
    protocol: str | None = None
    internal_port: int | None = None
    ports: list[MachinePort] | None = None
    autostart: bool | None = None
    # The spec's enum is the new format; booleans are the documented old format.
    autostop: Literal["off", "stop", "suspend"] | bool | None = None
    min_machines_running: int | None = None


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
    init: dict[str, Any] | None = None
    checks: dict[str, dict[str, Any]] | None = None
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
