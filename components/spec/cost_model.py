"""What an estimate is made of: lines, a report per stack, and the live prices it may use.

The rule that matters here: a line's floor (``usd``) is what the stack costs if nothing is used,
its ceiling (``max_usd``) what bounds it, ``None`` when nothing does; whatever the vendor bills by
usage is named in ``usage`` with the assumption the floor makes, so no total hides a part.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["CostLine", "CostReport", "LivePrices", "Source"]

#: Where a line's figures come from: the price tables, or a vendor's API at estimate time.
Source = Literal["table", "live"]


@dataclass(frozen=True)
class LivePrices:
    """Prices a vendor's API returned (USD per month), and how they were read."""

    #: Supabase compute size (``micro``) -> USD per month, from ``GET .../billing/addons``.
    supabase_compute: Mapping[str, float] = field(default_factory=dict)
    #: Supabase PITR retention days (``"7"``) -> USD per month.
    supabase_pitr: Mapping[str, float] = field(default_factory=dict)
    #: E.g. ``Supabase GET /v1/projects/{ref}/billing/addons``.
    via: str = ""
    #: Why no live price was read, when none was ("no SUPABASE_ACCESS_TOKEN").
    missing: str = ""


@dataclass(frozen=True)
class CostLine:
    """One priced part of a component (``item`` "" is the component itself)."""

    component: str
    vendor: str
    plan: str
    usd: float
    #: ``None``: no ceiling (usage billed with no cap).
    max_usd: float | None
    note: str = ""
    item: str = ""
    #: What is billed by usage and the ASSUMPTION the floor makes about it; "" if nothing is.
    usage: str = ""
    source: Source = "table"

    @property
    def label(self) -> str:
        return f"{self.component} {self.item}".strip()

    def as_json(self) -> dict[str, Any]:
        return {
            "component": self.component,
            "item": self.item,
            "vendor": self.vendor,
            "plan": self.plan,
            "usd": self.usd,
            "max_usd": self.max_usd,
            "note": self.note,
            "usage": self.usage,
            "source": self.source,
        }


@dataclass(frozen=True)
class CostReport:
    """A stack's monthly estimate."""

    stack: str
    lines: tuple[CostLine, ...] = ()
    #: Stack-wide assumptions (which organization's plan fee is counted where, ...).
    assumptions: tuple[str, ...] = ()
    live: LivePrices = field(default_factory=LivePrices)

    @property
    def total_usd(self) -> float:
        return round(sum(line.usd for line in self.lines), 2)

    @property
    def max_total_usd(self) -> float | None:
        """The sum of the ceilings; ``None`` if any part has none."""
        if any(line.max_usd is None for line in self.lines):
            return None
        return round(sum(line.max_usd or 0.0 for line in self.lines), 2)

    def unbounded(self) -> list[str]:
        return [line.label for line in self.lines if line.max_usd is None]

    def breakdown(self) -> dict[str, float]:
        """Component -> USD per month (the ``monthlyCostBreakdown`` stack output)."""
        out: dict[str, float] = {}
        for line in self.lines:
            out[line.component] = round(out.get(line.component, 0.0) + line.usd, 2)
        return out

    def sources(self) -> str:
        """Which figures are live and which are from the tables, in one phrase."""
        live = [line.label for line in self.lines if line.source == "live"]
        if not live:
            why = f" ({self.live.missing})" if self.live.missing else ""
            return f"all prices from the tables{why}"
        return f"live from {self.live.via}: {', '.join(live)}; the rest from the tables"

    def as_json(self) -> dict[str, Any]:
        return {
            "stack": self.stack,
            "total_usd": self.total_usd,
            "max_total_usd": self.max_total_usd,
            "no_ceiling": self.unbounded(),
            "breakdown": self.breakdown(),
            "prices": self.sources(),
            "assumptions": list(self.assumptions),
            "lines": [line.as_json() for line in self.lines],
        }
