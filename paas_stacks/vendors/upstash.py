"""Upstash's words: Redis plans and primary regions (AWS and GCP).

The rule that matters here: read regions exist for AWS primaries only, so the two clouds'
regions are kept apart even though one field takes either.
"""

from __future__ import annotations

from typing import Literal, get_args

from paas_stacks.vendors.places import DEFAULT_PLACE, region_of

__all__ = [
    "AWS_REGIONS",
    "DEFAULT_REGION",
    "GCP_REGIONS",
    "PLANS",
    "REGIONS",
    "AwsRegion",
    "GcpRegion",
    "Plan",
    "Region",
]

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
PLANS: tuple[Plan, ...] = get_args(Plan)

AwsRegion = Literal[
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
    "af-south-1",
]
GcpRegion = Literal["us-central1", "us-east4", "europe-west1", "asia-northeast1"]
Region = AwsRegion | GcpRegion
AWS_REGIONS: tuple[AwsRegion, ...] = get_args(AwsRegion)
GCP_REGIONS: tuple[GcpRegion, ...] = get_args(GcpRegion)
REGIONS: tuple[str, ...] = (*AWS_REGIONS, *GCP_REGIONS)
DEFAULT_REGION: AwsRegion = "us-west-2"
assert region_of("upstash", DEFAULT_PLACE) == DEFAULT_REGION  # noqa: S101
