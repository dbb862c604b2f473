"""Budgets: a production stack's ``budget_usd`` (preview warns, up refuses unless allowed), the
uncapped Upstash warning, and the repository's ceiling on previews."""

from __future__ import annotations

from pathlib import Path

import pytest

from paas_stacks.components.spec import EnvironmentSpec, load_stack
from paas_stacks.components.spec.cost import estimate
from paas_stacks.cost.budget import Verdict, environment_budget, parse_ceiling, preview_gate

STACKS = Path(__file__).resolve().parents[3] / "stacks"
FILE = "stacks/Pulumi.masstock-production.yaml"


def production(budget: float | None) -> EnvironmentSpec:
    """masstock-production ($49 a month, every part bounded) with ``budget_usd``."""
    spec = load_stack("masstock-production", STACKS, check_secrets=False)
    return spec.model_copy(update={"budget_usd": budget})


def verdicts(spec: EnvironmentSpec, *, updating: bool, allow: bool = False) -> list[Verdict]:
    report = estimate(spec)
    return list(environment_budget(spec, report, file=FILE, updating=updating, allow_over=allow))


def test_up_refuses_a_production_stack_over_its_budget() -> None:
    [verdict] = verdicts(production(40), updating=True)
    assert verdict == Verdict(
        "refuse",
        "stacks/Pulumi.masstock-production.yaml: environment.budget_usd: the monthly estimate "
        "$49.00 exceeds the budget $40.00 (backend $7.00, worker $7.00, db $25.00, queue "
        "$10.00); shrink the plans, raise budget_usd, or run with --config "
        "paas-stacks:allow-over-budget=true",
    )


def test_preview_only_warns_about_the_same_stack() -> None:
    [verdict] = verdicts(production(40), updating=False)
    assert verdict.level == "warn"
    assert "`pulumi up` will refuse it unless --config paas-stacks:allow-over-budget=true" in (
        verdict.message
    )


def test_allow_over_budget_lets_up_through_with_a_warning() -> None:
    [verdict] = verdicts(production(40), updating=True, allow=True)
    assert verdict.level == "warn"
    assert verdict.message.endswith("allowed by paas-stacks:allow-over-budget")


def test_a_stack_within_its_budget_passes_silently() -> None:
    assert verdicts(production(49), updating=True) == []
    assert verdicts(production(None), updating=True) == []


def test_a_ceiling_above_the_budget_is_a_warning_not_a_refusal() -> None:
    spec = load_stack("mais-production", STACKS, check_secrets=False)  # $102, cache uncapped
    found = list(
        environment_budget(
            spec.model_copy(update={"budget_usd": 120}),
            estimate(spec),
            file="f",
            updating=True,
            allow_over=False,
        )
    )
    assert [v.level for v in found] == ["warn", "warn"]
    assert found[0].message.startswith(
        "f: environment.redis.cache.budget_usd: unset on "
        "pay-as-you-go, so cache has no monthly ceiling"
    )
    assert found[1].message == (
        "f: environment.budget_usd: the estimate $102.00 is within $120.00, but the stack has no "
        "ceiling (autoscaling, usage)"
    )


def test_only_production_stacks_are_warned_about_an_uncapped_upstash_database() -> None:
    staging = load_stack("mais-staging", STACKS, check_secrets=False)
    assert (
        list(
            environment_budget(
                staging, estimate(staging), file="f", updating=False, allow_over=False
            )
        )
        == []
    )


def test_the_preview_gate_refuses_over_the_repository_ceiling() -> None:
    report = estimate(load_stack("demo", STACKS, check_secrets=False))  # $14
    assert preview_gate(report, 20) == Verdict(
        "ok", "demo: $14.00 a month, within the preview budget $20.00"
    )
    refused = preview_gate(report, 10)
    assert refused.level == "refuse"
    assert refused.message == (
        "demo: the monthly estimate $14.00 exceeds the repository's preview budget $10.00 "
        "(PREVIEW_BUDGET_USD): not deployed (api $7.00, worker $7.00)"
    )
    assert preview_gate(report, None).level == "ok"


@pytest.mark.parametrize("text", ["", "  ", None])
def test_an_unset_ceiling_means_no_gate(text: str | None) -> None:
    assert parse_ceiling(text) is None


@pytest.mark.parametrize("text", ["ten", "0", "-5", "nan"])
def test_a_bad_ceiling_is_one_clear_line(text: str) -> None:
    with pytest.raises(
        ValueError,
        match=r"^--ceiling \(PREVIEW_BUDGET_USD\) must be a number of "
        r"USD above 0; got ",
    ):
        parse_ceiling(text)
