"""``StaticSite``: a frontend built from a repository into static files and served by a CDN, on
Cloudflare Pages, Vercel, a Render static site or S3 + CloudFront.

The rule that matters here: build-time variables (its own ``env`` plus what its links inject,
e.g. the API's ``URL`` renamed to ``VITE_API_BASE_URL``) end up inlined in a public bundle, so
they are configuration, never credentials; a link can never silently overwrite one of them.
Only the chosen host's backend is imported (a Render static site never loads the AWS, Cloudflare
or Vercel SDKs, which take seconds).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import ClassVar, Protocol, cast

import pulumi

from paas_stacks.components._args import raise_problems
from paas_stacks.components._component import Component
from paas_stacks.components._extras import import_backend
from paas_stacks.components.domain import DnsTarget
from paas_stacks.components.linking import resolve_links
from paas_stacks.components.static_site._args import (
    ACCOUNT_MISSING,
    HOSTS,
    CloudflarePages,
    S3CloudFront,
    StaticSiteArgs,
    own_env,
    site_problems,
)
from paas_stacks.errors import Problem
from paas_stacks.vendors import static

__all__ = ["BACKENDS", "Backend", "CdnBackend", "StaticSite"]

_HERE = "paas_stacks.components.static_site"
#: Each host's backend module (it has ``serve(site, args, env)``) and the SDK it imports.
BACKENDS: dict[static.Provider, tuple[str, str | None]] = {
    "cloudflare_pages": (f"{_HERE}._cloudflare", "pulumi_cloudflare"),
    "vercel": (f"{_HERE}._vercel", "pulumiverse_vercel"),
    "render_static": (f"{_HERE}._render", None),
    "s3_cloudfront": (f"{_HERE}._s3_cloudfront", "pulumi_aws"),
}


class Backend(Protocol):
    """What a host's resources give the component."""

    @property
    def host(self) -> pulumi.Output[str]:
        """The vendor's hostname for the site, the CNAME target of custom domains."""
        ...

    def attach_domain(self, hostname: str, parent: pulumi.Resource) -> DnsTarget:
        """Declare ``hostname`` on the vendor (children of ``parent``) and answer its record."""
        ...


class CdnBackend(Backend, Protocol):
    """S3 + CloudFront: what CI needs to upload and invalidate, and ACM's records."""

    bucket_name: pulumi.Output[str]
    distribution_id: pulumi.Output[str]
    certificate_validation_records: pulumi.Output[list[dict[str, str]]] | None


Serve = Callable[[Component, StaticSiteArgs, Mapping[str, pulumi.Input[str]]], Backend]


class StaticSite(Component):
    """A built frontend behind a CDN; linkable (``URL``) and a target for custom domains."""

    type_name: ClassVar[str] = "StaticSite"

    #: ``https://`` + the vendor's hostname for the site.
    url: pulumi.Output[str]
    #: The vendor's hostname, the CNAME target of custom domains.
    host: pulumi.Output[str]
    #: Every build-time variable, secret (CI builds the S3 + CloudFront site with it).
    build_env: pulumi.Output[dict[str, str]]
    #: S3 + CloudFront only: where CI uploads ``output_dir`` and what it invalidates.
    bucket_name: pulumi.Output[str] | None
    distribution_id: pulumi.Output[str] | None
    #: S3 + CloudFront with ``aliases`` and no ``certificate_arn``: ACM's DNS records.
    certificate_validation_records: pulumi.Output[list[dict[str, str]]] | None
    #: The vendor plan the site was declared with (``None`` for S3 + CloudFront).
    plan: str | None

    @staticmethod
    def problems(args: StaticSiteArgs) -> list[Problem]:
        """Everything wrong with ``args`` (links aside), locs relative to the args."""
        return site_problems(args)

    @staticmethod
    def provides(args: StaticSiteArgs) -> tuple[str, ...]:
        """What a link to a static site injects: its public ``URL``."""
        del args
        return ("URL",)

    def __init__(
        self, name: str, args: StaticSiteArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        label = f"StaticSite {name!r}"
        problems = self.problems(args)
        if not isinstance(args.provider, tuple(HOSTS.values())):
            raise_problems(label, problems)  # not a host: none of the rest can be read
        env = own_env(args)
        linked, link_problems = resolve_links(args.links, own=env)
        problems += [p.within("links") for p in link_problems]
        raise_problems(label, problems + _program_problems(args))
        kind = args.provider.kind
        module, sdk = BACKENDS[kind]
        serve = cast(Serve, import_backend(module, sdk, label, f"provider {kind}").serve)
        super().__init__(name, opts)
        env.update(linked)
        self.plan = None if isinstance(args.provider, S3CloudFront) else args.provider.plan
        self._backend = serve(self, args, env)
        self.host = self._backend.host
        self.bucket_name = self.distribution_id = self.certificate_validation_records = None
        if isinstance(args.provider, S3CloudFront):
            cdn = cast(CdnBackend, self._backend)
            self.bucket_name = cdn.bucket_name
            self.distribution_id = cdn.distribution_id
            self.certificate_validation_records = cdn.certificate_validation_records
        self.url = self.host.apply(lambda host: f"https://{host}")
        # ``Output.all()`` of nothing is a list, so an empty env is spelled out.
        resolved = pulumi.Output.all(**env) if env else pulumi.Output.from_input({})
        self.build_env = pulumi.Output.secret(resolved)
        if self.certificate_validation_records is not None:
            self.certificate_validation_records.apply(_announce_validation)
        self.register_outputs(
            {
                "url": self.url,
                "host": self.host,
                "build_env": self.build_env,
                "bucket_name": self.bucket_name,
                "distribution_id": self.distribution_id,
                "certificate_validation_records": self.certificate_validation_records,
            }
        )

    def env(self) -> Mapping[str, pulumi.Output[str]]:
        """``URL``: what a link to a static site injects (``provides``)."""
        return {"URL": self.url}

    def attach_domain(self, hostname: str, parent: pulumi.Resource) -> DnsTarget:
        """``DomainTarget``: the host declares ``hostname`` and answers the record it needs."""
        return self._backend.attach_domain(hostname, parent)


def _program_problems(args: StaticSiteArgs) -> list[Problem]:
    """What only a running program knows: whether stack config holds the Pages account id."""
    provider = args.provider
    if isinstance(provider, CloudflarePages) and provider.account() is None:
        return [Problem(("provider", "account_id"), ACCOUNT_MISSING)]
    return []


def _announce_validation(records: list[dict[str, str]]) -> None:
    for record in records:
        pulumi.log.info(
            f"ACM validation record (create it for the certificate to issue): "
            f"{record['name']} {record['type']} {record['value']}"
        )
