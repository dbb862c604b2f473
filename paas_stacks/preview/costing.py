"""What a preview costs beside its base, and the repository's budget gate on it.

The rule that matters here: the preview and its base are priced together from their stack files
and the price tables (never a vendor's API), so the gate can refuse before any vendor call and
the comment shows exactly the figures the gate judged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from paas_stacks.components.spec import load_stack
from paas_stacks.components.spec.cost_model import CostReport
from paas_stacks.cost.budget import preview_gate
from paas_stacks.cost.cli import price_stacks
from paas_stacks.preview.comment import CommentData, render_refused
from paas_stacks.preview.plan import require_base, stack_name

__all__ = ["cost_fields", "costs", "gate"]


def costs(stacks_dir: Path, pr: int, base: str) -> tuple[CostReport, CostReport]:
    """(preview, base) priced together from their stack files, the base first (it pays the
    organization fees they share), from the tables: the gate must run before any vendor call,
    and the comment shows the figures the gate judged."""
    base_spec = load_stack(require_base(base), stacks_dir, check_secrets=False)
    preview_spec = load_stack(stack_name(pr), stacks_dir, check_secrets=False)
    base_cost, preview_cost = price_stacks([base_spec, preview_spec], live=False)
    return preview_cost, base_cost


def cost_fields(preview: CostReport, base: CostReport, budget: str = "") -> dict[str, Any]:
    notes = [*preview.assumptions]
    notes += [f"{name} has no monthly ceiling" for name in preview.unbounded()]
    return {
        "preview_cost": preview.breakdown(),
        "base_cost": base.breakdown(),
        "prices": preview.sources(),
        "budget": budget,
        "notes": tuple(notes),
    }


def gate(stacks_dir: Path, pr: int, base: str, ceiling: float | None) -> tuple[bool, str, str]:
    """(passed, the verdict, the comment to post when refused) for a prepared ``pr-<pr>``."""
    preview_cost, base_cost = costs(stacks_dir, pr, base)
    verdict = preview_gate(preview_cost, ceiling)
    data = CommentData(
        stack_name(pr), base, {}, {}, summary={}, update=0, **cost_fields(preview_cost, base_cost)
    )
    return verdict.level == "ok", verdict.message, render_refused(data, verdict.message)
