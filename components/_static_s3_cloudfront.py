"""The ``s3_cloudfront`` backend of ``StaticSite``: a private bucket served only through its own
CloudFront distribution.

The rule that matters here: the bucket is never public. CloudFront reads it through an origin
access control, and the bucket policy allows ``s3:GetObject`` to that one distribution only.
Pulumi neither builds nor uploads the site: CI runs the build with the site's ``build_env``, then
``aws s3 sync <output_dir> s3://<bucket_name> --delete`` and
``aws cloudfront create-invalidation --distribution-id <distribution_id> --paths '/*'``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pulumi
import pulumi_aws as aws

from paas_stacks.components._component import Component

if TYPE_CHECKING:
    from paas_stacks.components.static_site import StaticSiteArgs

__all__ = ["CACHING_OPTIMIZED", "S3CloudFront"]

#: AWS managed cache policy "Managed-CachingOptimized" (the same id in every account).
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
ORIGIN_ID = "s3"
#: CloudFront accepts only certificates from ACM in us-east-1, whatever the bucket's region.
CERTIFICATE_REGION = "us-east-1"
#: S3 allows 37 characters of ``bucket_prefix`` (63 minus the 26 Pulumi/AWS append).
BUCKET_PREFIX_MAX = 37


@dataclass
class S3CloudFront:
    """The resources of one site; ``attach`` checks a hostname against the declared aliases."""

    bucket: aws.s3.Bucket
    distribution: aws.cloudfront.Distribution
    certificate: aws.acm.Certificate | None
    aliases: tuple[str, ...]

    @classmethod
    def create(cls, site: Component, args: StaticSiteArgs) -> S3CloudFront:
        bucket, guards = _private_bucket(site, args.name, args.protect)
        certificate, certificate_arn = None, args.certificate_arn
        if args.aliases and certificate_arn is None:
            certificate, certificate_arn = _certificate(site, args.aliases)
        distribution = aws.cloudfront.Distribution(
            site.child_name("cdn"),
            enabled=True,
            comment=args.name,
            aliases=list(args.aliases) or None,
            default_root_object="index.html",
            http_version="http2and3",
            is_ipv6_enabled=True,
            price_class=args.price_class,
            origins=[_origin(site, args.name, bucket)],
            default_cache_behavior=_https_only_cached(),
            custom_error_responses=_spa_fallback(),
            restrictions=aws.cloudfront.DistributionRestrictionsArgs(
                geo_restriction=aws.cloudfront.DistributionRestrictionsGeoRestrictionArgs(
                    restriction_type="none"
                )
            ),
            viewer_certificate=_viewer_certificate(certificate_arn),
            opts=site.child_opts(),
        )
        aws.s3.BucketPolicy(
            site.child_name("bucket-policy"),
            bucket=bucket.id,
            policy=pulumi.Output.all(bucket.arn, distribution.arn).apply(
                lambda arns: _read_policy(arns[0], arns[1])
            ),
            # S3 refuses concurrent changes to one bucket's access settings ("conflicting
            # conditional operation"), so the policy goes in after the access block.
            opts=site.child_opts(depends_on=guards),
        )
        return cls(bucket, distribution, certificate, tuple(args.aliases))

    @property
    def host(self) -> pulumi.Output[str]:
        return self.distribution.domain_name

    def attach(self, hostname: str) -> pulumi.Output[str]:
        """The CNAME content for ``hostname``, which must be one of the declared aliases."""
        if hostname not in self.aliases:
            raise ValueError(
                f"hostname {hostname!r} is not an alias of this s3_cloudfront site "
                f"(aliases: {list(self.aliases)}); CloudFront serves only the hostnames its "
                "certificate and aliases name, so list it in StaticSiteArgs.aliases"
            )
        return self.distribution.domain_name

    def validation_records(self) -> pulumi.Output[list[dict[str, str]]] | None:
        """The DNS records ACM needs before it issues the certificate (name, type, value)."""
        if self.certificate is None:
            return None
        return self.certificate.domain_validation_options.apply(
            lambda options: [
                {
                    "name": option.resource_record_name or "",
                    "type": option.resource_record_type or "",
                    "value": option.resource_record_value or "",
                }
                for option in options or []
            ]
        )


def _private_bucket(
    site: Component, name: str, protect: bool
) -> tuple[aws.s3.Bucket, list[pulumi.Resource]]:
    prefix = name[: BUCKET_PREFIX_MAX - 1].rstrip("-") + "-"
    bucket = aws.s3.Bucket(
        site.child_name("bucket"),
        bucket_prefix=prefix,
        # The files are CI's build output, reproducible from the repository; a preview stack
        # must be able to delete a bucket that still holds them. Production keeps it.
        force_destroy=not protect,
        opts=site.child_opts(protect=protect),
    )
    block = aws.s3.BucketPublicAccessBlock(
        site.child_name("public-access-block"),
        bucket=bucket.id,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
        opts=site.child_opts(),
    )
    ownership = aws.s3.BucketOwnershipControls(
        site.child_name("ownership"),
        bucket=bucket.id,
        rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
        opts=site.child_opts(depends_on=[block]),
    )
    return bucket, [block, ownership]


def _origin(
    site: Component, name: str, bucket: aws.s3.Bucket
) -> aws.cloudfront.DistributionOriginArgs:
    """The bucket as origin, read with SigV4-signed requests (origin access control)."""
    oac = aws.cloudfront.OriginAccessControl(
        site.child_name("oac"),
        name=name[:64],
        description=f"CloudFront reads {name}'s bucket",
        origin_access_control_origin_type="s3",
        signing_behavior="always",
        signing_protocol="sigv4",
        opts=site.child_opts(),
    )
    return aws.cloudfront.DistributionOriginArgs(
        origin_id=ORIGIN_ID,
        domain_name=bucket.bucket_regional_domain_name,
        origin_access_control_id=oac.id,
    )


def _https_only_cached() -> aws.cloudfront.DistributionDefaultCacheBehaviorArgs:
    """Plain HTTP is redirected; files are cached by AWS's managed "CachingOptimized"."""
    return aws.cloudfront.DistributionDefaultCacheBehaviorArgs(
        target_origin_id=ORIGIN_ID,
        viewer_protocol_policy="redirect-to-https",
        allowed_methods=["GET", "HEAD", "OPTIONS"],
        cached_methods=["GET", "HEAD"],
        cache_policy_id=CACHING_OPTIMIZED,
        compress=True,
    )


def _spa_fallback() -> list[aws.cloudfront.DistributionCustomErrorResponseArgs]:
    """A client-side router owns every path: S3 answers 403 (CloudFront may not list the
    bucket) or 404 for a route that is no file, and the app's index.html answers instead."""
    return [
        aws.cloudfront.DistributionCustomErrorResponseArgs(
            error_code=code,
            response_code=200,
            response_page_path="/index.html",
            error_caching_min_ttl=10,
        )
        for code in (403, 404)
    ]


def _certificate(
    site: Component, aliases: Sequence[str]
) -> tuple[aws.acm.Certificate, pulumi.Output[str]]:
    """A DNS-validated ACM certificate in us-east-1 and the ARN once ACM has issued it.

    ``CertificateValidation`` waits until the records in ``validation_records`` exist in DNS;
    the ``Domain`` component (or a person, for ``dns: none``) creates them.
    """
    certificate = aws.acm.Certificate(
        site.child_name("certificate"),
        region=CERTIFICATE_REGION,
        domain_name=aliases[0],
        subject_alternative_names=list(aliases[1:]) or None,
        validation_method="DNS",
        opts=site.child_opts(),
    )
    validation = aws.acm.CertificateValidation(
        site.child_name("certificate-validation"),
        region=CERTIFICATE_REGION,
        certificate_arn=certificate.arn,
        opts=site.child_opts(),
    )
    return certificate, validation.certificate_arn


def _viewer_certificate(
    certificate_arn: pulumi.Input[str] | None,
) -> aws.cloudfront.DistributionViewerCertificateArgs:
    if certificate_arn is None:
        return aws.cloudfront.DistributionViewerCertificateArgs(cloudfront_default_certificate=True)
    return aws.cloudfront.DistributionViewerCertificateArgs(
        acm_certificate_arn=certificate_arn,
        ssl_support_method="sni-only",
        minimum_protocol_version="TLSv1.2_2021",
    )


def _read_policy(bucket_arn: str, distribution_arn: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "CloudFrontReadsThroughOriginAccessControl",
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudfront.amazonaws.com"},
                    "Action": "s3:GetObject",
                    "Resource": f"{bucket_arn}/*",
                    "Condition": {"StringEquals": {"AWS:SourceArn": distribution_arn}},
                }
            ],
        }
    )
