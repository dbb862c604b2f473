"""The resources of an ``ObjectStore``, declared with the AWS SDK for S3 and for S3-compatible
vendors alike (the latter through an explicit AWS provider at the vendor's endpoint).

The rule that matters here: objects are private unless ``public`` says otherwise. On AWS the
public access block is all on, ACLs are disabled (bucket owner enforced), objects are encrypted
at rest, and with ``cdn`` the only reader is the one CloudFront distribution. S3-compatible
vendors get only what their S3 APIs implement: the bucket, CORS and, for ``public``, a
``public-read`` ACL. The bucket is emptied on delete (``force_destroy``) unless protected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from paas_stacks.components._cloudfront import (
    anywhere,
    bucket_policy,
    https_only_cached,
    read_statement,
    s3_origin,
)
from paas_stacks.components._component import Component
from paas_stacks.components.object_store._args import S3, ObjectStoreArgs, S3Compatible

__all__ = ["Stored", "serve"]

#: Browsers read and upload (presigned PUT/POST, seed 004) from the listed origins.
CORS_METHODS = ["GET", "HEAD", "PUT", "POST"]
ORIGIN_ID = "bucket"
#: The bucket policy statement's id (a changed one would rewrite deployed policies).
READ_SID = "CloudFrontReadsThroughOAC"


@dataclass
class Stored:
    """What the component keeps: the bucket and, with ``cdn``, its distribution and URL."""

    bucket: aws.s3.Bucket
    distribution: aws.cloudfront.Distribution | None = None
    cdn_url: pulumi.Output[str] | None = None


def serve(store: Component, args: ObjectStoreArgs) -> Stored:
    """The bucket and its settings, as children of ``store``."""
    if isinstance(args.provider, S3):
        return _aws(store, args, args.provider)
    return _compatible(store, args, args.provider)


def _aws(store: Component, args: ObjectStoreArgs, s3: S3) -> Stored:
    region, opts = s3.region, store.child_opts()
    bucket = aws.s3.Bucket(
        store.child_name("bucket"),
        bucket=args.bucket,
        region=region,
        force_destroy=not args.protect,
        opts=store.child_opts(protect=args.protect),
    )
    ownership = aws.s3.BucketOwnershipControls(
        store.child_name("ownership"),
        bucket=bucket.id,
        region=region,
        rule={"object_ownership": "BucketOwnerEnforced"},
        opts=opts,
    )
    private = not args.public
    access_block = aws.s3.BucketPublicAccessBlock(
        store.child_name("access"),
        bucket=bucket.id,
        region=region,
        block_public_acls=True,
        ignore_public_acls=True,
        block_public_policy=private,
        restrict_public_buckets=private,
        opts=opts,
    )
    aws.s3.BucketServerSideEncryptionConfiguration(
        store.child_name("encryption"),
        bucket=bucket.id,
        region=region,
        rules=[
            {
                "apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"},
                "bucket_key_enabled": True,
            }
        ],
        opts=opts,
    )
    if s3.versioning:
        aws.s3.BucketVersioning(
            store.child_name("versioning"),
            bucket=bucket.id,
            region=region,
            versioning_configuration={"status": "Enabled"},
            opts=opts,
        )
    _cors(store, bucket, args.cors_origins, region=region, opts=opts)
    stored = Stored(bucket)
    readers: list[pulumi.Output[dict[str, object]]] = []
    if s3.cdn:
        readers.append(_cdn(store, bucket, args.cors_origins, stored))
    if args.public:
        readers.append(bucket.arn.apply(_public_read))
    if readers:
        aws.s3.BucketPolicy(
            store.child_name("policy"),
            bucket=bucket.id,
            region=region,
            policy=pulumi.Output.all(*readers).apply(bucket_policy),
            opts=store.child_opts(depends_on=[access_block, ownership]),
        )
    return stored


def _cdn(
    store: Component, bucket: aws.s3.Bucket, cors_origins: Sequence[str], stored: Stored
) -> pulumi.Output[dict[str, object]]:
    """The distribution (kept in ``stored``) and the statement that lets only it read."""
    cf, opts = aws.cloudfront, store.child_opts()
    origin = s3_origin(store, ORIGIN_ID, bucket, bucket.bucket.apply(lambda b: f"{b}-oac"[:64]))
    cors = None
    if cors_origins:
        cors = cf.ResponseHeadersPolicy(
            store.child_name("cors"),
            name=bucket.bucket.apply(lambda b: f"{b}-cors"),
            cors_config=_cors_headers(cors_origins),
            opts=opts,
        ).id
    distribution = cf.Distribution(
        store.child_name("cdn"),
        enabled=True,
        is_ipv6_enabled=True,
        http_version="http2and3",
        price_class="PriceClass_100",
        comment=bucket.bucket,
        origins=[origin],
        default_cache_behavior=https_only_cached(ORIGIN_ID, cors),
        restrictions=anywhere(),
        viewer_certificate=cf.DistributionViewerCertificateArgs(
            cloudfront_default_certificate=True
        ),
        opts=opts,
    )
    stored.distribution = distribution
    stored.cdn_url = distribution.domain_name.apply(lambda d: f"https://{d}")
    return pulumi.Output.all(bucket.arn, distribution.arn).apply(
        lambda arns: read_statement(arns[0], arns[1], READ_SID)
    )


def _compatible(store: Component, args: ObjectStoreArgs, vendor: S3Compatible) -> Stored:
    provider = aws.Provider(
        store.child_name("provider"),
        region=vendor.region,
        access_key=pulumi.Output.secret(vendor.access_key),
        secret_key=pulumi.Output.secret(vendor.secret_key),
        endpoints=[aws.ProviderEndpointArgs(s3=vendor.endpoint)],
        s3_use_path_style=True,
        # Not AWS: no STS, no account id, no EC2 metadata, and vendor region names.
        skip_credentials_validation=True,
        skip_requesting_account_id=True,
        skip_metadata_api_check=True,
        skip_region_validation=True,
        opts=store.child_opts(),
    )
    bucket = aws.s3.Bucket(
        store.child_name("bucket"),
        bucket=args.bucket,
        force_destroy=not args.protect,
        opts=store.child_opts(protect=args.protect, provider=provider),
    )
    opts = store.child_opts(provider=provider)
    if args.public:
        aws.s3.BucketAcl(store.child_name("acl"), bucket=bucket.id, acl="public-read", opts=opts)
    _cors(store, bucket, args.cors_origins, region=None, opts=opts)
    return Stored(bucket)


def _cors(
    store: Component,
    bucket: aws.s3.Bucket,
    origins: Sequence[str],
    *,
    region: str | None,
    opts: pulumi.ResourceOptions,
) -> None:
    if not origins:
        return
    rule = aws.s3.BucketCorsConfigurationCorsRuleArgs(
        allowed_origins=list(origins),
        allowed_methods=CORS_METHODS,
        allowed_headers=["*"],
        expose_headers=["ETag"],
        max_age_seconds=3600,
    )
    aws.s3.BucketCorsConfiguration(
        store.child_name("cors-rules"),
        bucket=bucket.id,
        region=region,
        cors_rules=[rule],
        opts=opts,
    )


def _cors_headers(origins: Sequence[str]) -> aws.cloudfront.ResponseHeadersPolicyCorsConfigArgs:
    """CloudFront answers CORS itself for the listed origins (S3's rules need the Origin header,
    which the cache key does not carry)."""
    cf = aws.cloudfront
    return cf.ResponseHeadersPolicyCorsConfigArgs(
        access_control_allow_credentials=False,
        access_control_allow_headers=cf.ResponseHeadersPolicyCorsConfigAccessControlAllowHeadersArgs(
            items=["*"]
        ),
        access_control_allow_methods=cf.ResponseHeadersPolicyCorsConfigAccessControlAllowMethodsArgs(
            items=["GET", "HEAD", "OPTIONS"]
        ),
        access_control_allow_origins=cf.ResponseHeadersPolicyCorsConfigAccessControlAllowOriginsArgs(
            items=list(origins)
        ),
        origin_override=True,
    )


def _public_read(bucket_arn: str) -> dict[str, object]:
    return {
        "Sid": "PublicRead",
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"{bucket_arn}/*",
    }
