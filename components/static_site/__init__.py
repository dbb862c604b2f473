"""``StaticSite`` and its arguments: ``StaticSiteArgs(provider=CloudflarePages(...) | Vercel(...)
| RenderStatic(...) | S3CloudFront(...), ...)``.

The rule that matters here: importing this package imports no bridged SDK; a site imports only
its own host's backend (``_cloudflare``, ``_vercel``, ``_render``, ``_s3_cloudfront``), and each
backend imports only the arguments (``_args``), never the component.
"""

from __future__ import annotations

from paas_stacks.components.static_site._args import (
    CloudflarePages,
    RenderStatic,
    S3CloudFront,
    StaticSiteArgs,
    Vercel,
)
from paas_stacks.components.static_site._site import StaticSite

__all__ = [
    "CloudflarePages",
    "RenderStatic",
    "S3CloudFront",
    "StaticSite",
    "StaticSiteArgs",
    "Vercel",
]
