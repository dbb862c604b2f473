"""What a static site declares: the build every host shares, and each host's own words
(``CloudflarePages(...)``, ``Vercel(...)``, ``RenderStatic(...)``, ``S3CloudFront(...)``).

The rule that matters here: each host's rules are written once, in its ``problems``, and run for
a site declared in Python and for one compiled from a stack file alike; a word one host does not
have cannot be given to it (the types differ), so nothing is silently ignored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, ClassVar
from urllib.parse import urlparse

import pulumi
from pydantic import Field

from paas_stacks._messages import show
from paas_stacks.components._args import field_problems
from paas_stacks.components._fields import CommitSha, EnvName, Hostname, RepoUrl
from paas_stacks.components.linking import Link, Linkable
from paas_stacks.errors import Problem
from paas_stacks.vendors import static

__all__ = [
    "ACCOUNT_MISSING",
    "HOSTS",
    "NODE_VERSION_VAR",
    "CloudflarePages",
    "GitSource",
    "Host",
    "NodeVersion",
    "RenderStatic",
    "S3CloudFront",
    "StaticSiteArgs",
    "Vercel",
    "own_env",
    "parse_repo",
    "site_problems",
]

#: ``18``, ``18.x`` or ``20.11.1``.
NodeVersion = Annotated[str, Field(pattern=r"^\d+(\.x|\.\d+)*$")]
GIT_HOSTS = {"github.com": "github", "gitlab.com": "gitlab", "bitbucket.org": "bitbucket"}
#: Pages project names (58 characters) and Vercel project names (100) are lower-case slugs.
SLUG = re.compile(r"^[a-z0-9]([a-z0-9-]{0,56}[a-z0-9])?$")
#: Cloudflare Pages and Render read the build's Node.js version from this variable.
NODE_VERSION_VAR = "NODE_VERSION"
ACCOUNT_MISSING = (
    "cloudflare_pages needs the Cloudflare account id: pass account_id, or run "
    "`pulumi config set --secret cloudflareAccountId <id>` (or cloudflare:accountId)"
)


@dataclass(frozen=True)
class GitSource:
    """``https://github.com/acme/web`` -> kind ``github``, owner ``acme``, name ``web``."""

    kind: str
    owner: str
    name: str


def parse_repo(repo: str) -> GitSource | None:
    """The repository's host kind, owner and name; None unless ``https://<host>/<owner>/<name>``."""
    url = urlparse(repo)
    parts = [part for part in url.path.removesuffix(".git").split("/") if part]
    if url.scheme != "https" or len(parts) < 2:  # an owner and a name
        return None
    kind = GIT_HOSTS.get(url.netloc.lower(), url.netloc)
    return GitSource(kind, "/".join(parts[:-1]), parts[-1])


@dataclass(frozen=True, kw_only=True)
class CloudflarePages:
    """A Cloudflare Pages project, built by Cloudflare from a GitHub or GitLab repository (or
    filled by ``wrangler pages deploy`` when no repository is given)."""

    kind: ClassVar[static.Provider] = "cloudflare_pages"
    #: Its build image reads ``NODE_VERSION``.
    reads_node_version_var: ClassVar[bool] = True

    #: The account's plan (recorded for cost checks; plans are per account, not per project).
    plan: static.PagesPlan = static.PAGES_DEFAULT_PLAN
    #: The account id; else config ``<project>:cloudflareAccountId`` (secret) or
    #: ``cloudflare:accountId``.
    account_id: pulumi.Input[str] | None = None

    def account(self) -> pulumi.Input[str] | None:
        """``account_id``, else the project's ``cloudflareAccountId``, else
        ``cloudflare:accountId`` (None when none is set); read inside a Pulumi program.

        The project key comes first: the bridged Cloudflare provider does not know
        ``accountId`` and its config check may reject unknown keys in its own namespace.
        """
        if self.account_id is not None:
            return self.account_id
        found: pulumi.Input[str] | None = pulumi.Config().get_secret("cloudflareAccountId")
        if found is None:
            found = pulumi.Config("cloudflare").get("accountId")
        return found

    def problems(self, site: StaticSiteArgs) -> list[Problem]:
        """What Pages cannot build as declared; locs are relative to the site's args."""
        found = _slug_name(site, self.kind) + _git_host(site, self.kind, ("github", "gitlab"))
        if site.commit is not None:
            found.append(
                Problem(
                    ("commit",),
                    "Cloudflare Pages builds its branch's head: the Cloudflare provider has no "
                    "deployment of a chosen commit; remove commit (set branch instead)",
                )
            )
        return found


@dataclass(frozen=True, kw_only=True)
class Vercel:
    """A Vercel project, built by Vercel from the linked repository (or deployed by the Vercel
    CLI / GitHub Action when no repository is given)."""

    kind: ClassVar[static.Provider] = "vercel"
    #: Vercel takes the Node.js version as a project setting, not a variable.
    reads_node_version_var: ClassVar[bool] = False

    #: The team's plan: ``hobby`` (non-commercial use only) or ``pro``.
    plan: static.VercelPlan = static.VERCEL_DEFAULT_PLAN
    #: The team; default: the provider's ``vercel:team``.
    team_id: pulumi.Input[str] | None = None
    #: Its framework preset, e.g. ``nextjs`` or ``vite``; detected by Vercel when unset.
    framework: pulumi.Input[str] | None = None

    def problems(self, site: StaticSiteArgs) -> list[Problem]:
        """What Vercel cannot build as declared; locs are relative to the site's args."""
        hosts = ("github", "gitlab", "bitbucket")
        found = _slug_name(site, self.kind) + _git_host(site, self.kind, hosts)
        if site.commit is not None and site.repo is None:
            found.append(
                Problem(("commit",), "Vercel deploys a commit of the linked repository; give repo")
            )
        return found


@dataclass(frozen=True, kw_only=True)
class RenderStatic:
    """A Render static site, built by Render from the repository and served from its CDN."""

    kind: ClassVar[static.Provider] = "render_static"
    reads_node_version_var: ClassVar[bool] = True

    #: Static sites are free on every Render workspace plan.
    plan: static.RenderStaticPlan = static.RENDER_STATIC_DEFAULT_PLAN

    def problems(self, site: StaticSiteArgs) -> list[Problem]:
        """A Render static site needs its repository."""
        if site.repo is not None:
            return []
        return [Problem(("repo",), "a Render static site is built from a repository; give its URL")]


@dataclass(frozen=True, kw_only=True)
class S3CloudFront:
    """A private S3 bucket served only through its own CloudFront distribution; CI builds the
    site with ``build_env`` and uploads ``output_dir`` to ``bucket_name``."""

    kind: ClassVar[static.Provider] = "s3_cloudfront"
    reads_node_version_var: ClassVar[bool] = False

    #: The custom hostnames the distribution (and its certificate) serve; a stack file gives
    #: the hostnames of the domains that target the site.
    aliases: Sequence[Hostname] = ()
    #: An issued us-east-1 ACM certificate for ``aliases``; else one is requested.
    certificate_arn: pulumi.Input[str] | None = None
    #: Which edge locations serve the site.
    price_class: static.PriceClass = "PriceClass_100"

    def problems(self, site: StaticSiteArgs) -> list[Problem]:
        """A certificate is only for the aliases it covers."""
        del site  # CI builds the site: nothing of the shared build is CloudFront's to judge
        if self.certificate_arn is None or self.aliases:
            return []
        return [Problem(("provider", "certificate_arn"), "given without aliases to serve")]


Host = CloudflarePages | Vercel | RenderStatic | S3CloudFront
#: Each host by the name a stack file gives it (``provider: vercel``).
HOSTS: dict[static.Provider, type[Host]] = {
    host.kind: host for host in (CloudflarePages, Vercel, RenderStatic, S3CloudFront)
}


@dataclass(frozen=True, kw_only=True)
class StaticSiteArgs:
    """Where the site is built and served, and what it is built with."""

    #: The vendor-side name: Pages/Vercel project, Render service, bucket prefix.
    name: str
    #: ``CloudflarePages(...)``, ``Vercel(...)``, ``RenderStatic(...)`` or ``S3CloudFront(...)``.
    provider: Host
    #: The build, e.g. ``npm run build`` (S3 + CloudFront: CI runs it, see ``build_env``).
    build_command: pulumi.Input[str]
    #: The build's output directory, e.g. ``dist`` (Vercel + Next.js: ``.next``).
    output_dir: pulumi.Input[str]
    #: The https URL of the repository the vendor builds from; required for ``RenderStatic``.
    repo: RepoUrl | None = None
    #: The production branch.
    branch: pulumi.Input[str] = "main"
    #: The commit to deploy (Vercel, Render static sites); unset: the branch's head.
    commit: CommitSha | None = None
    #: The directory the build runs in (monorepos); the repository root when unset.
    root_dir: pulumi.Input[str] | None = None
    #: The build's Node.js version, e.g. ``18.x`` or ``20``.
    node_version: NodeVersion | None = None
    #: Build-time variables (public in the bundle: never secrets).
    env: Mapping[EnvName, pulumi.Input[str]] = field(default_factory=dict)
    #: Components whose variables are injected at build time, e.g. an API's URL.
    links: Sequence[Link | Linkable] = ()
    #: Keep the data from deletion (S3 + CloudFront: the bucket): production stacks.
    protect: bool = False


def site_problems(args: StaticSiteArgs) -> list[Problem]:
    """Every problem of a site's arguments (links aside), locs relative to the args."""
    if not isinstance(args.provider, CloudflarePages | Vercel | RenderStatic | S3CloudFront):
        return [
            Problem(
                ("provider",),
                "must be CloudflarePages(...), Vercel(...), RenderStatic(...) or "
                f"S3CloudFront(...); got {show(args.provider)}",
            )
        ]
    found = field_problems(args)
    if args.repo is not None and parse_repo(args.repo) is None and not _at(found, "repo"):
        found.append(Problem(("repo",), f"{args.repo!r} is not https://<host>/<owner>/<name>"))
    if (
        args.provider.reads_node_version_var
        and args.node_version is not None
        and NODE_VERSION_VAR in args.env
    ):
        found.append(
            Problem(
                ("node_version",),
                f"node_version and env {NODE_VERSION_VAR} both set the Node.js version; keep one",
            )
        )
    if _at(found, "provider") or _at(found, "repo"):
        return found  # the host's rules read these fields: only once they are well formed
    return found + args.provider.problems(args)


def own_env(args: StaticSiteArgs) -> dict[str, pulumi.Input[str]]:
    """The site's own variables, plus ``NODE_VERSION`` where the builder reads it."""
    env: dict[str, pulumi.Input[str]] = dict(args.env)
    if args.node_version is not None and args.provider.reads_node_version_var:
        env.setdefault(NODE_VERSION_VAR, args.node_version)
    return env


def _at(found: list[Problem], key: str) -> bool:
    return any(problem.loc[:1] == (key,) for problem in found)


def _slug_name(site: StaticSiteArgs, kind: str) -> list[Problem]:
    if SLUG.match(site.name):
        return []
    lead = f"{site.name!r} is not a lower-case slug of at most 58 characters"
    return [Problem(("name",), f"{lead} ({kind} project names)")]


def _git_host(site: StaticSiteArgs, kind: str, allowed: tuple[str, ...]) -> list[Problem]:
    if site.repo is None:
        return []
    source = parse_repo(site.repo)
    if source is None or source.kind in allowed:
        return []
    host = urlparse(site.repo).netloc
    return [Problem(("repo",), f"{kind} builds from {', '.join(allowed)} only, not {host!r}")]
