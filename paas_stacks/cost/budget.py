"""Budgets: a stack's own ``budget_usd`` (``pulumi preview`` warns, ``pulumi up`` refuses) and the
repository's ceiling on a preview (the preview job fails before ``pulumi up``).

The rule that matters here: a refusal happens before any resource is registered or any vendor
is called, and is one line naming the stack file, the key, the estimate and the way out; the
estimate compared is the floor (what the stack costs idle), and a ceiling above the budget, or
no ceiling at all, is a warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from paas_stacks.components.spec.cost_model import CostReport
from paas_stacks.components.spec.data import UpstashRedisSpec
from paas_stacks.components.spec.environment import EnvironmentSpec

__all__ = ["ALLOW_OVER_BUDGET", "Verdict", "environment_budget", "parse_ceiling", "preview_gate"]

#: ``pulumi up --config paas-stacks:allow-over-budget=true`` lets an over-budget update through.
ALLOW_OVER_BUDGET = "allow-over-budget"
Level = Literal["ok", "warn", "refuse"]


@dataclass(frozen=True)
class Verdict:
    level: Level
    message: str


def _usd(value: float) -> str:
    return f"${value:,.2f}"


def environment_budget(
    spec: EnvironmentSpec, report: CostReport, *, file: str, updating: bool, allow_over: bool
) -> Iterator[Verdict]:
    """What ``pulumi preview`` (``updating`` False) warns about and ``pulumi up`` refuses."""
    yield from _no_ceiling(spec, file)
    budget = spec.budget_usd
    if budget is None:
        return
    at = f"{file}: environment.budget_usd: "
    total, ceiling = report.total_usd, report.max_total_usd
    if total > budget:
        over = (
            f"the monthly estimate {_usd(total)} exceeds the budget {_usd(budget)} "
            f"({_parts(report)})"
        )
        if updating and not allow_over:
            yield Verdict(
                "refuse",
                f"{at}{over}; shrink the plans, raise budget_usd, or run "
                f"with --config paas-stacks:{ALLOW_OVER_BUDGET}=true",
            )
        elif updating:
            yield Verdict("warn", f"{at}{over}; allowed by paas-stacks:{ALLOW_OVER_BUDGET}")
        else:
            yield Verdict(
                "warn",
                f"{at}{over}; `pulumi up` will refuse it unless "
                f"--config paas-stacks:{ALLOW_OVER_BUDGET}=true",
            )
    elif ceiling is None or ceiling > budget:
        bound = "has no ceiling" if ceiling is None else f"can reach {_usd(ceiling)}"
        yield Verdict(
            "warn",
            f"{at}the estimate {_usd(total)} is within {_usd(budget)}, but "
            f"the stack {bound} (autoscaling, usage)",
        )


def _no_ceiling(spec: EnvironmentSpec, file: str) -> Iterator[Verdict]:
    """Production stacks with an uncapped Upstash pay-as-you-go database."""
    if not spec.production:
        return
    for name, cache in spec.redis.items():
        if isinstance(cache, UpstashRedisSpec) and cache.plan == "payg" and not cache.budget_usd:
            yield Verdict(
                "warn",
                f"{file}: environment.redis.{name}.budget_usd: unset on pay-as-you-go, so {name} "
                "has no monthly ceiling (Upstash removed its cap in December 2024); set "
                "budget_usd, or a fixed plan for a job queue that polls",
            )


def _parts(report: CostReport) -> str:
    return ", ".join(f"{name} {_usd(usd)}" for name, usd in report.breakdown().items() if usd)


def parse_ceiling(text: str | None) -> float | None:
    """``--ceiling`` as the workflow passes it: empty (the variable is unset) means no gate."""
    if text is None or not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if value <= 0 or value != value:  # noqa: PLR0124 - NaN is not a ceiling
        raise ValueError(
            f"--ceiling (PREVIEW_BUDGET_USD) must be a number of USD above 0; got {text!r}"
        )
    return value


def preview_gate(report: CostReport, ceiling: float | None) -> Verdict:
    """The repository's ceiling on a preview's monthly estimate."""
    if ceiling is None:
        return Verdict("ok", f"{report.stack}: no preview budget set (PREVIEW_BUDGET_USD)")
    if report.total_usd > ceiling:
        return Verdict(
            "refuse",
            f"{report.stack}: the monthly estimate {_usd(report.total_usd)} exceeds the "
            f"repository's preview budget {_usd(ceiling)} (PREVIEW_BUDGET_USD): not deployed "
            f"({_parts(report)})",
        )
    return Verdict(
        "ok",
        f"{report.stack}: {_usd(report.total_usd)} a month, within the preview "
        f"budget {_usd(ceiling)}",
    )
