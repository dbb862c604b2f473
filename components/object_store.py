"""``ObjectStore``: a private bucket on AWS S3 (optionally behind CloudFront) or on an
S3-compatible vendor (Backblaze B2, Cloudflare R2) through an explicit AWS provider.

The rule that matters here: objects are private unless ``public`` says otherwise. On AWS the
public access block is all on, ACLs are disabled (bucket owner enforced), objects are encrypted
at rest, and with ``cdn`` the only reader is the one CloudFront distribution (Origin Access
Control + a bucket policy naming its ARN), served over HTTPS only.

S3-compatible vendors get only what their S3 APIs implement: the bucket, CORS and, for
``public``, a ``public-read`` ACL; versioning is refused there (B2 keeps versions itself, R2 has
none). The bucket is emptied on delete (``force_destroy``) unless the store is protected.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import pulumi
import pulumi_aws as aws

from paas_stacks.components._component import Component

__all__ = ["ObjectStore", "ObjectStoreArgs"]

PROVIDERS = ("s3", "s3_compatible")
#: Browsers read and upload (presigned PUT/POST, seed 004) from the listed origins.
CORS_METHODS = ["GET", "HEAD", "PUT", "POST"]
#: AWS managed cache policy "Managed-CachingOptimized".
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"


@dataclass
class ObjectStoreArgs:
    #: ``s3`` (AWS) or ``s3_compatible`` (B2, R2... at ``endpoint``).
    provider: Literal["s3", "s3_compatible"]
    #: The bucket name (globally unique at the vendor).
    bucket: pulumi.Input[str]
    #: The region (AWS: ``us-east-1``...; B2: ``us-west-004``; R2: ``auto``).
    region: str
    #: The S3 API endpoint of an S3-compatible vendor (required for ``s3_compatible``).
    endpoint: str | None = None
    #: The vendor's access key id and secret (required for ``s3_compatible``; made secret).
    access_key: pulumi.Input[str] | None = None
    secret_key: pulumi.Input[str] | None = None
    #: Objects readable by anyone; otherwise private.
    public: bool = False
    #: Origins allowed to read and upload from a browser.
    cors_origins: Sequence[str] = field(default_factory=tuple)
    #: Serve through CloudFront with Origin Access Control (``s3`` only).
    cdn: bool = False
    #: Keep object versions (``s3`` only).
    versioning: bool = False
    #: Protect the bucket from deletion: production stacks. Unprotected buckets are emptied
    #: on delete, so preview environments can be destroyed.
    protect: bool = False


class ObjectStore(Component):
    """A bucket; ``env()`` gives ``S3_BUCKET``, ``S3_REGION``, ``S3_ENDPOINT`` (+ keys, CDN)."""

    type_name = "ObjectStore"

    bucket_name: pulumi.Output[str]
    region: pulumi.Output[str]
    endpoint: pulumi.Output[str]
    #: ``https://<distribution>.cloudfront.net`` with ``cdn``, else None.
    cdn_url: pulumi.Output[str] | None

    @staticmethod
    def provides(args: ObjectStoreArgs) -> tuple[str, ...]:
        """``S3_BUCKET``, ``S3_REGION``, ``S3_ENDPOINT``; the key pair when given; ``CDN_URL``."""
        keys = ("S3_ACCESS_KEY", "S3_SECRET_KEY") if args.access_key is not None else ()
        cdn = ("CDN_URL",) if args.cdn else ()
        return ("S3_BUCKET", "S3_REGION", "S3_ENDPOINT", *keys, *cdn)

    def __init__(
        self, name: str, args: ObjectStoreArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        _validate(args)
        super().__init__(name, opts)
        self.cdn_url = None
        self.access_key = None if args.access_key is None else pulumi.Output.secret(args.access_key)
        self.secret_key = None if args.secret_key is None else pulumi.Output.secret(args.secret_key)
        if args.provider == "s3":
            self._aws(args)
            self.endpoint = pulumi.Output.from_input(f"https://s3.{args.region}.amazonaws.com")
        else:
            self._compatible(args)
            self.endpoint = pulumi.Output.from_input(args.endpoint or "")
        self.bucket_name = self.bucket.bucket
        self.region = pulumi.Output.from_input(args.region)
        self.register_outputs(
            {
                "bucket_name": self.bucket_name,
                "region": self.region,
                "endpoint": self.endpoint,
                "cdn_url": self.cdn_url,
            }
        )

    def env(self) -> Mapping[str, pulumi.Output[str]]:
        found = {"S3_BUCKET": self.bucket_name, "S3_REGION": self.region,
                 "S3_ENDPOINT": self.endpoint}  # fmt: skip
        if self.access_key is not None and self.secret_key is not None:
            found["S3_ACCESS_KEY"] = self.access_key
            found["S3_SECRET_KEY"] = self.secret_key
        if self.cdn_url is not None:
            found["CDN_URL"] = self.cdn_url
        return found

    def _aws(self, args: ObjectStoreArgs) -> None:
        region, opts = args.region, self.child_opts()
        self.bucket = aws.s3.Bucket(
            self.child_name("bucket"), bucket=args.bucket, region=region,
            force_destroy=not args.protect, opts=self.child_opts(protect=args.protect),
        )  # fmt: skip
        bucket = self.bucket.id
        ownership = aws.s3.BucketOwnershipControls(
            self.child_name("ownership"), bucket=bucket, region=region,
            rule={"object_ownership": "BucketOwnerEnforced"}, opts=opts,
        )  # fmt: skip
        private = not args.public
        self.access_block = aws.s3.BucketPublicAccessBlock(
            self.child_name("access"), bucket=bucket, region=region, block_public_acls=True,
            ignore_public_acls=True, block_public_policy=private, restrict_public_buckets=private,
            opts=opts,
        )  # fmt: skip
        aws.s3.BucketServerSideEncryptionConfiguration(
            self.child_name("encryption"), bucket=bucket, region=region,
            rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"},
                    "bucket_key_enabled": True}],
            opts=opts,
        )  # fmt: skip
        if args.versioning:
            aws.s3.BucketVersioning(
                self.child_name("versioning"), bucket=bucket, region=region,
                versioning_configuration={"status": "Enabled"}, opts=opts,
            )  # fmt: skip
        self._cors(args, region=region, opts=opts)
        readers: list[pulumi.Output[dict[str, object]]] = []
        if args.cdn:
            readers.append(self._cdn(args))
        if args.public:
            readers.append(self.bucket.arn.apply(_public_read))
        if readers:
            aws.s3.BucketPolicy(
                self.child_name("policy"), bucket=bucket, region=region,
                policy=pulumi.Output.all(*readers).apply(_policy),
                opts=self.child_opts(depends_on=[self.access_block, ownership]),
            )  # fmt: skip

    def _cdn(self, args: ObjectStoreArgs) -> pulumi.Output[dict[str, object]]:
        """The distribution and the policy statement that lets only it read the bucket."""
        cf, opts = aws.cloudfront, self.child_opts()
        oac = cf.OriginAccessControl(
            self.child_name("oac"),
            name=self.bucket.bucket.apply(lambda b: f"{b}-oac"[:64]),
            origin_access_control_origin_type="s3",
            signing_behavior="always",
            signing_protocol="sigv4",
            opts=opts,
        )
        cors = None
        if args.cors_origins:
            cors = cf.ResponseHeadersPolicy(
                self.child_name("cors"),
                name=self.bucket.bucket.apply(lambda b: f"{b}-cors"),
                cors_config=_cors_headers(args.cors_origins),
                opts=opts,
            ).id
        self.distribution = cf.Distribution(
            self.child_name("cdn"),
            enabled=True,
            is_ipv6_enabled=True,
            http_version="http2and3",
            price_class="PriceClass_100",
            comment=self.bucket.bucket,
            origins=[
                cf.DistributionOriginArgs(
                    origin_id="bucket",
                    domain_name=self.bucket.bucket_regional_domain_name,
                    origin_access_control_id=oac.id,
                )
            ],
            default_cache_behavior=cf.DistributionDefaultCacheBehaviorArgs(
                target_origin_id="bucket",
                viewer_protocol_policy="redirect-to-https",
                allowed_methods=["GET", "HEAD", "OPTIONS"],
                cached_methods=["GET", "HEAD"],
                cache_policy_id=CACHING_OPTIMIZED,
                response_headers_policy_id=cors,
                compress=True,
            ),
            restrictions=cf.DistributionRestrictionsArgs(
                geo_restriction=cf.DistributionRestrictionsGeoRestrictionArgs(
                    restriction_type="none"
                )
            ),
            viewer_certificate=cf.DistributionViewerCertificateArgs(
                cloudfront_default_certificate=True
            ),
            opts=opts,
        )
        self.cdn_url = self.distribution.domain_name.apply(lambda d: f"https://{d}")
        return pulumi.Output.all(self.bucket.arn, self.distribution.arn).apply(
            lambda arns: _cloudfront_read(arns[0], arns[1])
        )

    def _compatible(self, args: ObjectStoreArgs) -> None:
        vendor = aws.Provider(
            self.child_name("provider"),
            region=args.region,
            access_key=self.access_key,
            secret_key=self.secret_key,
            endpoints=[aws.ProviderEndpointArgs(s3=args.endpoint)],
            s3_use_path_style=True,
            # Not AWS: no STS, no account id, no EC2 metadata, and vendor region names.
            skip_credentials_validation=True,
            skip_requesting_account_id=True,
            skip_metadata_api_check=True,
            skip_region_validation=True,
            opts=self.child_opts(),
        )
        self.bucket = aws.s3.Bucket(
            self.child_name("bucket"),
            bucket=args.bucket,
            force_destroy=not args.protect,
            opts=self.child_opts(protect=args.protect, provider=vendor),
        )
        opts = self.child_opts(provider=vendor)
        if args.public:
            aws.s3.BucketAcl(
                self.child_name("acl"), bucket=self.bucket.id, acl="public-read", opts=opts
            )
        self._cors(args, region=None, opts=opts)

    def _cors(
        self, args: ObjectStoreArgs, *, region: str | None, opts: pulumi.ResourceOptions
    ) -> None:
        if not args.cors_origins:
            return
        rule = aws.s3.BucketCorsConfigurationCorsRuleArgs(
            allowed_origins=list(args.cors_origins),
            allowed_methods=CORS_METHODS,
            allowed_headers=["*"],
            expose_headers=["ETag"],
            max_age_seconds=3600,
        )
        aws.s3.BucketCorsConfiguration(
            self.child_name("cors-rules"),
            bucket=self.bucket.id,
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


def _cloudfront_read(bucket_arn: str, distribution_arn: str) -> dict[str, object]:
    return {
        "Sid": "CloudFrontReadsThroughOAC",
        "Effect": "Allow",
        "Principal": {"Service": "cloudfront.amazonaws.com"},
        "Action": "s3:GetObject",
        "Resource": f"{bucket_arn}/*",
        "Condition": {"StringEquals": {"AWS:SourceArn": distribution_arn}},
    }


def _public_read(bucket_arn: str) -> dict[str, object]:
    return {"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": f"{bucket_arn}/*"}  # fmt: skip


def _policy(statements: list[dict[str, object]]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def _validate(args: ObjectStoreArgs) -> None:
    if args.provider not in PROVIDERS:
        raise ValueError(f"provider {args.provider!r} is not one of {', '.join(PROVIDERS)}")
    if args.provider == "s3_compatible":
        missing = [k for k in ("endpoint", "access_key", "secret_key") if getattr(args, k) is None]
        if missing:
            raise ValueError(f"{missing} required for provider 's3_compatible'")
        refused = [k for k in ("cdn", "versioning") if getattr(args, k)]
        if refused:
            raise ValueError(f"{refused} apply to provider 's3' only (CloudFront fronts AWS S3; "
                             "B2 versions objects itself and R2 has no versioning)")  # fmt: skip
    elif args.endpoint is not None:
        raise ValueError(f"endpoint {args.endpoint!r} applies to provider 's3_compatible' only")
