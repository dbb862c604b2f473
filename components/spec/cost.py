"""Monthly cost of an environment: each component priced from the vendors' published prices
(``prices.py``, ``prices_fly.py``), or from a vendor's API where it publishes them (``LivePrices``).

The rule that matters here: every part the vendors bill is a line, the stack-wide ones too (the
Render workspace plan, a Supabase organization's plan fee); anything billed by usage is priced
at its floor with its assumption stated in the line's ``usage``, never guessed; autoscaling and
spending caps give the ceiling, and a usage-billed part with no cap has none.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, cast

from paas_stacks.components import _fly_rules as fly_rules
from paas_stacks.components.platforms import Fly
from paas_stacks.components.spec.cost_model import CostLine, CostReport, LivePrices
from paas_stacks.components.spec.cost_supabase import Organizations, supabase_line
from paas_stacks.components.spec.data import (
    ObjectStoreSpec,
    RenderKeyValueSpec,
    RenderPostgresSpec,
    SupabasePostgresSpec,
    UpstashRedisSpec,
)
from paas_stacks.components.spec.environment import EnvironmentSpec
from paas_stacks.components.spec.frontends import StaticSiteSpec
from paas_stacks.components.spec.prices import (
    RENDER_COMPUTE,
    RENDER_DISK,
    RENDER_KEY_VALUE,
    RENDER_POSTGRES,
    RENDER_POSTGRES_STORAGE,
    RENDER_WORKSPACE,
    STATIC_HOSTING,
    UPSTASH_REDIS,
    UPSTASH_USAGE,
    USAGE,
)
from paas_stacks.components.spec.prices_fly import FLY_USAGE, fly_machine_usd
from paas_stacks.components.spec.services import FlyServiceSpec, RenderServiceSpec
from paas_stacks.vendors import fly, render, sizes

__all__ = [
    "FLY_ROOTFS_GB",
    "WORKSPACE",
    "CostLine",
    "CostReport",
    "LivePrices",
    "as_outputs",
    "estimate",
    "estimate_together",
    "render_workspace",
]

#: The breakdown key of the stack's Render workspace line (a space: no component can be named so).
WORKSPACE = "render workspace"
#: A stopped machine is billed for its root file system, the size of its image, which is not
#: known before the image is built.
FLY_ROOTFS_GB = 1.0
RENDER_USAGE = (
    "billed per second while running; outbound bandwidth beyond the workspace's included "
    "allowance is billed per GB: ASSUMPTION: within the allowance"
)


def estimate(spec: EnvironmentSpec, live: LivePrices | None = None) -> CostReport:
    """Price every component of ``spec`` on its own (it pays its organizations' plan fees)."""
    return estimate_together([spec], live)[0]


def estimate_together(
    specs: Sequence[EnvironmentSpec], live: LivePrices | None = None
) -> list[CostReport]:
    """Price stacks that share organizations: each organization's fee is counted once, on the
    first stack that has a project in it (so pass the base before its preview)."""
    orgs = Organizations.of(specs)
    prices = live or LivePrices()
    return [
        CostReport(spec.name, tuple(_lines(spec, orgs, prices)), _assumptions(spec, orgs), prices)
        for spec in specs
    ]


def _assumptions(spec: EnvironmentSpec, orgs: Organizations) -> tuple[str, ...]:
    out = []
    for db in spec.postgres.values():
        if not isinstance(db, SupabasePostgresSpec) or db.organization not in orgs.payers:
            continue  # a branch alone pays no organization fee
        if orgs.plans[db.organization] != "free":
            payer = ".".join(orgs.payers[db.organization])
            out.append(
                f"Supabase organization {db.organization!r} ({orgs.plans[db.organization]}"
                f"): plan fee and compute credit counted on {payer}"
            )
    return tuple(dict.fromkeys(out))


def _lines(spec: EnvironmentSpec, orgs: Organizations, live: LivePrices) -> Iterator[CostLine]:
    workspace = render_workspace(spec)
    if workspace is not None:
        yield workspace
    for name, service in spec.services.items():
        if isinstance(service, RenderServiceSpec):
            yield from _render_service(name, service)
        else:
            yield from _fly_service(spec, name, service)
    for name, db in spec.postgres.items():
        if isinstance(db, SupabasePostgresSpec):
            yield supabase_line(spec.name, name, db, orgs, live)
        else:
            yield from _render_postgres(name, db)
    for name, cache in spec.redis.items():
        yield _redis(name, cache)
    for name, site in spec.static_sites.items():
        yield _static(name, site)
    for name, store in spec.object_stores.items():
        yield _object_store(name, store)


def render_workspace(spec: EnvironmentSpec) -> CostLine | None:
    """The workspace plan a stack with Render parts needs: its own ``render_workspace``, else the
    cheapest that allows what it uses (autoscaling needs Pro), with the reason in the note."""
    uses_render = (
        any(isinstance(s, RenderServiceSpec) for s in spec.services.values())
        or any(
            isinstance(c, RenderPostgresSpec | RenderKeyValueSpec)
            for c in (*spec.postgres.values(), *spec.redis.values())
        )
        or any(s.provider == "render_static" for s in spec.static_sites.values())
    )
    if not uses_render:
        return None
    scaling = [
        n for n, s in spec.services.items() if isinstance(s, RenderServiceSpec) and s.autoscaling
    ]
    if spec.render_workspace is not None:
        plan, why = spec.render_workspace, "set by render_workspace"
    elif scaling:
        plan = "pro"
        verb = "autoscale" if len(scaling) > 1 else "autoscales"
        why = f"{', '.join(scaling)} {verb}: horizontal autoscaling needs a Pro workspace"
    else:
        plan, why = render.DEFAULT_WORKSPACE_PLAN, "nothing here needs a paid workspace"
    shared = "billed once per workspace (stacks in one workspace share it)"
    if plan not in RENDER_WORKSPACE:
        return CostLine(
            WORKSPACE,
            "render",
            plan,
            0,
            0,
            f"{why}; no confirmed price for {plan}: not estimated; {shared}",
        )
    usd = RENDER_WORKSPACE.usd(plan)
    return CostLine(WORKSPACE, "render", plan, usd, usd, f"{why}; {shared}")


def _render_service(name: str, svc: RenderServiceSpec) -> Iterator[CostLine]:
    plan = svc.plan or (sizes.render_plan(svc.size) if svc.size else render.DEFAULT_PLAN)
    each = RENDER_COMPUTE.usd(plan)
    if svc.kind == "cron":
        # Billed for the seconds it runs: nothing when idle, a whole month if it never stops.
        yield CostLine(
            name,
            "render",
            plan,
            0,
            each,
            "cron job: billed per second of each run",
            usage="billed by run time: ASSUMPTION: runs are short (the floor counts none; the "
            "ceiling a run that never ends)",
        )
        return
    low = svc.autoscaling.min if svc.autoscaling else (svc.instances or 1)
    high = svc.autoscaling.max if svc.autoscaling else low
    note = f"{low}-{high} instances" if high != low else f"{low} instance(s)"
    yield CostLine(
        name,
        "render",
        plan,
        round(each * low, 2),
        round(each * high, 2),
        note,
        usage=RENDER_USAGE,
    )
    if svc.disk is not None:
        usd = round(svc.disk.size_gb * RENDER_DISK.usd, 2)
        yield CostLine(
            name,
            "render",
            f"disk {svc.disk.size_gb} GB",
            usd,
            usd,
            f"${RENDER_DISK.usd:g}/GB-month",
            item="disk",
        )


def _fly_service(spec: EnvironmentSpec, name: str, svc: FlyServiceSpec) -> Iterator[CostLine]:
    """``count`` machines exist (autoscaling's max); with autostop only ``min`` keep running and
    the rest are stopped, billed for their disk."""
    region = cast("fly.Region", svc.region or spec.region_for("fly"))
    platform = Fly(size=svc.size, memory_mb=svc.memory_mb)
    preset = platform.preset
    each = fly_machine_usd(preset, platform.memory, region)
    count = svc.autoscaling.max if svc.autoscaling else (svc.instances or 1)
    autostop = svc.autostop or ("stop" if svc.autoscaling else "off")
    running = count if autostop == "off" else (svc.autoscaling.min if svc.autoscaling else 0)
    memory = platform.memory
    note = (
        f"{running}-{count} machines running in {region}"
        if running != count
        else f"{count} machine(s) in {region}"
    )
    usage = (
        f"billed per second while started; autostop {autostop}: the floor runs {running} all "
        f"month, the ceiling {count}; egress ${FLY_USAGE.usd('egress_na_eu'):g}/GB (NA/EU) "
        "is not counted: ASSUMPTION: negligible"
    )
    yield CostLine(
        name,
        "fly",
        f"{preset} {memory}MB",
        round(each * running, 2),
        round(each * count, 2),
        note,
        usage=usage,
    )
    stopped = count - running
    if stopped:
        disk = round(stopped * FLY_ROOTFS_GB * FLY_USAGE.usd("stopped_rootfs"), 2)
        yield CostLine(
            name,
            "fly",
            "rootfs",
            disk,
            disk,
            f"{stopped} stopped machine(s)",
            item="stopped disk",
            usage=f"${FLY_USAGE.usd('stopped_rootfs'):g}/GB-month of each stopped machine's "
            f"root file system: ASSUMPTION: a {FLY_ROOTFS_GB:g} GB image, stopped all month",
        )
    yield from _fly_extras(name, svc, region, platform)


def _fly_extras(
    name: str, svc: FlyServiceSpec, region: fly.Region, platform: Fly
) -> Iterator[CostLine]:
    """Each other process group's machines (always running: no proxy stops them) and the
    volume of a disk."""
    for process, spec in svc.processes.items():
        sized = fly_rules.sized(platform, spec)
        count = spec.instances or 1
        each = fly_machine_usd(sized.preset, sized.memory, region)
        usd = round(each * count, 2)
        yield CostLine(
            name,
            "fly",
            f"{sized.preset} {sized.memory}MB",
            usd,
            usd,
            f"process {process}: {count} machine(s) in {region}",
            item=f"process {process}",
        )
    if svc.disk is not None:
        usd = round(svc.disk.size_gb * FLY_USAGE.usd("volume"), 2)
        yield CostLine(
            name,
            "fly",
            f"volume {svc.disk.size_gb} GB",
            usd,
            usd,
            f"${FLY_USAGE.usd('volume'):g}/GB-month",
            item="volume",
        )


def _render_postgres(name: str, db: RenderPostgresSpec) -> Iterator[CostLine]:
    copies = 2 if db.high_availability else 1
    usd = round(RENDER_POSTGRES.usd(db.plan) * copies, 2)
    note = "with an HA standby (billed as a second instance)" if copies == 2 else ""
    yield CostLine(name, "render", db.plan, usd, usd, note)
    if db.plan in render.STORAGE_INCLUDED_PLANS:
        return
    gb = db.disk_gb or 1
    disk = round(gb * RENDER_POSTGRES_STORAGE.usd * copies, 2)
    assumed = f"{gb} GB (disk_gb)" if db.disk_gb else "1 GB, the smallest disk (disk_gb unset)"
    yield CostLine(
        name,
        "render",
        f"{gb} GB",
        disk,
        disk,
        f"${RENDER_POSTGRES_STORAGE.usd:g}/GB-month",
        item="storage",
        usage=f"billed per GB-month provisioned: ASSUMPTION: {assumed}, not grown by storage "
        "autoscaling" + ("; the standby's disk billed too (unconfirmed)" if copies == 2 else ""),
    )


def _redis(name: str, cache: UpstashRedisSpec | RenderKeyValueSpec) -> CostLine:
    if isinstance(cache, RenderKeyValueSpec):
        usd = RENDER_KEY_VALUE.usd(cache.plan)
        return CostLine(name, "render", cache.plan, usd, usd)
    if cache.plan != "payg":
        usd = UPSTASH_REDIS.usd(cache.plan)
        return CostLine(name, "upstash", cache.plan, usd, usd)
    usage = (
        f"${UPSTASH_USAGE.usd('commands'):.2f} per 100K commands: ASSUMPTION: $0 at the floor "
        "(idle); a job queue (BullMQ, Sidekiq) polls Redis even when idle, for which Upstash "
        "recommends a fixed plan"
    )
    if cache.budget_usd is None:
        note = (
            "usage-based, no ceiling: no budget_usd, and Upstash pay-as-you-go has no "
            "monthly cap since December 2024"
        )
        return CostLine(name, "upstash", "payg", 0, None, note, usage=usage)
    cap = float(cache.budget_usd)
    return CostLine(
        name,
        "upstash",
        "payg",
        0,
        cap,
        f"usage-based, capped at ${cap:g} (budget_usd)",
        usage=usage,
    )


def _static(name: str, site: StaticSiteSpec) -> CostLine:
    if site.provider == "s3_cloudfront":
        usage = (
            f"S3 ${USAGE.usd('s3'):g}/GB-month plus requests; CloudFront's free tier covers "
            "1 TB out: ASSUMPTION: a few GB, within the free tier"
        )
        return CostLine(name, "aws", "usage", 0, 0, "usage-based", usage=usage)
    plan = site.plan or ("hobby" if site.provider == "vercel" else "free")
    row = STATIC_HOSTING.rows[f"{site.provider}:{plan}"]
    usage = "ASSUMPTION: one member" if row.usd else ""
    return CostLine(name, site.provider, plan, row.usd, row.usd, row.note, usage=usage)


def _object_store(name: str, store: ObjectStoreSpec) -> CostLine:
    row = USAGE.rows[store.provider]
    what = "S3" if store.provider == "s3" else "Backblaze B2"
    parts = [f"{what} ${row.usd:g}/{row.unit} ({row.note})"]
    if store.cdn:
        parts.append("CloudFront's free tier covers 1 TB out")
    usage = "; ".join(parts) + ": ASSUMPTION: $0 at the floor (a few GB)"
    vendor = "aws" if store.provider == "s3" else "s3-compatible"
    return CostLine(name, vendor, "usage", 0, 0, f"usage-based: {what}", usage=usage)


def as_outputs(report: CostReport) -> dict[str, Any]:
    """The stack outputs ``monthlyCostUsd`` and ``monthlyCostBreakdown``."""
    return {"monthlyCostUsd": report.total_usd, "monthlyCostBreakdown": report.breakdown()}
