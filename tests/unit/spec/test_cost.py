"""Monthly cost: every price row cites its page and the day it was read, the corrected prices
and the new lines hold, and the seed stacks cost what their guides say (or differ for a reason
the test names)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import get_args

import pytest

from paas_stacks.components.spec import EnvironmentSpec, load_stack, prices, prices_fly
from paas_stacks.components.spec.cost import (
    WORKSPACE,
    as_outputs,
    estimate,
    estimate_together,
    render_workspace,
)
from paas_stacks.components.spec.cost_model import CostLine, CostReport, LivePrices
from paas_stacks.components.spec.prices import Price, PriceTable
from paas_stacks.components.spec.prices_fly import FLY_REGIONS, fly_machine_usd
from paas_stacks.errors import SpecError
from paas_stacks.vendors import fly

STACKS = Path(__file__).resolve().parents[3] / "stacks"
TABLES = [
    value
    for module in (prices, prices_fly)
    for value in vars(module).values()
    if isinstance(value, PriceTable)
]
LOOSE = [
    value
    for module in (prices, prices_fly)
    for value in vars(module).values()
    if isinstance(value, Price)
]
DATE = re.compile(r"^20\d\d-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")


def stack(name: str) -> EnvironmentSpec:
    return load_stack(name, STACKS, check_secrets=False)


def every_row() -> list[tuple[str, Price]]:
    rows = [(f"{t.product}: {key}", row) for t in TABLES for key, row in t.rows.items()]
    rows += [(f"FLY_LISTED {key}", row) for key, row in prices_fly.FLY_LISTED.items()]
    return rows + [(f"loose price {row.usd}", row) for row in LOOSE]


def test_every_price_row_cites_its_page_and_the_day_it_was_read() -> None:
    rows = every_row()
    assert len(TABLES) == 16
    assert len(rows) > 100
    for where, row in rows:
        assert row.source.startswith("https://"), where
        assert DATE.match(row.read), where


def test_the_source_check_fails_on_a_row_without_its_page_or_date() -> None:
    # The check above is only worth something if a bad row would trip it.
    assert not Price(1, "render.com/pricing", "2026-12-01").source.startswith("https://")
    assert not DATE.match(Price(1, "https://render.com/pricing", "").read)
    assert not DATE.match("2026-13")


@pytest.mark.parametrize(
    ("plan", "usd", "was"),
    [
        ("pro_128gb", 1700, 1600),
        ("pro_192gb", 2500, 2400),
        ("pro_256gb", 3000, 3200),
        ("pro_384gb", 4600, 4800),
        ("pro_512gb", 6200, 6400),
        ("accelerated_256gb", 2500, 3000),
        ("accelerated_1024gb", 11000, 12000),
    ],
)
def test_the_corrected_render_postgres_prices_name_what_they_were(
    plan: str, usd: float, was: float
) -> None:
    row = prices.RENDER_POSTGRES.rows[plan]
    assert row.usd == usd
    assert row.source == "https://render.com/pricing"
    assert f"was {was}" in row.note
    assert "unconfirmed" in row.note  # no stored copy of the table was found to re-read


def test_backblaze_b2_is_6_95_per_tb_with_free_api_calls() -> None:
    row = prices.USAGE.rows["s3_compatible"]
    assert (row.usd, row.unit) == (6.95, "TB-month")
    assert "API calls free" in row.note
    assert "2026-05-01" in row.note


@pytest.mark.parametrize(
    ("table", "plan", "usd"),
    [
        (prices.RENDER_COMPUTE, "starter", 7),
        (prices.RENDER_COMPUTE, "standard", 25),
        (prices.RENDER_COMPUTE, "pro", 85),
        (prices.RENDER_POSTGRES, "basic_256mb", 6),
        (prices.RENDER_POSTGRES, "starter", 7),
        (prices.RENDER_KEY_VALUE, "starter", 10),
        (prices.RENDER_WORKSPACE, "hobby", 0),
        (prices.RENDER_WORKSPACE, "pro", 25),
        (prices.SUPABASE_PLANS, "free", 0),
        (prices.SUPABASE_PLANS, "pro", 25),
        (prices.SUPABASE_COMPUTE, "micro", 10),
        (prices.UPSTASH_REDIS, "payg", 0),
        (prices.UPSTASH_REDIS, "fixed_250mb", 10),
        (prices.UPSTASH_USAGE, "commands", 0.20),
        (prices.STATIC_HOSTING, "vercel:pro", 20),
        (prices_fly.FLY_USAGE, "stopped_rootfs", 0.15),
    ],
)
def test_a_plan_costs_what_its_vendor_page_says(table: PriceTable, plan: str, usd: float) -> None:
    assert table.usd(plan) == usd


def test_every_fly_region_the_vocabulary_knows_has_a_price() -> None:
    assert set(FLY_REGIONS.rows) == set(get_args(fly.Region))
    assert min(row.usd for row in FLY_REGIONS.rows.values()) == 1.0  # iad, ewr
    assert max(row.usd for row in FLY_REGIONS.rows.values()) == pytest.approx(1.615, abs=0.001)


@pytest.mark.parametrize(
    ("region", "memory", "usd"),
    [
        ("iad", None, 1.94),
        ("iad", 1024, 5.70),
        ("iad", 2048, 10.70),
        ("ams", None, 2.02),
        ("ams", 1024, 5.92),  # the page's default table
        ("sjc", None, 2.32),
        ("sjc", 1024, 6.79),
        ("lax", None, 2.33),
        ("syd", 1024, 7.23),
        ("gru", 1024, 9.21),
        ("fra", None, 2.24),
    ],
)
def test_a_fly_machine_is_priced_in_its_region(
    region: fly.Region, memory: int | None, usd: float
) -> None:
    assert fly_machine_usd("shared-cpu-1x", memory, region) == usd


def test_fly_sizes_off_the_printed_table_follow_cpus_plus_extra_memory_times_the_region() -> None:
    assert fly_machine_usd("shared-cpu-2x", 512, "iad") == 3.88
    assert fly_machine_usd("performance-1x", 4096, "iad") == 41.00
    assert fly_machine_usd("performance-1x", 4096, "sjc") == round(41.00 * 1.192307692, 2)


def test_a_fly_service_is_priced_in_the_region_it_runs_in() -> None:
    mvp = stack("mvp")  # region: virginia -> iad
    api = next(line for line in estimate(mvp).lines if line.component == "api" and not line.item)
    assert (api.usd, api.max_usd) == (5.70, 17.10)
    assert "iad" in api.note
    moved = mvp.model_copy(update={"region": "oregon"})  # -> sjc
    api = next(line for line in estimate(moved).lines if line.component == "api" and not line.item)
    assert (api.usd, api.max_usd) == (6.79, 20.37)


def test_stopped_fly_machines_pay_for_their_disk() -> None:
    disk = next(line for line in estimate(stack("mvp")).lines if line.item == "stopped disk")
    # Autoscaling 1-3 with autostop: 2 machines stopped, 1 GB image each, $0.15/GB-month.
    assert (disk.usd, disk.plan, disk.note) == (0.30, "rootfs", "2 stopped machine(s)")
    assert "ASSUMPTION: a 1 GB image" in disk.usage


def test_render_postgres_storage_is_its_own_line_at_least_one_gb() -> None:
    lines = {line.label: line for line in estimate(stack("realstaging")).lines}
    assert (lines["db"].usd, lines["db storage"].usd) == (6, 0.30)
    assert "ASSUMPTION: 1 GB, the smallest disk" in lines["db storage"].usage
    sized = stack("realstaging").model_copy(deep=True)
    db = sized.postgres["db"].model_copy(update={"disk_gb": 10})
    sized = sized.model_copy(update={"postgres": {"db": db}})
    assert {line.label: line.usd for line in estimate(sized).lines}["db storage"] == 3.0


def test_the_render_workspace_is_the_cheapest_that_allows_what_the_stack_uses() -> None:
    hobby = render_workspace(stack("mais-staging"))
    pro = render_workspace(stack("mais-production"))
    assert hobby is not None
    assert pro is not None
    assert (hobby.plan, hobby.usd) == ("hobby", 0)
    assert "nothing here needs a paid workspace" in hobby.note
    assert (pro.plan, pro.usd) == ("pro", 25)
    assert pro.note.startswith("api autoscales: horizontal autoscaling needs a Pro workspace")
    assert render_workspace(stack("wecelebrate")) is None  # no Render part, no workspace line


def test_a_stack_can_name_its_workspace_plan_but_hobby_cannot_autoscale(tmp_path: Path) -> None:
    line = render_workspace(stack("masstock").model_copy(update={"render_workspace": "pro"}))
    assert line is not None
    assert (line.plan, line.usd) == ("pro", 25)
    assert "set by render_workspace" in line.note
    stacks = tmp_path / "stacks"
    shutil.copytree(STACKS, stacks)
    (stacks / "Pulumi.cheap.yaml").write_text(
        "config:\n  paas-stacks:environment:\n    extends: mais-production\n"
        "    render_workspace: hobby\n"
    )
    with pytest.raises(SpecError) as refused:
        load_stack("cheap", stacks, check_secrets=False)
    assert str(refused.value) == (
        "stacks/Pulumi.cheap.yaml: environment.render_workspace: 'hobby' cannot autoscale "
        "services.api (horizontal autoscaling needs a Pro workspace or higher: "
        "render.com/pricing); allowed: pro, scale, enterprise"
    )


def test_a_workspace_plan_without_a_confirmed_price_says_it_is_not_estimated() -> None:
    line = render_workspace(stack("masstock").model_copy(update={"render_workspace": "scale"}))
    assert line is not None
    assert line.usd == 0
    assert "no confirmed price for scale: not estimated" in line.note


def test_supabase_organizations_are_billed_once_when_stacks_are_estimated_together() -> None:
    alone = estimate(stack("masstock-production"))
    assert alone.breakdown()["db"] == 25  # Pro $25 + micro $10 - the $10 credit
    assert "ASSUMPTION: no stack outside this estimate pays them" in _db(alone).note
    base, preview = estimate_together([stack("masstock-production"), stack("masstock")])
    # Same organization 'masstock': the base pays the fee and spends the credit; the free-plan
    # project inside the Pro organization runs micro compute at $10, which previews pay too.
    assert _db(base).usd == 25
    assert _db(preview).usd == 10
    assert "billed as pro" in _db(preview).note
    assert "counted on masstock-production.db" in _db(preview).note
    assert preview.assumptions == (
        "Supabase organization 'masstock' (pro): plan fee and compute credit counted on "
        "masstock-production.db",
    )


def _db(report: CostReport) -> CostLine:
    return next(line for line in report.lines if line.component == "db")


def test_live_supabase_prices_replace_the_tables_and_the_estimate_says_so() -> None:
    live = LivePrices({"micro": 9.81, "small": 15.04}, {"7": 100}, via="Supabase GET x")
    report = estimate(stack("wecelebrate"), live)
    line = report.lines[0]
    assert line.source == "live"
    assert line.usd == round(25 + 15.04 - 10 + 100, 2)
    assert report.sources() == "live from Supabase GET x: db; the rest from the tables"
    table = estimate(stack("wecelebrate"), LivePrices(missing="no SUPABASE_ACCESS_TOKEN"))
    assert table.sources() == "all prices from the tables (no SUPABASE_ACCESS_TOKEN)"


def test_upstash_pay_as_you_go_without_a_budget_has_no_ceiling() -> None:
    report = estimate(stack("mais-production"))
    cache = next(line for line in report.lines if line.component == "cache")
    assert (cache.usd, cache.max_usd) == (0, None)
    assert cache.note.startswith("usage-based, no ceiling: no budget_usd")
    assert "BullMQ" in cache.usage
    assert report.max_total_usd is None
    assert report.unbounded() == ["cache"]


#: Lines billed by usage in each seed stack; each must state its assumption.
USAGE_BILLED = {
    "mvp": {"api", "api stopped disk", "cache", "assets"},
    "mais-production": {"api", "jobs", "db", "cache", "web"},
    "realstaging": {"api", "worker", "db storage", "media"},
    "wecelebrate": {"db"},
}


@pytest.mark.parametrize("name", sorted(USAGE_BILLED))
def test_every_usage_billed_line_states_its_assumption(name: str) -> None:
    lines = {line.label: line for line in estimate(stack(name)).lines}
    assert {label for label, line in lines.items() if line.usage} == USAGE_BILLED[name]
    for label in USAGE_BILLED[name]:
        assert "ASSUMPTION:" in lines[label].usage, label


@pytest.mark.parametrize(
    ("name", "total", "ceiling", "breakdown"),
    [
        ("demo", 14, 14, {WORKSPACE: 0, "api": 7, "worker": 7, "db": 0, "cache": 0}),
        ("masstock", 14, 14, {WORKSPACE: 0, "backend": 7, "worker": 7, "db": 0, "queue": 0}),
        (
            "masstock-production",
            49,
            49,
            {WORKSPACE: 0, "backend": 7, "worker": 7, "db": 25, "queue": 10},
        ),
        ("mvp", 6.00, 27.40, {"api": 6.0, "db": 0, "cache": 0, "web": 0, "assets": 0}),
        (
            "mais-staging",
            14,
            None,
            {WORKSPACE: 0, "api": 7, "jobs": 7, "db": 0, "cache": 0, "web": 0},
        ),
        (
            "mais-production",
            102,
            None,
            {WORKSPACE: 25, "api": 25, "jobs": 7, "db": 25, "cache": 0, "web": 20},
        ),
        ("wecelebrate", 130, 130, {"db": 130}),
        (
            "realstaging",
            30.30,
            30.30,
            {WORKSPACE: 0, "api": 7, "worker": 7, "db": 6.30, "redis": 10, "media": 0},
        ),
    ],
)
def test_every_seed_stack_has_a_monthly_total_and_ceiling(
    name: str, total: float, ceiling: float | None, breakdown: dict[str, float]
) -> None:
    report = estimate(stack(name))
    assert (report.total_usd, report.max_total_usd) == (total, ceiling)
    assert report.breakdown() == breakdown


def test_mais_production_is_at_least_102_to_152_plus_its_uncapped_queue() -> None:
    # Issue 17: "mais-production's 77-127 is really at least 102-152" (the Pro workspace).
    report = estimate(stack("mais-production"))
    bounded = sum(line.max_usd or 0 for line in report.lines)
    assert (report.total_usd, bounded) == (102, 152)


def test_the_stack_outputs_carry_the_total_and_the_breakdown() -> None:
    assert as_outputs(estimate(stack("masstock-production"))) == {
        "monthlyCostUsd": 49.0,
        "monthlyCostBreakdown": {WORKSPACE: 0, "backend": 7, "worker": 7, "db": 25, "queue": 10},
    }


@pytest.mark.parametrize(
    ("row", "usd", "source"),
    [
        (prices.RENDER_WORKSPACE.rows["pro"], 25, "https://render.com/pricing"),
        (prices.RENDER_WORKSPACE.rows["hobby"], 0, "https://render.com/docs/team-members"),
        (prices.RENDER_POSTGRES_STORAGE, 0.30, "https://render.com/pricing"),
        (prices_fly.FLY_USAGE.rows["stopped_rootfs"], 0.15, "https://fly.io/docs/about/pricing/"),
        (
            prices.UPSTASH_USAGE.rows["commands"],
            0.20,
            "https://upstash.com/docs/redis/overall/billing",
        ),
        (prices.SUPABASE_USAGE.rows["disk"], 0.125, "https://supabase.com/changelog"),
    ],
)
def test_each_new_line_is_priced_from_its_cited_page(row: Price, usd: float, source: str) -> None:
    assert (row.usd, row.source) == (usd, source)
    assert DATE.match(row.read)
