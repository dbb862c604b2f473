"""``StaticSite``: a frontend built from a repository into static files and served by a CDN, on
Cloudflare Pages, S3 + CloudFront, a Render static site or Vercel.

The rule that matters here: build-time variables (its own ``env`` plus what its links inject,
e.g. the API's ``URL`` renamed to ``VITE_API_BASE_URL``) end up inlined in a public bundle, so
they are configuration, never credentials; a link can never silently overwrite one of them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Protocol
from urllib.parse import urlparse

import pulumi

from paas_stacks._messages import choices
from paas_stacks.components._component import Component
from paas_stacks.components._static_cloudflare import CloudflarePages, GitSource
from paas_stacks.components._static_render import RenderStatic
from paas_stacks.components._static_s3_cloudfront import S3CloudFront
from paas_stacks.components._static_vercel import CNAME_TARGET, VercelProject
from paas_stacks.components.domain import DnsTarget
from paas_stacks.components.linking import Link, Linkable, resolve_links
from paas_stacks.errors import ArgsError
from paas_stacks.vendors.static import PLANS as STATIC_PLANS
from paas_stacks.vendors.static import Provider

__all__ = ["StaticSite", "StaticSiteArgs"]

PROVIDERS: tuple[str, ...] = tuple(STATIC_PLANS)
GIT_HOSTS = {"github.com": "github", "gitlab.com": "gitlab", "bitbucket.org": "bitbucket"}
#: The git hosts each builder can pull from (Render takes any https URL it has access to).
BUILDER_GIT = {
    "cloudflare_pages": ("github", "gitlab"),
    "vercel": ("github", "gitlab", "bitbucket"),
}
#: Pages project names (58 characters) and Vercel project names (100) are lower-case slugs.
NAME_PATTERN = r"^[a-z0-9]([a-z0-9-]{0,56}[a-z0-9])?$"
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: Cloudflare Pages and Render read the build's Node.js version from this variable.
NODE_VERSION_VAR = "NODE_VERSION"
NODE_VERSION_FROM_ENV = ("cloudflare_pages", "render_static")
#: The name suffix of the vendor-side domain a hosted site declares under the Domain.
DOMAIN_SUFFIX = {
    "cloudflare_pages": "pages-domain",
    "vercel": "vercel-domain",
    "render_static": "custom-domain",
}
PRICE_CLASSES = ("PriceClass_100", "PriceClass_200", "PriceClass_All")


@dataclass
class StaticSiteArgs:
    """Where the site is built and served, and what it is built with."""

    #: ``cloudflare_pages``, ``s3_cloudfront``, ``render_static`` or ``vercel``.
    provider: Provider
    #: The vendor-side name: Pages/Vercel project, Render service, bucket prefix.
    name: str
    #: The build, e.g. ``npm run build`` (S3 + CloudFront: CI runs it, see ``build_env``).
    build_command: pulumi.Input[str]
    #: The build's output directory, e.g. ``dist`` (Vercel + Next.js: ``.next``).
    output_dir: pulumi.Input[str]
    #: The https URL of the repository the vendor builds from; required for ``render_static``.
    repo: str | None = None
    #: The production branch.
    branch: pulumi.Input[str] = "main"
    #: The directory the build runs in (monorepos); the repository root when unset.
    root_dir: pulumi.Input[str] | None = None
    #: Vercel only: its framework preset, e.g. ``nextjs`` or ``vite``.
    framework: pulumi.Input[str] | None = None
    #: The build's Node.js version, e.g. ``18.x`` or ``20``.
    node_version: pulumi.Input[str] | None = None
    #: The vendor plan (recorded for cost checks; plans are per account, not per project).
    plan: str | None = None
    #: Build-time variables (public in the bundle: never secrets).
    env: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    #: Components whose variables are injected at build time, e.g. an API's URL.
    links: Sequence[Linkable | Link] = ()
    #: Cloudflare account id (else config ``cloudflareAccountId`` or ``cloudflare:accountId``).
    account_id: pulumi.Input[str] | None = None
    #: Vercel team id; default: the provider's ``vercel:team``.
    team_id: pulumi.Input[str] | None = None
    #: S3 + CloudFront: the custom hostnames the distribution (and its certificate) serve.
    aliases: Sequence[str] = ()
    #: S3 + CloudFront: an issued us-east-1 ACM certificate for ``aliases`` (else one is made).
    certificate_arn: pulumi.Input[str] | None = None
    #: S3 + CloudFront: which edge locations serve the site.
    price_class: str = "PriceClass_100"
    #: S3 + CloudFront: keep the bucket from deletion (production stacks).
    protect: bool = False


class _Hosted(Protocol):
    @property
    def host(self) -> pulumi.Output[str]: ...

    def attach(self, hostname: str, resource_name: str, parent: pulumi.Resource) -> None: ...


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
    def provides(args: StaticSiteArgs) -> tuple[str, ...]:
        """What a link to a static site injects: its public ``URL``."""
        del args
        return ("URL",)

    def __init__(
        self, name: str, args: StaticSiteArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        source = _check(args)
        env = _build_env(args)
        super().__init__(name, opts)
        self._kind = args.provider
        self.plan = args.plan
        self._hosted: _Hosted | None = None
        self._cdn: S3CloudFront | None = None
        self.bucket_name = self.distribution_id = self.certificate_validation_records = None
        if args.provider == "s3_cloudfront":
            self._cdn = S3CloudFront.create(self, args)
            self.host = self._cdn.host
            self.bucket_name = self._cdn.bucket.bucket
            self.distribution_id = self._cdn.distribution.id
            self.certificate_validation_records = self._cdn.validation_records()
        else:
            self._hosted = self._hosted_backend(args, source, env)
            self.host = self._hosted.host
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

    def _hosted_backend(
        self, args: StaticSiteArgs, source: GitSource | None, env: Mapping[str, pulumi.Input[str]]
    ) -> _Hosted:
        if args.provider == "cloudflare_pages":
            return CloudflarePages.create(self, args, source=source, env=env)
        if args.provider == "vercel":
            return VercelProject.create(self, args, source=source, env=env)
        return RenderStatic.create(self, args, env=env)

    def env(self) -> Mapping[str, pulumi.Output[str]]:
        """``URL``: what a link to a static site injects (``provides``)."""
        return {"URL": self.url}

    def attach_domain(self, hostname: str, parent: pulumi.Resource) -> DnsTarget:
        """Declare ``hostname`` on the vendor (children of ``parent``) and answer its record."""
        if self._cdn is not None:
            content = self._cdn.attach(hostname)
            step = None
            if self._cdn.certificate is not None:
                step = (
                    f"create the ACM validation records of StaticSite {self._name!r} "
                    "(certificate_validation_records, also printed during `pulumi up`); "
                    "CloudFront serves the hostname once ACM has issued the certificate"
                )
            return DnsTarget(type="CNAME", content=content, manual_step=step)
        if self._hosted is None:  # pragma: no cover - every other provider is hosted
            raise AssertionError(self._kind)
        suffix = DOMAIN_SUFFIX[self._kind]
        self._hosted.attach(hostname, f"{parent.pulumi_resource_name}-{suffix}", parent)
        if self._kind == "vercel":
            return DnsTarget(type="CNAME", content=CNAME_TARGET)
        return DnsTarget(type="CNAME", content=self._hosted.host)


def _check(args: StaticSiteArgs) -> GitSource | None:
    """The parsed repository, after checking every plain arg (one ``ValueError`` for all)."""
    problems: list[str] = []
    kind = args.provider
    if kind not in PROVIDERS:
        raise ValueError(f"static site {args.name!r}: provider: {choices(kind, PROVIDERS)}")
    if args.plan is not None and args.plan not in STATIC_PLANS[kind]:
        allowed = ", ".join(STATIC_PLANS[kind]) or "none (usage-based)"
        problems.append(f"plan: {args.plan!r} is not a {kind} plan; allowed: {allowed}")
    if kind in ("cloudflare_pages", "vercel") and not re.match(NAME_PATTERN, args.name):
        problems.append(f"name: {args.name!r} is not a lower-case slug of at most 58 characters")
    source, problem = _parse_repo(args.repo, kind)
    problems += [problem] if problem else []
    if kind == "render_static" and args.repo is None:
        problems.append("repo: a Render static site is built from a repository; give its URL")
    if kind != "s3_cloudfront" and (args.aliases or args.certificate_arn is not None):
        problems.append("aliases/certificate_arn: only for s3_cloudfront (others use Domain)")
    if args.certificate_arn is not None and not args.aliases:
        problems.append("certificate_arn: given without aliases to serve")
    if args.price_class not in PRICE_CLASSES:
        problems.append(f"price_class: {choices(args.price_class, PRICE_CLASSES)}")
    problems += [f"env: {k!r} is not a variable name" for k in args.env if not ENV_NAME.match(k)]
    if problems:
        raise ValueError(f"static site {args.name!r}: " + "; ".join(problems))
    return source


def _parse_repo(repo: str | None, kind: str) -> tuple[GitSource | None, str | None]:
    if repo is None:
        return None, None
    url = urlparse(repo)
    parts = [p for p in url.path.removesuffix(".git").split("/") if p]
    host = GIT_HOSTS.get(url.netloc.lower())
    if url.scheme != "https" or len(parts) < 2:
        return None, f"repo: {repo!r} is not https://<host>/<owner>/<name>"
    allowed = BUILDER_GIT.get(kind)
    if allowed is not None and host not in allowed:
        return None, f"repo: {kind} builds from {', '.join(allowed)} only, not {url.netloc!r}"
    return GitSource(host or url.netloc, "/".join(parts[:-1]), parts[-1]), None


def _build_env(args: StaticSiteArgs) -> dict[str, pulumi.Input[str]]:
    """Own variables + linked ones (renamed) + NODE_VERSION where the builder reads it."""
    env: dict[str, pulumi.Input[str]] = dict(args.env)
    if args.node_version is not None and args.provider in NODE_VERSION_FROM_ENV:
        if NODE_VERSION_VAR in env:
            raise ValueError(
                f"static site {args.name!r}: node_version and env {NODE_VERSION_VAR} both set "
                "the Node.js version; keep one"
            )
        env[NODE_VERSION_VAR] = args.node_version
    linked, problems = resolve_links(args.links, own=env)
    if problems:
        raise ArgsError(f"StaticSite {args.name!r}", [p.within("links") for p in problems])
    env.update(linked)
    return env


def _announce_validation(records: list[dict[str, str]]) -> None:
    for record in records:
        pulumi.log.info(
            f"ACM validation record (create it for the certificate to issue): "
            f"{record['name']} {record['type']} {record['value']}"
        )
