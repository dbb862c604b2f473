"""Static frontends (Cloudflare Pages, S3 + CloudFront, Render static sites, Vercel), custom
domains and secret sets.

The rule that matters here: secret VALUES never appear in a stack's environment object; a secret
set either generates a value (rotated by bumping ``version``) or names the config key that
``pulumi config set --secret paas-stacks:<key>`` filled.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from paas_stacks.components.spec.common import ConfigKey, EnvName, EnvVars, Links, Name, Spec

StaticProvider = Literal["cloudflare_pages", "s3_cloudfront", "render_static", "vercel"]
#: The plans a frontend provider sells; S3 + CloudFront has none (usage only).
STATIC_PLANS: dict[str, tuple[str, ...]] = {
    "cloudflare_pages": ("free",),
    "render_static": ("free",),
    "vercel": ("hobby", "pro"),
    "s3_cloudfront": (),
}
HOSTNAME_PATTERN = r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
Hostname = Annotated[str, Field(pattern=HOSTNAME_PATTERN, max_length=253)]


class StaticSiteSpec(Spec):
    """A frontend built from a repository into static files (or Vercel's Next.js build)."""

    provider: StaticProvider
    #: Vercel: ``hobby`` or ``pro``; Cloudflare Pages and Render static sites: ``free``.
    plan: Literal["free", "hobby", "pro"] | None = None
    repo: Annotated[str, Field(pattern=r"^https://\S+$")] | None = None
    branch: str = "main"
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


class GeneratedSecret(Spec):
    """Random bytes drawn once and kept in state; bump ``version`` to rotate."""

    #: Bytes of randomness (``openssl rand -hex 32`` draws 32 bytes: 64 hex characters).
    bytes: int = Field(default=32, ge=16, le=128)
    encoding: Literal["hex", "base64", "urlsafe"] = "hex"
    version: int = Field(default=1, ge=1)


class GithubMirror(Spec):
    """Copy the set's secrets (and linked values) into a repository's Actions secrets."""

    repository: Annotated[str, Field(pattern=r"^[\w.-]+/[\w.-]+$")]
    links: Links = ()


class SecretSetSpec(Spec):
    """Named secrets for services: generated ones and ones taken from stack config."""

    generated: dict[EnvName, GeneratedSecret] = Field(default_factory=dict)
    #: Env var name -> config key set with ``pulumi config set --secret paas-stacks:<key>``.
    from_config: dict[EnvName, ConfigKey] = Field(default_factory=dict)
    github: GithubMirror | None = None
