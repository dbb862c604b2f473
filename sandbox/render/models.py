"""Request bodies of the service endpoints, mirroring ``servicePOST``/``servicePATCH`` of the spec.

Strict types (no "1" -> 1 coercion) and the spec's enums; unknown fields are ignored, since the
spec does not forbid them. Which ``serviceDetails`` variant applies is decided by ``type``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

ServiceType = Literal[
    "static_site", "web_service", "private_service", "background_worker", "cron_job"
]
Runtime = Literal["docker", "elixir", "go", "node", "python", "ruby", "rust", "image"]
PaidPlan = Literal["starter", "standard", "pro", "pro_plus", "pro_max", "pro_ultra"]
Region = Literal["frankfurt", "oregon", "ohio", "singapore", "virginia"]
YesNo = Literal["yes", "no"]


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")


def empty_if_null(value: Any) -> Any:
    return [] if value is None else value


def _absent_if_empty(value: Any) -> Any:
    return None if value == "" else value


#: An optional list that may also be sent as JSON ``null``. The spec types these as arrays, but
#: the real API accepts ``null`` (201): Render's own Terraform provider sends
#: ``"secretFiles": null`` and ``"buildFilter": {"paths": null, "ignoredPaths": null}`` for every
#: service without them (sandbox/render/README.md, "Facts from the recordings").
NullableStrings = Annotated[list[str], BeforeValidator(empty_if_null)]
#: A string where ``""`` means "not given" (Render then generates a value).
BlankIsAbsent = BeforeValidator(_absent_if_empty)


class EnvVarIn(Strict):
    """``envVarKeyValue | envVarKeyGenerateValue``: exactly one of ``value``/``generateValue``."""

    key: str = Field(min_length=1)
    value: str | None = None
    generateValue: bool | None = None

    @model_validator(mode="after")
    def one_source(self) -> EnvVarIn:
        if (self.value is None) == (self.generateValue is None):
            raise ValueError(f"env var {self.key}: give exactly one of value or generateValue")
        return self


class EnvVarValueIn(Strict):
    """``addUpdateEnvVarInput``: ``{value} | {generateValue}``."""

    value: str | None = None
    generateValue: bool | None = None

    @model_validator(mode="after")
    def one_source(self) -> EnvVarValueIn:
        if (self.value is None) == (self.generateValue is None):
            raise ValueError("give exactly one of value or generateValue")
        return self


class SecretFileIn(Strict):
    name: str = Field(min_length=1)
    content: str


class Cidr(Strict):
    cidrBlock: str
    description: str


class Image(Strict):
    ownerId: str
    imagePath: str
    registryCredentialId: str | None = None


class BuildFilter(Strict):
    paths: NullableStrings = Field(default_factory=list)
    ignoredPaths: NullableStrings = Field(default_factory=list)


class Disk(Strict):
    name: str
    mountPath: str
    sizeGB: int | None = Field(default=None, ge=1)


class CpuMemory(Strict):
    enabled: bool = False
    percentage: int


class Criteria(Strict):
    cpu: CpuMemory
    memory: CpuMemory


class Autoscaling(Strict):
    enabled: bool = False
    min: int
    max: int
    criteria: Criteria


class MaintenanceMode(Strict):
    enabled: bool
    uri: str


class Previews(Strict):
    generation: Literal["off", "manual", "automatic"] = "off"


class DockerDetailsIn(Strict):
    dockerCommand: str | None = None
    dockerContext: str | None = None
    dockerfilePath: str | None = None
    registryCredentialId: str | None = None


class NativeDetailsIn(Strict):
    buildCommand: str
    startCommand: str


class NativeDetailsPatch(Strict):
    buildCommand: str | None = None
    startCommand: str | None = None


class RuntimeDetailsIn(Strict):
    """Fields shared by the web, private, worker and cron ``*DetailsPOST`` variants."""

    runtime: Runtime
    env: Runtime | None = None  # deprecated alias of runtime
    plan: PaidPlan = "starter"
    region: Region = "oregon"
    envSpecificDetails: dict[str, object] | None = None
    preDeployCommand: str | None = None
    previews: Previews | None = None
    pullRequestPreviewsEnabled: YesNo | None = None


class ScaledDetailsIn(RuntimeDetailsIn):
    """Private services and background workers (web services add a few more fields)."""

    numInstances: int = Field(default=1, ge=1)
    autoscaling: Autoscaling | None = None
    disk: Disk | None = None
    maxShutdownDelaySeconds: int = Field(default=30, ge=1, le=300)


class WebDetailsIn(ScaledDetailsIn):
    healthCheckPath: str = ""
    maintenanceMode: MaintenanceMode | None = None
    renderSubdomainPolicy: Literal["enabled", "disabled"] = "enabled"
    ipAllowList: list[Cidr] | None = None


class CronDetailsIn(RuntimeDetailsIn):
    schedule: str = Field(min_length=1)


class StaticDetailsIn(Strict):
    buildCommand: str = ""
    publishPath: str = "public"
    headers: list[dict[str, object]] | None = None
    routes: list[dict[str, object]] | None = None
    previews: Previews | None = None
    pullRequestPreviewsEnabled: YesNo | None = None
    renderSubdomainPolicy: Literal["enabled", "disabled"] = "enabled"
    ipAllowList: list[Cidr] | None = None


DETAILS_MODELS: dict[str, type[Strict]] = {
    "web_service": WebDetailsIn,
    "private_service": ScaledDetailsIn,
    "background_worker": ScaledDetailsIn,
    "cron_job": CronDetailsIn,
    "static_site": StaticDetailsIn,
}


class ServicePost(Strict):
    type: ServiceType
    name: str = Field(min_length=1)
    ownerId: str
    repo: str | None = None
    branch: str | None = None
    autoDeploy: YesNo = "yes"
    image: Image | None = None
    buildFilter: BuildFilter | None = None
    rootDir: str = ""
    envVars: Annotated[list[EnvVarIn], BeforeValidator(empty_if_null)] = Field(default_factory=list)
    secretFiles: Annotated[list[SecretFileIn], BeforeValidator(empty_if_null)] = Field(
        default_factory=list
    )
    environmentId: str | None = None
    serviceDetails: dict[str, object] | None = None


class DetailsPatch(Strict):
    """Union of the ``*DetailsPATCH`` variants; fields foreign to a type are ignored."""

    envSpecificDetails: dict[str, object] | None = None
    healthCheckPath: str | None = None
    maintenanceMode: MaintenanceMode | None = None
    plan: PaidPlan | None = None
    preDeployCommand: str | None = None
    pullRequestPreviewsEnabled: YesNo | None = None
    previews: Previews | None = None
    runtime: Runtime | None = None
    maxShutdownDelaySeconds: int | None = Field(default=None, ge=1, le=300)
    renderSubdomainPolicy: Literal["enabled", "disabled"] | None = None
    ipAllowList: list[Cidr] | None = None
    schedule: str | None = None
    buildCommand: str | None = None
    publishPath: str | None = None


class ServicePatch(Strict):
    autoDeploy: YesNo | None = None
    repo: str | None = None
    branch: str | None = None
    image: Image | None = None
    name: str | None = Field(default=None, min_length=1)
    buildFilter: BuildFilter | None = None
    rootDir: str | None = None
    serviceDetails: DetailsPatch | None = None


class ScaleIn(Strict):
    numInstances: int = Field(ge=0)


class DeployIn(Strict):
    clearCache: Literal["clear", "do_not_clear"] = "do_not_clear"
    commitId: str | None = None
    imageUrl: str | None = None
