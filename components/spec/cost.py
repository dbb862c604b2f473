"""Monthly cost of an environment: each component's plan priced from the vendor's price page.

The rule that matters here: every figure comes from a table that cites its page and the date it
was read, and anything billed by usage is priced at its fixed part ($0) with a note saying so,
never guessed; autoscaling and spending caps give a separate upper bound.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from paas_stacks.components.spec import (
    EnvironmentSpec,
    FlyServiceSpec,
    ObjectStoreSpec,
    RenderKeyValueSpec,
    RenderPostgresSpec,
    RenderServiceSpec,
    StaticSiteSpec,
    SupabasePostgresSpec,
    UpstashRedisSpec,
)
from paas_stacks.vendors import fly


@dataclass(frozen=True)
class PriceTable:
    """USD per month by plan, as printed on ``url`` when it was read on ``read``."""

    product: str
    url: str
    read: str
    usd: Mapping[str, float]
    note: str = ""


RENDER_COMPUTE = PriceTable(
    "Render web services and background workers (per instance)",
    "https://render.com/pricing",
    "2025-11",
    {
        "free": 0,
        "starter": 7,
        "standard": 25,
        "pro": 85,
        "pro_plus": 175,
        "pro_max": 225,
        "pro_ultra": 450,
    },
)
RENDER_POSTGRES = PriceTable(
    "Render Postgres (instance; flexible plans bill storage apart at $0.30/GB-month)",
    "https://render.com/pricing#postgres",
    "2025-11",
    {
        "free": 0,
        "basic_256mb": 6,
        "basic_1gb": 19,
        "basic_4gb": 75,
        "pro_4gb": 55,
        "pro_8gb": 100,
        "pro_16gb": 200,
        "pro_32gb": 400,
        "pro_64gb": 800,
        "pro_128gb": 1600,
        "pro_192gb": 2400,
        "pro_256gb": 3200,
        "pro_384gb": 4800,
        "pro_512gb": 6400,
        "accelerated_16gb": 160,
        "accelerated_32gb": 350,
        "accelerated_64gb": 750,
        "accelerated_128gb": 1500,
        "accelerated_256gb": 3000,
        "accelerated_384gb": 4500,
        "accelerated_512gb": 6000,
        "accelerated_768gb": 9000,
        "accelerated_1024gb": 12000,
        # Legacy plans (storage included), still billed for databases created on them.
        "starter": 7,
        "standard": 20,
        "pro": 95,
        "pro_plus": 185,
    },
    "ASSUMPTION: the pro_* and accelerated_* rows are as remembered from the 2025 page; "
    "re-check them before relying on them",
)
RENDER_STORAGE_PER_GB = 0.30
RENDER_KEY_VALUE = PriceTable(
    "Render Key Value",
    "https://render.com/pricing#key-value",
    "2025-11",
    {"free": 0, "starter": 10, "standard": 32, "pro": 135, "pro_plus": 250},
)
SUPABASE_PLANS = PriceTable(
    "Supabase plan (per organization; paid plans include $10/month of compute credits)",
    "https://supabase.com/pricing",
    "2025-11",
    {"free": 0, "pro": 25, "team": 599},
    "enterprise is quoted per customer and is not estimated",
)
SUPABASE_COMPUTE = PriceTable(
    "Supabase compute add-on (per project)",
    "https://supabase.com/docs/guides/platform/compute-add-ons",
    "2025-11",
    {
        "nano": 0,
        "micro": 10,
        "small": 15,
        "medium": 60,
        "large": 110,
        "xlarge": 210,
        "2xlarge": 410,
        "4xlarge": 960,
        "8xlarge": 1870,
        "12xlarge": 2800,
        "16xlarge": 3730,
    },
)
SUPABASE_COMPUTE_CREDIT = 10.0
SUPABASE_PITR = PriceTable(
    "Supabase point-in-time recovery add-on (by retention days)",
    "https://supabase.com/docs/guides/platform/manage-your-usage/point-in-time-recovery",
    "2025-11",
    {"7": 100, "14": 200, "28": 400},
)
UPSTASH_REDIS = PriceTable(
    "Upstash Redis",
    "https://upstash.com/pricing/redis",
    "2025-11",
    {
        "free": 0,
        "payg": 0,
        "fixed_250mb": 10,
        "fixed_1gb": 20,
        "fixed_5gb": 100,
        "fixed_10gb": 200,
        "fixed_50gb": 400,
        "fixed_100gb": 800,
        "fixed_500gb": 1500,
    },
    "payg is $0.20 per 100K commands with no fixed fee: priced $0, bounded by budget_usd; "
    "ASSUMPTION: fixed_1gb and larger as remembered from the 2025 page",
)
FLY_MACHINES = PriceTable(
    "Fly.io Machines (per running machine; a CPU's base memory is included)",
    "https://fly.io/docs/about/pricing/",
    "2025-11",
    {"shared": 1.94, "performance": 31.00, "memory_per_gb": 5.00},
    "shared-cpu-1x with 256 MB is $1.94 and each extra GB is $5; ASSUMPTION: performance CPUs "
    "at $31 each with 2 GB included, derived from performance-1x",
)
#: Presets the page prints; others follow the per-CPU + per-GB formula (within a cent of it).
FLY_LISTED = {
    ("shared-cpu-1x", 256): 1.94,
    ("shared-cpu-1x", 512): 3.19,
    ("shared-cpu-1x", 1024): 5.70,
    ("shared-cpu-1x", 2048): 10.70,
}
STATIC_HOSTING = PriceTable(
    "Static frontends (per project or team)",
    "https://vercel.com/pricing, https://pages.cloudflare.com, https://render.com/pricing",
    "2025-11",
    {"vercel:hobby": 0, "vercel:pro": 20, "cloudflare_pages:free": 0, "render_static:free": 0},
    "Vercel Pro is $20 per member per month: priced for one member",
)
USAGE_ONLY = {
    "s3": "S3 Standard is $0.023/GB-month plus requests (aws.amazon.com/s3/pricing)",
    "cloudfront": "CloudFront's free tier covers 1 TB/month out "
    "(aws.amazon.com/cloudfront/pricing)",
    "s3_compatible": "Backblaze B2 is $6/TB-month with egress up to 3x storage free "
    "(backblaze.com/cloud-storage/pricing)",
}


@dataclass(frozen=True)
class CostLine:
    """One component's monthly price: ``usd`` at its floor, ``max_usd`` at its ceiling."""

    component: str
    vendor: str
    plan: str
    usd: float
    max_usd: float
    note: str = ""


@dataclass(frozen=True)
class CostReport:
    lines: tuple[CostLine, ...] = field(default_factory=tuple)

    @property
    def total_usd(self) -> float:
        return round(sum(line.usd for line in self.lines), 2)

    @property
    def max_total_usd(self) -> float:
        return round(sum(line.max_usd for line in self.lines), 2)

    def breakdown(self) -> dict[str, float]:
        """Component name -> USD per month (the ``monthlyCostBreakdown`` stack output)."""
        return {line.component: line.usd for line in self.lines}


def estimate(spec: EnvironmentSpec) -> CostReport:
    """Price every component of ``spec`` (secret sets and domains cost nothing here)."""
    return CostReport(tuple(_lines(spec)))


def _lines(spec: EnvironmentSpec) -> Iterator[CostLine]:
    for name, service in spec.services.items():
        yield _service(name, service)
    paid_orgs: set[str] = set()
    for name, db in spec.postgres.items():
        if isinstance(db, SupabasePostgresSpec):
            yield _supabase(name, db, first_in_org=db.organization not in paid_orgs)
            paid_orgs.add(db.organization)
        else:
            yield _render_postgres(name, db)
    for name, cache in spec.redis.items():
        yield _redis(name, cache)
    for name, site in spec.static_sites.items():
        yield _static(name, site)
    for name, store in spec.object_stores.items():
        yield _object_store(name, store)


def _service(name: str, svc: RenderServiceSpec | FlyServiceSpec) -> CostLine:
    low = svc.autoscaling.min if svc.autoscaling else (svc.instances or 1)
    high = svc.autoscaling.max if svc.autoscaling else low
    each: float
    vendor: str
    plan: str
    if isinstance(svc, RenderServiceSpec):
        each, vendor, plan = RENDER_COMPUTE.usd[svc.plan], "render", svc.plan
    else:
        each, vendor, plan = fly_machine_usd(svc.size, svc.memory_mb), "fly", svc.size
        plan += f" {svc.memory_mb or fly.guest(svc.size).min_memory_mb}MB"
    note = f"{low}-{high} instances" if high != low else f"{low} instance(s)"
    return CostLine(name, vendor, plan, round(each * low, 2), round(each * high, 2), note)


def fly_machine_usd(size: fly.Size, memory_mb: int | None) -> float:
    """A Fly machine running all month: CPUs with their base memory, plus extra memory."""
    guest = fly.guest(size)
    kind, cpus, base_mb = guest.cpu_kind, guest.cpus, guest.min_memory_mb
    memory = memory_mb or base_mb
    if (size, memory) in FLY_LISTED:
        return FLY_LISTED[(size, memory)]
    extra_gb = max(0, memory - base_mb) / 1024
    return round(FLY_MACHINES.usd[kind] * cpus + FLY_MACHINES.usd["memory_per_gb"] * extra_gb, 2)


def _supabase(name: str, db: SupabasePostgresSpec, *, first_in_org: bool) -> CostLine:
    if db.plan == "enterprise":
        return CostLine(name, "supabase", "enterprise", 0, 0, SUPABASE_PLANS.note)
    size = db.instance_size or ("nano" if db.plan == "free" else "micro")
    usd = SUPABASE_COMPUTE.usd[size]
    notes = [f"{size} compute"]
    if first_in_org:
        usd += SUPABASE_PLANS.usd[db.plan]
        if db.plan != "free":
            usd -= min(SUPABASE_COMPUTE_CREDIT, SUPABASE_COMPUTE.usd[size])
    else:
        notes.append(f"plan billed once for organization {db.organization!r}")
    if db.pitr_days is not None:
        usd += SUPABASE_PITR.usd[str(db.pitr_days)]
        notes.append(f"PITR {db.pitr_days} days")
    return CostLine(name, "supabase", db.plan, usd, usd, ", ".join(notes))


def _render_postgres(name: str, db: RenderPostgresSpec) -> CostLine:
    usd = RENDER_POSTGRES.usd[db.plan] * (2 if db.high_availability else 1)
    note = "storage billed apart" if db.disk_gb is None else f"{db.disk_gb} GB storage"
    usd += (db.disk_gb or 0) * RENDER_STORAGE_PER_GB
    return CostLine(name, "render", db.plan, round(usd, 2), round(usd, 2), note)


def _redis(name: str, cache: UpstashRedisSpec | RenderKeyValueSpec) -> CostLine:
    if isinstance(cache, RenderKeyValueSpec):
        usd = RENDER_KEY_VALUE.usd[cache.plan]
        return CostLine(name, "render", cache.plan, usd, usd)
    usd = UPSTASH_REDIS.usd[cache.plan]
    if cache.plan == "payg":
        cap = float(cache.budget_usd or 0)
        note = f"usage-based, capped at ${cap:g}" if cache.budget_usd else "usage-based, no cap"
        return CostLine(name, "upstash", "payg", 0, cap, note)
    return CostLine(name, "upstash", cache.plan, usd, usd)


def _static(name: str, site: StaticSiteSpec) -> CostLine:
    if site.provider == "s3_cloudfront":
        note = f"usage-based: {USAGE_ONLY['s3']}; {USAGE_ONLY['cloudfront']}"
        return CostLine(name, "aws", "usage", 0, 0, note)
    plan = site.plan or ("hobby" if site.provider == "vercel" else "free")
    usd = STATIC_HOSTING.usd[f"{site.provider}:{plan}"]
    return CostLine(name, site.provider, plan, usd, usd)


def _object_store(name: str, store: ObjectStoreSpec) -> CostLine:
    notes = [USAGE_ONLY[store.provider]]
    if store.cdn:
        notes.append(USAGE_ONLY["cloudfront"])
    vendor = "aws" if store.provider == "s3" else "s3-compatible"
    return CostLine(name, vendor, "usage", 0, 0, "usage-based: " + "; ".join(notes))


def as_outputs(report: CostReport) -> dict[str, Any]:
    """The stack outputs ``monthlyCostUsd`` and ``monthlyCostBreakdown``."""
    return {"monthlyCostUsd": report.total_usd, "monthlyCostBreakdown": report.breakdown()}
