"""The static-frontend hosts' words: which providers serve a built site and the plans each sells.

The rule that matters here: plans are per account or team, not per site, and S3 + CloudFront
has none (usage only), so each host has its own plan type, and its default is the one plan a
site gets when none is declared, from Python and from a stack file alike.
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = [
    "BRIDGED",
    "DEFAULT_PLANS",
    "PAGES_DEFAULT_PLAN",
    "PLANS",
    "PRICE_CLASSES",
    "PROVIDERS",
    "RENDER_STATIC_DEFAULT_PLAN",
    "VERCEL_DEFAULT_PLAN",
    "PagesPlan",
    "PriceClass",
    "Provider",
    "RenderStaticPlan",
    "SitePlan",
    "VercelPlan",
]

Provider = Literal["cloudflare_pages", "s3_cloudfront", "render_static", "vercel"]
PROVIDERS: tuple[Provider, ...] = get_args(Provider)
#: Cloudflare Pages: the free plan's limits apply per account (builds per month, sites).
PagesPlan = Literal["free"]
#: Render bills static sites nothing on every workspace plan.
RenderStaticPlan = Literal["free"]
#: Vercel: Hobby is for non-commercial use only; Pro is per member.
VercelPlan = Literal["hobby", "pro"]
#: Any host's plan, as a stack file writes it (checked against the host's own type).
SitePlan = Literal["free", "hobby", "pro"]
PLANS: dict[Provider, tuple[SitePlan, ...]] = {
    "cloudflare_pages": get_args(PagesPlan),
    "render_static": get_args(RenderStaticPlan),
    "vercel": get_args(VercelPlan),
    "s3_cloudfront": (),
}
PAGES_DEFAULT_PLAN: PagesPlan = "free"
RENDER_STATIC_DEFAULT_PLAN: RenderStaticPlan = "free"
VERCEL_DEFAULT_PLAN: VercelPlan = "hobby"
#: The plan a site gets when none is declared (the hosts' dataclasses default to these).
DEFAULT_PLANS: dict[Provider, SitePlan | None] = {
    "cloudflare_pages": PAGES_DEFAULT_PLAN,
    "render_static": RENDER_STATIC_DEFAULT_PLAN,
    "vercel": VERCEL_DEFAULT_PLAN,
    "s3_cloudfront": None,
}
#: CloudFront's edge-location sets, cheapest (North America and Europe) first.
PriceClass = Literal["PriceClass_100", "PriceClass_200", "PriceClass_All"]
PRICE_CLASSES: tuple[PriceClass, ...] = get_args(PriceClass)
#: Served by bridged Pulumi providers, whose plugins download from the internet.
BRIDGED: frozenset[Provider] = frozenset({"cloudflare_pages", "s3_cloudfront", "vercel"})
