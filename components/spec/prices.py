"""The vendors' published prices, one row per price, each with the page it comes from and the
date that page was read.

The rule that matters here: a price that could not be checked against its page says so in its
row ("unconfirmed"), never looks as sure as one that was; ``tests/unit/test_cost.py`` fails if a
row lacks its page or its date. Fly.io's prices live in ``prices_fly.py`` (they vary by region).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "READ",
    "RENDER_COMPUTE",
    "RENDER_DISK",
    "RENDER_KEY_VALUE",
    "RENDER_POSTGRES",
    "RENDER_POSTGRES_STORAGE",
    "RENDER_WORKSPACE",
    "STATIC_HOSTING",
    "SUPABASE_BRANCH",
    "SUPABASE_COMPUTE",
    "SUPABASE_COMPUTE_CREDIT",
    "SUPABASE_PITR",
    "SUPABASE_PLANS",
    "SUPABASE_USAGE",
    "UPSTASH_REDIS",
    "UPSTASH_USAGE",
    "USAGE",
    "Price",
    "PriceTable",
]

#: The day the pages were last read again; older rows keep the month they were read.
READ = "2026-12-01"
EARLIER = "2025-11"
#: Why a corrected row changed, and how sure it is.
CORRECTED = (
    "was {was}; corrected from render.com/pricing as read in 2026-12; unconfirmed "
    "here: no stored copy of the Postgres table was found"
)


@dataclass(frozen=True)
class Price:
    """One price as ``source`` printed it on ``read`` (``YYYY-MM`` or ``YYYY-MM-DD``)."""

    usd: float
    source: str
    read: str
    #: What the figure covers, an assumption, or "unconfirmed: ..." when it could not be checked.
    note: str = ""
    unit: str = "month"


@dataclass(frozen=True)
class PriceTable:
    """The prices of one product, by plan (or size, or unit)."""

    product: str
    rows: Mapping[str, Price]

    def usd(self, key: str) -> float:
        return self.rows[key].usd

    def __contains__(self, key: object) -> bool:
        return key in self.rows


RENDER = "https://render.com/pricing"
RENDER_COMPUTE = PriceTable(
    "Render web services and background workers (per instance, billed per second)",
    {
        "free": Price(0, RENDER, EARLIER, "web services only; spins down when idle"),
        "starter": Price(7, RENDER, EARLIER),
        "standard": Price(25, RENDER, EARLIER),
        "pro": Price(85, RENDER, EARLIER),
        "pro_plus": Price(175, RENDER, EARLIER),
        "pro_max": Price(225, RENDER, EARLIER),
        "pro_ultra": Price(450, RENDER, EARLIER),
    },
)
RENDER_POSTGRES = PriceTable(
    "Render Postgres (instance; flexible plans bill storage apart)",
    {
        "free": Price(0, RENDER, EARLIER, "expires 30 days after creation"),
        "basic_256mb": Price(6, RENDER, EARLIER),
        "basic_1gb": Price(19, RENDER, EARLIER),
        "basic_4gb": Price(75, RENDER, EARLIER),
        "pro_4gb": Price(55, RENDER, EARLIER),
        "pro_8gb": Price(100, RENDER, EARLIER),
        "pro_16gb": Price(200, RENDER, EARLIER),
        "pro_32gb": Price(400, RENDER, EARLIER),
        "pro_64gb": Price(800, RENDER, EARLIER),
        "pro_128gb": Price(1700, RENDER, READ, CORRECTED.format(was=1600)),
        "pro_192gb": Price(2500, RENDER, READ, CORRECTED.format(was=2400)),
        "pro_256gb": Price(3000, RENDER, READ, CORRECTED.format(was=3200)),
        "pro_384gb": Price(4600, RENDER, READ, CORRECTED.format(was=4800)),
        "pro_512gb": Price(6200, RENDER, READ, CORRECTED.format(was=6400)),
        "accelerated_16gb": Price(160, RENDER, EARLIER),
        "accelerated_32gb": Price(350, RENDER, EARLIER),
        "accelerated_64gb": Price(750, RENDER, EARLIER),
        "accelerated_128gb": Price(1500, RENDER, EARLIER),
        "accelerated_256gb": Price(2500, RENDER, READ, CORRECTED.format(was=3000)),
        "accelerated_384gb": Price(4500, RENDER, EARLIER),
        "accelerated_512gb": Price(6000, RENDER, EARLIER),
        "accelerated_768gb": Price(9000, RENDER, EARLIER),
        "accelerated_1024gb": Price(11000, RENDER, READ, CORRECTED.format(was=12000)),
        # Legacy plans (storage included), still billed for databases created on them.
        "starter": Price(7, RENDER, EARLIER, "legacy; storage included"),
        "standard": Price(20, RENDER, EARLIER, "legacy; storage included"),
        "pro": Price(95, RENDER, EARLIER, "legacy; storage included"),
        "pro_plus": Price(185, RENDER, EARLIER, "legacy; storage included"),
    },
)
RENDER_DISK = Price(
    0.25,
    RENDER,
    READ,
    "persistent disks of web services, private services and workers; unconfirmed here: no "
    "stored copy of the disk row was found",
    unit="GB-month",
)
RENDER_POSTGRES_STORAGE = Price(
    0.30, RENDER, EARLIER, "flexible plans: at least 1 GB, then 5 GB steps", unit="GB-month"
)
RENDER_KEY_VALUE = PriceTable(
    "Render Key Value",
    {
        "free": Price(0, RENDER, EARLIER, "memory only: loses its data on restart"),
        "starter": Price(10, RENDER, EARLIER),
        "standard": Price(32, RENDER, EARLIER),
        "pro": Price(135, RENDER, EARLIER),
        "pro_plus": Price(250, RENDER, EARLIER),
    },
)
#: ``scale`` and ``enterprise`` have no row: no price for them could be confirmed.
RENDER_WORKSPACE = PriceTable(
    "Render workspace plan (per workspace, apart from its instances)",
    {
        "hobby": Price(0, "https://render.com/docs/team-members", READ, "a new account's plan"),
        "pro": Price(
            25,
            RENDER,
            READ,
            "needed for horizontal autoscaling; as the pricing page read in 2026-12; unconfirmed "
            "here whether it is per seat (ASSUMPTION: one seat)",
        ),
    },
)

SUPABASE = "https://supabase.com/pricing"
SUPABASE_COMPUTE_PAGE = "https://supabase.com/docs/guides/platform/compute-add-ons"
SUPABASE_PLANS = PriceTable(
    "Supabase plan (per organization; paid plans include $10/month of compute credits)",
    {
        "free": Price(0, SUPABASE, EARLIER, "projects pause after 1 week of inactivity"),
        "pro": Price(25, SUPABASE, EARLIER),
        "team": Price(599, SUPABASE, EARLIER),
    },
)
#: Credits a paid organization gets each month against its projects' compute, once per org.
SUPABASE_COMPUTE_CREDIT = Price(10, SUPABASE, EARLIER, "once per paid organization")
SUPABASE_COMPUTE = PriceTable(
    "Supabase compute add-on (per project, billed per hour)",
    {
        "nano": Price(0, SUPABASE_COMPUTE_PAGE, EARLIER, "free-plan projects only"),
        "micro": Price(10, SUPABASE_COMPUTE_PAGE, READ, "$0.01344/hour (the stored docs)"),
        "small": Price(15, SUPABASE_COMPUTE_PAGE, EARLIER),
        "medium": Price(60, SUPABASE_COMPUTE_PAGE, EARLIER),
        "large": Price(110, SUPABASE_COMPUTE_PAGE, EARLIER),
        "xlarge": Price(210, SUPABASE_COMPUTE_PAGE, EARLIER),
        "2xlarge": Price(410, SUPABASE_COMPUTE_PAGE, EARLIER),
        "4xlarge": Price(960, SUPABASE_COMPUTE_PAGE, EARLIER),
        "8xlarge": Price(1870, SUPABASE_COMPUTE_PAGE, EARLIER),
        "12xlarge": Price(2800, SUPABASE_COMPUTE_PAGE, EARLIER),
        "16xlarge": Price(3730, SUPABASE_COMPUTE_PAGE, EARLIER),
    },
)
SUPABASE_BRANCHING_PAGE = "https://supabase.com/docs/guides/deployment/branching"
_UNCONFIRMED_HOURLY = "unconfirmed here: the page's hourly figure, not in the stored copy"
#: A branch is billed for its compute by the hour, at the compute add-on's hourly price, while
#: it exists (the organization's plan fee and credit are the parent project's).
SUPABASE_BRANCH = PriceTable(
    "Supabase branch compute (per branch, billed per hour)",
    {
        "micro": Price(0.01344, SUPABASE_BRANCHING_PAGE, READ, "the stored docs", unit="hour"),
        "small": Price(0.0206, SUPABASE_COMPUTE_PAGE, READ, _UNCONFIRMED_HOURLY, unit="hour"),
        "medium": Price(0.0822, SUPABASE_COMPUTE_PAGE, READ, _UNCONFIRMED_HOURLY, unit="hour"),
        "large": Price(0.1517, SUPABASE_COMPUTE_PAGE, READ, _UNCONFIRMED_HOURLY, unit="hour"),
        "xlarge": Price(0.2877, SUPABASE_COMPUTE_PAGE, READ, _UNCONFIRMED_HOURLY, unit="hour"),
        "2xlarge": Price(0.562, SUPABASE_COMPUTE_PAGE, READ, _UNCONFIRMED_HOURLY, unit="hour"),
    },
)
#: Hours a month is priced at (365 * 24 / 12).
HOURS_PER_MONTH = 730
SUPABASE_PITR = PriceTable(
    "Supabase point-in-time recovery add-on (by retention days)",
    {days: Price(usd, SUPABASE, EARLIER) for days, usd in (("7", 100), ("14", 200), ("28", 400))},
)
SUPABASE_USAGE = PriceTable(
    "Supabase usage beyond a paid plan's quota",
    {
        "disk": Price(
            0.125,
            "https://supabase.com/changelog",
            READ,
            "provisioned disk beyond 8 GB per project (billing by provisioned disk since "
            "2024-08-26)",
            unit="GB-month",
        ),
    },
)

UPSTASH = "https://upstash.com/pricing/redis"
UPSTASH_DOCS = "https://upstash.com/docs/redis/overall/billing"
UPSTASH_REDIS = PriceTable(
    "Upstash Redis (per database)",
    {
        "free": Price(0, UPSTASH_DOCS, READ, "one per account; 500K commands a month"),
        "payg": Price(0, UPSTASH_DOCS, READ, "no fixed fee: billed per command"),
        "fixed_250mb": Price(10, UPSTASH, EARLIER),
        "fixed_1gb": Price(20, UPSTASH, EARLIER, "unconfirmed: as remembered from the 2025 page"),
        "fixed_5gb": Price(100, UPSTASH, EARLIER, "unconfirmed: as remembered from the 2025 page"),
        "fixed_10gb": Price(200, UPSTASH, EARLIER, "unconfirmed: as remembered, 2025 page"),
        "fixed_50gb": Price(400, UPSTASH, EARLIER, "unconfirmed: as remembered, 2025 page"),
        "fixed_100gb": Price(800, UPSTASH, EARLIER, "unconfirmed: as remembered, 2025 page"),
        "fixed_500gb": Price(1500, UPSTASH, EARLIER, "unconfirmed: as remembered, 2025 page"),
    },
)
UPSTASH_USAGE = PriceTable(
    "Upstash Redis pay-as-you-go usage",
    {
        "commands": Price(
            0.20,
            UPSTASH_DOCS,
            READ,
            "no monthly cap since December 2024: only budget_usd bounds it",
            unit="100K commands",
        ),
        "storage": Price(0.25, UPSTASH_DOCS, READ, "first 1 GB free", unit="GB-month"),
    },
)

STATIC_HOSTING = PriceTable(
    "Static frontends (per project or team)",
    {
        "vercel:hobby": Price(0, "https://vercel.com/pricing", EARLIER, "non-commercial use"),
        "vercel:pro": Price(20, "https://vercel.com/pricing", EARLIER, "per member per month"),
        "cloudflare_pages:free": Price(0, "https://pages.cloudflare.com", EARLIER),
        "render_static:free": Price(0, RENDER, EARLIER),
    },
)
USAGE = PriceTable(
    "Object storage and CDNs (usage only)",
    {
        "s3": Price(
            0.023,
            "https://aws.amazon.com/s3/pricing",
            EARLIER,
            "S3 Standard, first 50 TB; requests billed apart",
            unit="GB-month",
        ),
        "cloudfront": Price(
            0,
            "https://aws.amazon.com/cloudfront/pricing",
            EARLIER,
            "free tier: 1 TB out and 10M requests a month",
            unit="month",
        ),
        "s3_compatible": Price(
            6.95,
            "https://www.backblaze.com/cloud-storage/pricing",
            READ,
            "Backblaze B2, since 2026-05-01, API calls free, egress free up to 3x storage (was "
            "$6); unconfirmed here: the stored Backblaze pages found still show $0.005/GB",
            unit="TB-month",
        ),
    },
)
