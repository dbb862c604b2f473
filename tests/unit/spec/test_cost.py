"""Monthly cost: each plan's price comes from a cited table, and the seed stacks cost what their
guides say (or differ for a reason the test names)."""

from __future__ import annotations

from pathlib import Path

import pytest

from paas_stacks.components.spec import EnvironmentSpec, cost, load_stack
from paas_stacks.components.spec.cost import as_outputs, estimate, fly_machine_usd

STACKS = Path(__file__).resolve().parents[3] / "stacks"
TABLES = [value for value in vars(cost).values() if isinstance(value, cost.PriceTable)]


def stack(name: str) -> EnvironmentSpec:
    return load_stack(name, STACKS, check_secrets=False)


def test_every_price_table_cites_its_page_and_when_it_was_read() -> None:
    assert len(TABLES) == 9
    for table in TABLES:
        assert table.url.startswith("https://"), table.product
        assert table.read.startswith("20"), table.product


@pytest.mark.parametrize(
    ("table", "plan", "usd"),
    [
        (cost.RENDER_COMPUTE, "free", 0),
        (cost.RENDER_COMPUTE, "starter", 7),
        (cost.RENDER_COMPUTE, "standard", 25),
        (cost.RENDER_COMPUTE, "pro", 85),
        (cost.RENDER_POSTGRES, "basic_256mb", 6),
        (cost.RENDER_POSTGRES, "starter", 7),
        (cost.RENDER_KEY_VALUE, "starter", 10),
        (cost.SUPABASE_PLANS, "free", 0),
        (cost.SUPABASE_PLANS, "pro", 25),
        (cost.UPSTASH_REDIS, "free", 0),
        (cost.UPSTASH_REDIS, "payg", 0),
        (cost.UPSTASH_REDIS, "fixed_250mb", 10),
        (cost.STATIC_HOSTING, "vercel:pro", 20),
        (cost.STATIC_HOSTING, "cloudflare_pages:free", 0),
    ],
)
def test_a_plan_costs_what_its_vendor_page_says(
    table: cost.PriceTable, plan: str, usd: float
) -> None:
    assert table.usd[plan] == usd


def test_fly_machines_cost_their_cpus_plus_extra_memory() -> None:
    assert fly_machine_usd("shared-cpu-1x", None) == 1.94
    assert fly_machine_usd("shared-cpu-1x", 1024) == 5.70
    assert fly_machine_usd("shared-cpu-2x", 512) == 3.88
    assert fly_machine_usd("performance-1x", 4096) == 41.00


def test_masstock_mvp_costs_the_guides_zero_except_the_render_services() -> None:
    # Seed 000, "Cost Estimates" -> "MVP (Current)": "- **Total: $0/month**" (line 381), with
    # "Render Worker: Free ($0)". Render has no free background workers (render.com/docs/free),
    # and the Render API creates services on paid plans only (POST /services takes a paidPlan),
    # so both run on Starter: the database and the queue are the guide's $0.
    report = estimate(stack("masstock"))
    assert report.breakdown() == {"backend": 7, "worker": 7, "db": 0, "queue": 0}
    assert report.total_usd == 14.0


def test_masstock_at_production_plans_costs_the_guides_49_dollars() -> None:
    # Seed 000, "Cost Estimates" -> "Production (1000 executions/day)":
    # "- **Total: ~$49/month**" (line 388): Supabase Pro $25, Render Starter $7, Worker $7,
    # Upstash $10.
    report = estimate(stack("masstock-production"))
    assert report.breakdown() == {"backend": 7, "worker": 7, "db": 25, "queue": 10}
    assert report.total_usd == 49.0


def test_mvp_fly_costs_fall_in_the_guides_range() -> None:
    # Seed 001, "Cost Estimation (Monthly)": "- **Fly.io**: ~$5-15/month (shared CPU,
    # auto-scaling)" (line 183): 1 to 3 machines of shared-cpu-1x with 1 GB.
    report = estimate(stack("mvp"))
    api = next(line for line in report.lines if line.component == "api")
    assert (api.usd, api.max_usd) == (5.70, 17.10)
    # "- **Total**: ~$10-50/month for MVP scale" (line 187): usage-billed parts count $0 at the
    # floor, and the ceiling (3 machines + the $10 Upstash cap) stays inside the guide's range.
    assert 10 <= report.max_total_usd <= 50


def test_realstaging_costs_the_guides_31_dollars_less_the_legacy_postgres_premium() -> None:
    # Seed 004, "Expected Monthly Costs": "- **Render Services**: ~$31/month (starter tier)"
    # (line 528) prices "PostgreSQL: $7/month", Render's legacy Starter; new databases get
    # basic-256mb at $6.
    report = estimate(stack("realstaging"))
    assert report.breakdown() == {"api": 7, "worker": 7, "db": 6, "redis": 10, "media": 0}
    assert report.total_usd == 30.0


def test_supabase_pitr_and_compute_are_added_to_the_plan() -> None:
    # Pro $25 + Small compute $15 - $10 included credits + PITR 7 days $100.
    assert estimate(stack("wecelebrate")).breakdown() == {"db": 130.0}


@pytest.mark.parametrize(
    ("name", "total", "ceiling"),
    [
        ("demo", 14, 14),
        ("masstock", 14, 14),
        ("masstock-production", 49, 49),
        ("mvp", 5.70, 27.10),
        ("mais-staging", 14, 14),
        ("mais-production", 77, 127),
        ("wecelebrate", 130, 130),
        ("realstaging", 30, 30),
    ],
)
def test_every_seed_stack_has_a_monthly_total_and_ceiling(
    name: str, total: float, ceiling: float
) -> None:
    report = estimate(stack(name))
    assert (report.total_usd, report.max_total_usd) == (total, ceiling)


def test_usage_billed_components_say_so_instead_of_guessing() -> None:
    lines = {line.component: line for line in estimate(stack("mvp")).lines}
    assert lines["cache"].note == "usage-based, capped at $10"
    assert lines["assets"].usd == 0
    assert lines["assets"].note.startswith("usage-based: S3")


def test_the_stack_outputs_carry_the_total_and_the_breakdown() -> None:
    assert as_outputs(estimate(stack("masstock-production"))) == {
        "monthlyCostUsd": 49.0,
        "monthlyCostBreakdown": {"backend": 7, "worker": 7, "db": 25, "queue": 10},
    }
