"""Supabase's words: organization plans, compute sizes and regions.

The rule that matters here: plans are billed per organization and compute per project, and the
free plan runs ``nano`` compute only; sizes are the Management API's ``desired_instance_size``.
"""

from __future__ import annotations

from typing import Literal, get_args

from paas_stacks.vendors.places import DEFAULT_PLACE, region_of

__all__ = [
    "BRANCHING_PLANS",
    "BRANCH_NAME_PATTERN",
    "DEFAULT_BRANCH",
    "DEFAULT_PAID_SIZE",
    "DEFAULT_REGION",
    "FREE_SIZE",
    "PITR_MIN_SIZE",
    "PLANS",
    "REGIONS",
    "SIZES",
    "InstanceSize",
    "PitrDays",
    "Plan",
    "Region",
]

#: Supabase bills plans per organization (supabase.com/pricing).
Plan = Literal["free", "pro", "team", "enterprise"]
PLANS: tuple[Plan, ...] = get_args(Plan)
#: Branching (a branch per pull request) needs a paid plan (supabase.com/docs/guides/deployment/
#: branching: "available on the Pro Plan and above").
BRANCHING_PLANS: tuple[Plan, ...] = ("pro", "team", "enterprise")
#: A branch name: what git allows in a branch name, as Supabase's GitHub integration names
#: branches after git branches (letters, digits, ``._/-``).
BRANCH_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._/-]*$"
#: The default branch a project gets when branching is enabled (it is the project itself).
DEFAULT_BRANCH = "main"

#: The ``desired_instance_size`` enum of the Management API, smallest first.
InstanceSize = Literal[
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
SIZES: tuple[InstanceSize, ...] = get_args(InstanceSize)
#: What a free project runs; a paid organization's new project starts at ``micro``.
FREE_SIZE: InstanceSize = "nano"
DEFAULT_PAID_SIZE: InstanceSize = "micro"
#: Point-in-time recovery needs at least this compute size.
PITR_MIN_SIZE: InstanceSize = "small"
PitrDays = Literal[7, 14, 28]

#: The region enum of the Management API's ``V1CreateProjectBody``.
Region = Literal[
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
REGIONS: tuple[Region, ...] = get_args(Region)
DEFAULT_REGION: Region = "us-west-2"
assert region_of("supabase", DEFAULT_PLACE) == DEFAULT_REGION  # noqa: S101
