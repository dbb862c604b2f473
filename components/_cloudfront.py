"""CloudFront in front of a private S3 bucket, as the S3 + CloudFront site and the object store's
``cdn`` both declare it.

The rule that matters here: the bucket is never read directly. CloudFront reads it with
SigV4-signed requests through an origin access control, and the bucket policy allows
``s3:GetObject`` to that one distribution only (the condition names its ARN); viewers get HTTPS.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from paas_stacks.components._component import Component

__all__ = [
    "CACHING_OPTIMIZED",
    "anywhere",
    "bucket_policy",
    "https_only_cached",
    "read_statement",
    "s3_origin",
]

#: AWS managed cache policy "Managed-CachingOptimized" (the same id in every account).
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"


def s3_origin(
    owner: Component,
    origin_id: str,
    bucket: aws.s3.Bucket,
    oac_name: pulumi.Input[str],
    description: str | None = None,
) -> aws.cloudfront.DistributionOriginArgs:
    """The bucket as an origin, read through a new origin access control ``<owner>-oac``."""
    oac = aws.cloudfront.OriginAccessControl(
        owner.child_name("oac"),
        name=oac_name,
        description=description,
        origin_access_control_origin_type="s3",
        signing_behavior="always",
        signing_protocol="sigv4",
        opts=owner.child_opts(),
    )
    return aws.cloudfront.DistributionOriginArgs(
        origin_id=origin_id,
        domain_name=bucket.bucket_regional_domain_name,
        origin_access_control_id=oac.id,
    )


def https_only_cached(
    origin_id: str, response_headers_policy_id: pulumi.Input[str] | None = None
) -> aws.cloudfront.DistributionDefaultCacheBehaviorArgs:
    """Plain HTTP is redirected; files are cached by AWS's managed "CachingOptimized"."""
    return aws.cloudfront.DistributionDefaultCacheBehaviorArgs(
        target_origin_id=origin_id,
        viewer_protocol_policy="redirect-to-https",
        allowed_methods=["GET", "HEAD", "OPTIONS"],
        cached_methods=["GET", "HEAD"],
        cache_policy_id=CACHING_OPTIMIZED,
        response_headers_policy_id=response_headers_policy_id,
        compress=True,
    )


def anywhere() -> aws.cloudfront.DistributionRestrictionsArgs:
    """No geographic restriction."""
    return aws.cloudfront.DistributionRestrictionsArgs(
        geo_restriction=aws.cloudfront.DistributionRestrictionsGeoRestrictionArgs(
            restriction_type="none"
        )
    )


def read_statement(bucket_arn: str, distribution_arn: str, sid: str) -> dict[str, object]:
    """The policy statement that lets only the distribution ``distribution_arn`` read objects.

    ``sid`` is the caller's: a changed Sid rewrites every deployed bucket policy.
    """
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"Service": "cloudfront.amazonaws.com"},
        "Action": "s3:GetObject",
        "Resource": f"{bucket_arn}/*",
        "Condition": {"StringEquals": {"AWS:SourceArn": distribution_arn}},
    }


def bucket_policy(statements: Sequence[dict[str, object]]) -> str:
    """A bucket policy document of ``statements``."""
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
