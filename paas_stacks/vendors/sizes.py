"""The size words both service platforms understand: ``size: small | medium | large | ...``.

The rule that matters here: a shared size names the same CPU and memory on every platform, so a
service keeps its resources when it moves between Render and Fly.io by changing ``platform:``
alone; each word is mapped here once to Render's instance type and to Fly's preset plus memory.

Render's instance types fix CPU and memory together (render.com/pricing): starter 0.5 CPU /
512 MB, standard 1 / 2 GB, pro 2 / 4 GB, pro_plus 4 / 8 GB, pro_max 4 / 16 GB, pro_ultra 8 /
32 GB. Fly's shared CPUs are a fraction of a core (fly.io/docs/machines/guides-examples/
machine-sizing), so from ``medium`` up, where Render gives whole CPUs, Fly gets performance
(dedicated) CPUs with the same count where Fly has it and the same memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from paas_stacks.vendors import fly, render

__all__ = ["SIZES", "Size", "SizeMap", "fly_size", "render_plan"]

Size = Literal["small", "medium", "large", "xlarge", "2xlarge", "3xlarge"]
SIZES: tuple[Size, ...] = get_args(Size)


@dataclass(frozen=True)
class SizeMap:
    """One shared size on each platform."""

    cpus: float
    memory_mb: int
    render: render.PaidPlan
    fly: fly.Size


TABLE: dict[Size, SizeMap] = {
    "small": SizeMap(0.5, 512, "starter", "shared-cpu-1x"),
    "medium": SizeMap(1, 2048, "standard", "performance-1x"),
    "large": SizeMap(2, 4096, "pro", "performance-2x"),
    "xlarge": SizeMap(4, 8192, "pro_plus", "performance-4x"),
    "2xlarge": SizeMap(4, 16384, "pro_max", "performance-4x"),
    "3xlarge": SizeMap(8, 32768, "pro_ultra", "performance-8x"),
}
assert set(TABLE) == set(SIZES)  # noqa: S101 - a table that must cover its Literal


def render_plan(size: Size) -> render.PaidPlan:
    """The Render instance type of a shared size."""
    return TABLE[size].render


def fly_size(size: Size) -> tuple[fly.Size, int]:
    """The Fly preset and memory (MB) of a shared size."""
    entry = TABLE[size]
    return entry.fly, entry.memory_mb
