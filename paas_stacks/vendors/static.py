"""The static-frontend hosts' words: which providers serve a built site and the plans each sells.

The rule that matters here: plans are per account or team, not per site, and S3 + CloudFront
has none (usage only), so a plan is checked against its own provider's list.
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = ["BRIDGED", "DEFAULT_PLANS", "PLANS", "PROVIDERS", "Provider", "SitePlan"]

Provider = Literal["cloudflare_pages", "s3_cloudfront", "render_static", "vercel"]
PROVIDERS: tuple[Provider, ...] = get_args(Provider)
SitePlan = Literal["free", "hobby", "pro"]
PLANS: dict[Provider, tuple[SitePlan, ...]] = {
    "cloudflare_pages": ("free",),
    "render_static": ("free",),
    "vercel": ("hobby", "pro"),
    "s3_cloudfront": (),
}
DEFAULT_PLANS: dict[Provider, SitePlan | None] = {
    "cloudflare_pages": "free",
    "render_static": "free",
    "vercel": "hobby",
    "s3_cloudfront": None,
}
#: Served by bridged Pulumi providers, whose plugins download from the internet.
BRIDGED: frozenset[Provider] = frozenset({"cloudflare_pages", "s3_cloudfront", "vercel"})
