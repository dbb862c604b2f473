"""Static frontends (Cloudflare Pages, S3 + CloudFront, Render static sites, Vercel), custom
domains and secret sets.

The rule that matters here: secret VALUES never appear in a stack's environment object; a secret
set either generates a value (rotated by bumping ``version``) or names the config key that
``pulumi config set --secret paas-stacks:<key>`` filled.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from paas_stacks.components._fields import (
    CommitSha,
    ConfigKey,
    EnvName,
    Generate,
    Hostname,
    Name,
    Repository,
    RepoUrl,
)
from paas_stacks.components.spec.common import EnvVars, Links, Spec
from paas_stacks.vendors import static

__all__ = ["DomainSpec", "EnvGroupSpec", "GithubMirrorSpec", "SecretSetSpec", "StaticSiteSpec"]


class StaticSiteSpec(Spec):
    """A frontend built from a repository into static files (or Vercel's Next.js build)."""

    #: Where the site is served: ``cloudflare_pages``, ``s3_cloudfront``, ``render_static``
    #: or ``vercel``.
    provider: static.Provider
    #: Vercel: ``hobby`` or ``pro``; Cloudflare Pages and Render static sites: ``free``.
    plan: static.SitePlan | None = None
    repo: RepoUrl | None = None
    branch: str = "main"
    #: Vercel and Render static sites of another repository: the commit to deploy.
    commit: CommitSha | None = None
    root_dir: str | None = None
    build_command: str
    output_dir: str
    framework: str | None = None
    node_version: Annotated[str, Field(pattern=r"^\d+(\.x|\.\d+)*$")] | None = None
    #: Build-time variables (Vite inlines ``VITE_*`` into the bundle, so never secrets).
    env: EnvVars = Field(default_factory=dict)
    links: Links = ()


class DomainSpec(Spec):
    """A custom hostname on a web service or static site, with its DNS record on Cloudflare."""

    hostname: Hostname
    #: The web service or static site that answers on it.
    target: Name
    dns: Literal["cloudflare", "none"] = "cloudflare"
    #: The Cloudflare zone; defaults to the hostname's last two labels.
    zone: Hostname | None = None
    proxied: bool = False


class GithubMirrorSpec(Spec):
    """Copy the set's secrets (and linked values) into a repository's Actions secrets."""

    repository: Repository
    links: Links = ()


class EnvGroupSpec(Spec):
    """Variables several services share (a Blueprint's ``envVarGroups``): a service that links
    the group gets them all; on Render it joins one Render environment group."""

    #: Plain values, e.g. ``{LOG_LEVEL: info}`` (kept secret, as Render keeps a group's).
    env: EnvVars = Field(default_factory=dict)
    #: Env var name -> how to generate it (``generateValue: true``).
    generated: dict[EnvName, Generate] = Field(default_factory=dict)
    #: Components whose variables the group holds too: a secret set (config values), a database.
    links: Links = ()


class SecretSetSpec(Spec):
    """Named secrets for services: generated ones and ones taken from stack config."""

    generated: dict[EnvName, Generate] = Field(default_factory=dict)
    #: Env var name -> config key set with ``pulumi config set --secret paas-stacks:<key>``.
    from_config: dict[EnvName, ConfigKey] = Field(default_factory=dict)
    github: GithubMirrorSpec | None = None
