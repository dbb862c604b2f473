"""The S3 + CloudFront backend of ``StaticSite``: a private bucket served only through its own
CloudFront distribution.

The rule that matters here: the bucket is never public (``_cloudfront``: an origin access control
and a policy naming this one distribution). Pulumi neither builds nor uploads the site: CI runs
the build with the site's ``build_env``, then ``aws s3 sync <output_dir> s3://<bucket_name>
--delete`` and ``aws cloudfront create-invalidation --distribution-id <distribution_id>
--paths '/*'``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
from paas_stacks.components.domain import DnsTarget
from paas_stacks.components.static_site._args import S3CloudFront, StaticSiteArgs

__all__ = ["CdnSite", "serve"]

ORIGIN_ID = "s3"
#: CloudFront accepts only certificates from ACM in us-east-1, whatever the bucket's region.
CERTIFICATE_REGION = "us-east-1"
#: S3 allows 37 characters of ``bucket_prefix`` (63 minus the 26 Pulumi/AWS append).
BUCKET_PREFIX_MAX = 37
#: The bucket policy statement's id (a changed one would rewrite deployed policies).
READ_SID = "CloudFrontReadsThroughOriginAccessControl"


@dataclass
class CdnSite:
    """The resources of one site; ``attach_domain`` checks a hostname against the aliases."""

    site_name: str
    bucket: aws.s3.Bucket
    distribution: aws.cloudfront.Distribution
    certificate: aws.acm.Certificate | None
    aliases: tuple[str, ...]

    @property
    def host(self) -> pulumi.Output[str]:
        return self.distribution.domain_name

    @property
    def bucket_name(self) -> pulumi.Output[str]:
        return self.bucket.bucket

    @property
    def distribution_id(self) -> pulumi.Output[str]:
        return self.distribution.id

    @property
    def certificate_validation_records(self) -> pulumi.Output[list[dict[str, str]]] | None:
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

    def attach_domain(self, hostname: str, parent: pulumi.Resource) -> DnsTarget:
        """A CNAME to the distribution; ``hostname`` must be one of the declared aliases."""
        del parent  # the aliases and the certificate are declared with the distribution
        if hostname not in self.aliases:
            raise ValueError(
                f"hostname {hostname!r} is not an alias of this s3_cloudfront site "
                f"(aliases: {list(self.aliases)}); CloudFront serves only the hostnames its "
                "certificate and aliases name, so list it in S3CloudFront(aliases=...)"
            )
        step = None
        if self.certificate is not None:
            step = (
                f"create the ACM validation records of StaticSite {self.site_name!r} "
                "(certificate_validation_records, also printed during `pulumi up`); "
                "CloudFront serves the hostname once ACM has issued the certificate"
            )
        return DnsTarget(type="CNAME", content=self.distribution.domain_name, manual_step=step)


def serve(site: Component, args: StaticSiteArgs, env: Mapping[str, pulumi.Input[str]]) -> CdnSite:
    """The bucket, its distribution and policy (and a certificate for aliases without one)."""
    del env  # CI builds the site with ``build_env``
    provider = args.provider
    if not isinstance(provider, S3CloudFront):
        raise TypeError(f"the S3 + CloudFront backend serves S3CloudFront, not {provider!r}")
    bucket, guards = _private_bucket(site, args.name, args.protect)
    reader = f"{args.name}'s bucket"
    certificate, certificate_arn = None, provider.certificate_arn
    if provider.aliases and certificate_arn is None:
        certificate, certificate_arn = _certificate(site, provider.aliases)
    distribution = aws.cloudfront.Distribution(
        site.child_name("cdn"),
        enabled=True,
        comment=args.name,
        aliases=list(provider.aliases) or None,
        default_root_object="index.html",
        http_version="http2and3",
        is_ipv6_enabled=True,
        price_class=provider.price_class,
        origins=[s3_origin(site, ORIGIN_ID, bucket, args.name[:64], f"CloudFront reads {reader}")],
        default_cache_behavior=https_only_cached(ORIGIN_ID),
        custom_error_responses=_spa_fallback(),
        restrictions=anywhere(),
        viewer_certificate=_viewer_certificate(certificate_arn),
        opts=site.child_opts(),
    )
    aws.s3.BucketPolicy(
        site.child_name("bucket-policy"),
        bucket=bucket.id,
        policy=pulumi.Output.all(bucket.arn, distribution.arn).apply(
            lambda arns: bucket_policy([read_statement(arns[0], arns[1], READ_SID)])
        ),
        # S3 refuses concurrent changes to one bucket's access settings ("conflicting
        # conditional operation"), so the policy goes in after the access block.
        opts=site.child_opts(depends_on=guards),
    )
    name = site.pulumi_resource_name
    return CdnSite(name, bucket, distribution, certificate, tuple(provider.aliases))


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
