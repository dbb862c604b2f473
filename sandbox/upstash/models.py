"""Request bodies, mirroring the spec's schemas (strict types: a string is never a bool here).

The create body is one permissive model because three documented forms exist (spec,
Terraform provider, old docs / MCP server); ``creation.py`` decides which combinations are valid.
Unknown fields are accepted and ignored: no Upstash schema says ``additionalProperties: false``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, StrictBool, StrictInt, StrictStr

ReadRegion = Literal[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "eu-central-1",
    "eu-west-1",
    "eu-west-2",
    "sa-east-1",
    "ap-south-1",
    "ap-northeast-1",
    "ap-southeast-1",
    "ap-southeast-2",
]
PrimaryRegion = Literal[
    ReadRegion, "af-south-1", "us-central1", "us-east4", "europe-west1", "asia-northeast1"
]
GCP_REGIONS = frozenset({"us-central1", "us-east4", "europe-west1", "asia-northeast1"})
Plan = Literal[
    "free",
    "payg",
    "fixed_250mb",
    "fixed_1gb",
    "fixed_5gb",
    "fixed_10gb",
    "fixed_50gb",
    "fixed_100gb",
    "fixed_500gb",
]


class _Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


class CreateDatabaseBody(_Body):
    """Union of the spec's ``CreateDatabaseRequest`` and the older/Terraform forms."""

    database_name: StrictStr | None = None
    name: StrictStr | None = None  # old docs and MCP server
    platform: Literal["aws", "gcp"] | None = None  # spec only
    region: StrictStr | None = None  # Terraform / old docs: "global" (or a deprecated aws region)
    primary_region: PrimaryRegion | None = None
    read_regions: list[ReadRegion] | None = None
    plan: Plan | None = None
    budget: StrictInt | None = None
    eviction: StrictBool | None = None
    tls: StrictBool | None = None
    # Sent by the Terraform provider, absent from the spec.
    consistent: StrictBool | None = None
    multizone: StrictBool | None = None
    auto_upgrade: StrictBool | None = None
    prod_pack_enabled: StrictBool | None = None


class RenameBody(_Body):
    name: StrictStr


class BudgetBody(_Body):
    budget: StrictInt


class RegionsBody(_Body):
    read_regions: list[ReadRegion]


class ChangePlanBody(_Body):
    """The spec's ``ChangePlanRequest``."""

    plan_name: Plan
    database_id: StrictStr | None = None
    auto_upgrade: StrictBool | None = None
    prod_pack_enabled: StrictBool | None = None


class AllowlistBody(_Body):
    """Terraform's ``update-allowlist`` body; not in the spec."""

    allowed_ips: list[StrictStr]
