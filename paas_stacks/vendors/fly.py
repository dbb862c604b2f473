"""Fly.io's words: guest sizes, what memory each allows, regions and autostop modes.

The rule that matters here: a size name is parsed once (``guest``), so the spec's memory check,
the machine config and the price all read the same CPU kind and count from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from paas_stacks.vendors.places import DEFAULT_PLACE, FLY_NEAREST, region_of

__all__ = [
    "AUTOSTOP",
    "DEFAULT_REGION",
    "DEFAULT_SIZE",
    "REGIONS",
    "SIZES",
    "SIZING_PAGE",
    "Autostop",
    "CpuKind",
    "Guest",
    "Region",
    "Size",
    "guest",
]

SIZING_PAGE = "fly.io/docs/machines/guides-examples/machine-sizing"

#: Fly.io's named guest presets.
Size = Literal[
    "shared-cpu-1x",
    "shared-cpu-2x",
    "shared-cpu-4x",
    "shared-cpu-8x",
    "performance-1x",
    "performance-2x",
    "performance-4x",
    "performance-8x",
    "performance-16x",
]
SIZES: tuple[Size, ...] = get_args(Size)
DEFAULT_SIZE: Size = "shared-cpu-1x"
CpuKind = Literal["shared", "performance"]
#: Memory per CPU, smallest and largest, by CPU kind (``SIZING_PAGE``).
MEMORY_PER_CPU_MB: dict[CpuKind, tuple[int, int]] = {
    "shared": (256, 2048),
    "performance": (2048, 8192),
}


@dataclass(frozen=True)
class Guest:
    """A size as the Machines API takes it: ``cpu_kind`` and ``cpus``."""

    cpu_kind: CpuKind
    cpus: int

    @property
    def min_memory_mb(self) -> int:
        return MEMORY_PER_CPU_MB[self.cpu_kind][0] * self.cpus

    @property
    def max_memory_mb(self) -> int:
        return MEMORY_PER_CPU_MB[self.cpu_kind][1] * self.cpus


def guest(size: Size) -> Guest:
    """``shared-cpu-2x`` -> shared, 2; ``performance-4x`` -> performance, 4."""
    kind: CpuKind = "shared" if size.startswith("shared") else "performance"
    return Guest(kind, int(size.rsplit("-", 1)[1].removesuffix("x")))


#: Fly.io's regions after its 2025 consolidation (fly.io/docs/reference/regions/).
Region = Literal[
    "ams",
    "arn",
    "bom",
    "cdg",
    "dfw",
    "ewr",
    "fra",
    "gru",
    "iad",
    "jnb",
    "lax",
    "lhr",
    "nrt",
    "ord",
    "sin",
    "sjc",
    "syd",
    "yyz",
]
REGIONS: tuple[Region, ...] = get_args(Region)
assert set(REGIONS) == set(FLY_NEAREST)  # noqa: S101 - every region has a nearest place
DEFAULT_REGION: Region = "sjc"
assert region_of("fly", DEFAULT_PLACE) == DEFAULT_REGION  # noqa: S101

#: What Fly's proxy does with idle machines.
Autostop = Literal["off", "stop", "suspend"]
AUTOSTOP: tuple[Autostop, ...] = get_args(Autostop)
