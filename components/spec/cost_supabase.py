"""Supabase is billed per organization: one plan fee and one $10 compute credit per organization,
compute per project.

The rule that matters here: stacks estimated together share their organizations, so each plan
fee and credit is counted once, on the first project of the organization (the first stack
given pays); the organization's plan is the highest any of its projects names, because a
``free`` project inside a Pro organization is billed as Pro (at least ``micro`` compute, with
the credit already spent), and every line says who pays the fee.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from paas_stacks.components.spec.cost_model import CostLine, LivePrices, Source
from paas_stacks.components.spec.data import SupabasePostgresSpec
from paas_stacks.components.spec.environment import EnvironmentSpec
from paas_stacks.components.spec.prices import (
    HOURS_PER_MONTH,
    SUPABASE_BRANCH,
    SUPABASE_COMPUTE,
    SUPABASE_COMPUTE_CREDIT,
    SUPABASE_PITR,
    SUPABASE_PLANS,
    SUPABASE_USAGE,
    PriceTable,
)
from paas_stacks.vendors import supabase

__all__ = ["Organizations", "branch_hourly", "supabase_line"]

RANK: dict[supabase.Plan, int] = {"free": 0, "pro": 1, "team": 2, "enterprise": 3}
PAID_USAGE = (
    "disk beyond 8 GB per project (${disk}/GB-month), egress and monthly active users beyond "
    "the plan's quota are billed by usage: ASSUMPTION: within the quota"
)


@dataclass(frozen=True)
class Organizations:
    """Each organization's plan and the project (stack, component) that pays its fee."""

    plans: dict[str, supabase.Plan]
    payers: dict[str, tuple[str, str]]

    @classmethod
    def of(cls, specs: Sequence[EnvironmentSpec]) -> Organizations:
        plans: dict[str, supabase.Plan] = {}
        payers: dict[str, tuple[str, str]] = {}
        for spec in specs:
            for name, db in spec.postgres.items():
                if not isinstance(db, SupabasePostgresSpec):
                    continue
                org = db.organization
                if db.branch is None:  # a branch pays no fee: its parent project does
                    payers.setdefault(org, (spec.name, name))
                if RANK[db.plan] > RANK[plans.get(org, "free")]:
                    plans[org] = db.plan
                plans.setdefault(org, db.plan)
        return cls(plans, payers)


def supabase_line(
    stack: str, name: str, db: SupabasePostgresSpec, orgs: Organizations, live: LivePrices
) -> CostLine:
    """One project: its compute, plus its organization's plan fee less the credit if it pays;
    a branch: its compute hours only."""
    if db.branch is not None:
        return _branch_line(name, db)
    plan = orgs.plans[db.organization]
    payer = orgs.payers[db.organization]
    if plan == "enterprise":
        return CostLine(name, "supabase", "enterprise", 0, 0, "quoted per customer: not estimated")
    size = db.instance_size or (supabase.FREE_SIZE if plan == "free" else "micro")
    compute, live_compute = _price(size, live.supabase_compute, SUPABASE_COMPUTE)
    usd, notes = compute, [f"{size} compute ${compute:g}"]
    if db.plan != plan:
        notes.append(f"billed as {plan}: organization {db.organization!r} is on {plan}")
    if payer == (stack, name) and plan != "free":
        credit = min(SUPABASE_COMPUTE_CREDIT.usd, compute)
        usd += SUPABASE_PLANS.usd(plan) - credit
        notes.append(
            f"includes the {db.organization!r} organization's {plan} plan fee "
            f"${SUPABASE_PLANS.usd(plan):g} less its ${credit:g} compute credit (billed once per "
            "organization: ASSUMPTION: no stack outside this estimate pays them)"
        )
    elif plan != "free":
        notes.append(
            f"the {db.organization!r} organization's {plan} plan fee and compute credit are "
            f"counted on {'.'.join(payer)}"
        )
    live_pitr = False
    if db.pitr_days is not None:
        pitr, live_pitr = _price(str(db.pitr_days), live.supabase_pitr, SUPABASE_PITR)
        usd += pitr
        notes.append(f"PITR {db.pitr_days} days ${pitr:g}")
    usage = PAID_USAGE.format(disk=SUPABASE_USAGE.usd("disk")) if plan != "free" else ""
    source: Source = "live" if live_compute or live_pitr else "table"
    usd = round(usd, 2)
    return CostLine(
        name, "supabase", db.plan, usd, usd, ", ".join(notes), usage=usage, source=source
    )


def _price(key: str, live: Mapping[str, float], table: PriceTable) -> tuple[float, bool]:
    """The live price of ``key`` if the vendor returned one, else the table's."""
    if key in live:
        return float(live[key]), True
    return table.usd(key), False


def branch_hourly(db: SupabasePostgresSpec) -> tuple[str, float]:
    """A branch's compute size and its USD an hour (``micro`` unless it names a size)."""
    size = db.instance_size or supabase.DEFAULT_PAID_SIZE
    if size not in SUPABASE_BRANCH:
        # Beyond the table: the monthly compute price spread over the month's hours.
        return size, SUPABASE_COMPUTE.usd(size) / HOURS_PER_MONTH
    return size, SUPABASE_BRANCH.usd(size)


def _branch_line(name: str, db: SupabasePostgresSpec) -> CostLine:
    """Billed by the hour while it exists; the plan fee and credit are the parent's to pay."""
    size, hourly = branch_hourly(db)
    usd = round(hourly * HOURS_PER_MONTH, 2)
    parent = db.branch.parent_ref if db.branch else "?"
    note = (
        f"branch of project {parent}: {size} compute ${hourly:g}/hour, ${usd:g} for a whole "
        f"month ({HOURS_PER_MONTH} h); the {db.organization!r} organization's plan fee is the "
        "parent project's"
    )
    return CostLine(name, "supabase", f"{db.plan} branch", usd, usd, note)
