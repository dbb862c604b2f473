"""``python -m paas_stacks.cost <stack> [--against <base>] [--json] [--no-live]``: a stack's
monthly estimate, line by line, and its difference from another stack.

The rule that matters here: the numbers are ``price_stacks``'s, the same function the PR comment
and the preview budget gate use, so what a person reads here is what the gate judged.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from paas_stacks.components.spec import EnvironmentSpec, SpecError, load_stack
from paas_stacks.components.spec.cost import estimate_together
from paas_stacks.components.spec.cost_model import CostReport, LivePrices
from paas_stacks.components.spec.data import SupabasePostgresSpec
from paas_stacks.cost.live import supabase_prices

__all__ = ["main", "price_stacks", "render_json", "render_table"]


def price_stacks(
    specs: Sequence[EnvironmentSpec], *, live: bool, env: Mapping[str, str] | None = None
) -> list[CostReport]:
    """Estimate ``specs`` together (shared Supabase organizations counted once, on the first),
    with Supabase's live prices when ``live`` and a token is present."""
    prices = LivePrices(missing="live prices not asked for")
    if live:
        orgs = [
            db.organization
            for spec in specs
            for db in spec.postgres.values()
            if isinstance(db, SupabasePostgresSpec)
        ]
        prices = supabase_prices(orgs, env) if orgs else LivePrices(missing="no Supabase part")
    return estimate_together(specs, prices)


def _usd(value: float | None) -> str:
    return "no ceiling" if value is None else f"{value:,.2f}"


def render_table(report: CostReport, against: CostReport | None = None) -> str:
    """The lines of ``report`` as text columns; with ``against``, the base's and the change."""
    rows = [("component", "vendor", "plan", "$/month", "ceiling", "note / usage")]
    for line in report.lines:
        detail = "; ".join(part for part in (line.note, line.usage) if part)
        rows.append(
            (line.label, line.vendor, line.plan, _usd(line.usd), _usd(line.max_usd), detail)
        )
    rows.append(("total", "", "", _usd(report.total_usd), _usd(report.max_total_usd), ""))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    out = [f"{report.stack}: {_usd(report.total_usd)} USD a month ({report.sources()})"]
    out += [
        "  ".join(
            cell.ljust(widths[i]) if i < 3 else cell.rjust(widths[i])
            for i, cell in enumerate(row[:5])
        )
        + f"  {row[5]}"
        for row in rows
    ]
    out += [f"assumption: {text}" for text in report.assumptions]
    if against is not None:
        out.append("")
        out.append(f"against {against.stack}: {_usd(against.total_usd)} a month")
        for name, delta in difference(report, against).items():
            out.append(f"  {name:<{widths[0]}}  {delta:+,.2f}")
        change = report.total_usd - against.total_usd
        out.append(f"  {'total':<{widths[0]}}  {change:+,.2f}")
    return "\n".join(line.rstrip() for line in out)


def difference(report: CostReport, against: CostReport) -> dict[str, float]:
    """Component -> (this stack's USD - the other's), for every component either has."""
    mine, theirs = report.breakdown(), against.breakdown()
    return {
        name: round(mine.get(name, 0.0) - theirs.get(name, 0.0), 2)
        for name in dict.fromkeys([*mine, *theirs])
    }


def render_json(report: CostReport, against: CostReport | None = None) -> str:
    body: dict[str, Any] = report.as_json()
    if against is not None:
        body["against"] = against.as_json()
        body["difference"] = difference(report, against)
        body["difference_usd"] = round(report.total_usd - against.total_usd, 2)
    return json.dumps(body, indent=2)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m paas_stacks.cost",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("stack", help="the stack to price (stacks/Pulumi.<stack>.yaml)")
    parser.add_argument("--against", help="another stack to compare with (priced together)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--no-live",
        action="store_true",
        help="use the price tables even when a Supabase token is set",
    )
    parser.add_argument("--stacks-dir", type=Path, default=Path("stacks"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        stack = load_stack(args.stack, args.stacks_dir, check_secrets=False)
        base = (
            load_stack(args.against, args.stacks_dir, check_secrets=False) if args.against else None
        )
    except SpecError as exc:
        print(f"cost: {exc}".replace("\n", "\n  "), file=sys.stderr)
        return 1
    # The base first: it pays the organization fees the two share, as a preview's base does.
    reports = price_stacks([base, stack] if base else [stack], live=not args.no_live)
    report, against = reports[-1], (reports[0] if base else None)
    print(render_json(report, against) if args.json else render_table(report, against))
    return 0
