"""What an object store declares: its bucket and who may read it, and where it lives: ``S3(...)``
(AWS) or ``S3Compatible(...)`` (Backblaze B2, Cloudflare R2... at their S3 endpoint).

The rule that matters here: objects are private unless ``public`` says otherwise, and each
provider has only the settings its S3 API implements (CloudFront and versioning are AWS's; an
S3-compatible vendor needs its endpoint and key pair), so a setting the vendor cannot honour
cannot be given to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, ClassVar, Literal

import pulumi
from pydantic import Field

from paas_stacks._messages import show
from paas_stacks.components._args import field_problems
from paas_stacks.errors import Problem
from paas_stacks.vendors.places import region_of

__all__ = [
    "DEFAULT_AWS_REGION",
    "PROVIDERS",
    "S3",
    "BucketRegion",
    "HttpsUrl",
    "ObjectStoreArgs",
    "S3Compatible",
    "StoreProvider",
    "store_problems",
]

#: An S3 region code: AWS's (``eu-central-1``) or the vendor's (B2 ``us-west-004``, R2 ``auto``).
BucketRegion = Annotated[str, Field(pattern=r"^[a-z0-9-]+$")]
HttpsUrl = Annotated[str, Field(pattern=r"^https://\S+$")]
StoreProvider = Literal["s3", "s3_compatible"]
#: A bucket's AWS region when none is named: the default place's, as for a stack file.
DEFAULT_AWS_REGION = region_of("aws")


@dataclass(frozen=True, kw_only=True)
class S3:
    """An AWS S3 bucket: encrypted at rest, ACLs disabled, public access blocked unless
    ``public``; with ``cdn``, CloudFront is its only reader."""

    kind: ClassVar[StoreProvider] = "s3"

    #: The AWS region, e.g. ``eu-central-1``.
    region: BucketRegion = DEFAULT_AWS_REGION
    #: Serve the bucket through CloudFront (Origin Access Control, HTTPS only): ``CDN_URL``.
    cdn: bool = False
    #: Keep object versions.
    versioning: bool = False

    @property
    def endpoint(self) -> str:
        return f"https://s3.{self.region}.amazonaws.com"


@dataclass(frozen=True, kw_only=True)
class S3Compatible:
    """A bucket on an S3-compatible vendor, through an explicit AWS provider at ``endpoint``
    (B2 keeps versions itself and R2 has none, so versioning is not offered)."""

    kind: ClassVar[StoreProvider] = "s3_compatible"

    #: The vendor's S3 API endpoint, e.g. ``https://s3.us-west-004.backblazeb2.com``.
    endpoint: HttpsUrl
    #: The vendor's access key id and secret (made secret; ``S3_ACCESS_KEY``/``S3_SECRET_KEY``).
    access_key: pulumi.Input[str]
    secret_key: pulumi.Input[str]
    #: The vendor's region name (B2: ``us-west-004``; R2: ``auto``).
    region: BucketRegion = "auto"


#: Each provider by the name a stack file gives it (``provider: s3_compatible``).
PROVIDERS: dict[StoreProvider, type[S3 | S3Compatible]] = {"s3": S3, "s3_compatible": S3Compatible}


@dataclass(frozen=True, kw_only=True)
class ObjectStoreArgs:
    """A bucket, who may read it, and where it lives."""

    #: The bucket name (globally unique at the vendor).
    bucket: pulumi.Input[str]
    #: ``S3(...)`` or ``S3Compatible(...)``.
    provider: S3 | S3Compatible
    #: Objects readable by anyone; otherwise private.
    public: bool = False
    #: Origins allowed to read and upload from a browser.
    cors_origins: Sequence[str] = ()
    #: Protect the bucket from deletion: production stacks. Unprotected buckets are emptied
    #: on delete, so preview environments can be destroyed.
    protect: bool = False


def store_problems(args: ObjectStoreArgs) -> list[Problem]:
    """Every problem of a store's arguments, locs relative to the args."""
    if not isinstance(args.provider, S3 | S3Compatible):
        return [
            Problem(
                ("provider",),
                f"must be S3(...) or S3Compatible(...); got {show(args.provider)}",
            )
        ]
    return field_problems(args)
