"""Fly.io's prices: a machine's price is its region's multiple of the cheapest region's.

The rule that matters here: every region the vocabulary knows (``paas_stacks.vendors.fly``) has
a row, so a service is always priced where it runs; the presets the page prints in a region win
over the formula (the page rounds per-second prices, so the formula can be a cent off).
"""

from __future__ import annotations

from typing import get_args

from paas_stacks.components.spec.prices import READ, Price, PriceTable
from paas_stacks.vendors import fly

__all__ = ["FLY_LISTED", "FLY_MACHINES", "FLY_REGIONS", "FLY_USAGE", "fly_machine_usd"]

FLY = "https://fly.io/docs/about/pricing/"
FLY_BLOG = "https://fly.io/blog/new-vms-more-ram-extra-cpu-and-a-dollar-menu/"
#: The page's region selector scales every price by the region's ``markup_ratio``.
MARKUPS = (
    "the page's regionMarkups (read through a stored third-party copy of it; matches the "
    "page's ams $5.92, sjc $6.79, lax $2.33 and syd $7.23 within a cent)"
)

FLY_MACHINES = PriceTable(
    "Fly.io Machines in the cheapest regions (iad, ewr): per running machine, per second",
    {
        "shared": Price(1.94, FLY_BLOG, READ, "shared-cpu-1x with its 256 MB"),
        "performance": Price(
            31.00, FLY_BLOG, READ, "performance-1x with its 2 GB (the blog's dedicated-cpu-1x)"
        ),
        "memory_per_gb": Price(5.00, FLY, READ, "each GB above the preset's base memory"),
    },
)
FLY_USAGE = PriceTable(
    "Fly.io storage and traffic",
    {
        "stopped_rootfs": Price(
            0.15, FLY, READ, "a stopped machine's root file system (its image)", unit="GB-month"
        ),
        "volume": Price(0.15, FLY, READ, "provisioned, attached or not", unit="GB-month"),
        "egress_na_eu": Price(
            0.02,
            "https://fly.io/docs/about/pricing/#data-transfer-pricing",
            READ,
            "unconfirmed here: the page's table is rendered from data not stored; $0.02 is "
            "what stored third-party summaries of it say",
            unit="GB",
        ),
    },
)
FLY_REGIONS = PriceTable(
    "Fly.io price multiple of each region over the cheapest (iad)",
    {
        region: Price(markup, FLY, READ, MARKUPS, unit="x")
        for region, markup in {
            "ams": 1.038461538,
            "arn": 1.038461538,
            "bom": 1.076923077,
            "cdg": 1.134615385,
            "dfw": 1.25,
            "ewr": 1.0,
            "fra": 1.153846154,
            "gru": 1.615384615,
            "iad": 1.0,
            "jnb": 1.302884615,
            "lax": 1.199519231,
            "lhr": 1.134615385,
            "nrt": 1.307692308,
            "ord": 1.25,
            "sin": 1.269230769,
            "sjc": 1.192307692,
            "syd": 1.269230769,
            "yyz": 1.115384615,
        }.items()
    },
)
assert set(FLY_REGIONS.rows) == set(get_args(fly.Region))  # noqa: S101 - every region priced

#: Presets the page prints, by region (``*``: the cheapest regions, iad and ewr).
FLY_LISTED: dict[tuple[str, fly.Size, int], Price] = {
    ("*", "shared-cpu-1x", 256): Price(1.94, FLY_BLOG, READ),
    ("*", "shared-cpu-1x", 512): Price(3.19, FLY, "2025-11"),
    ("*", "shared-cpu-1x", 1024): Price(5.70, FLY_BLOG, READ),
    ("*", "shared-cpu-1x", 2048): Price(10.70, FLY_BLOG, READ),
    ("ams", "shared-cpu-1x", 256): Price(2.02, FLY, READ, "the page's default table"),
    ("ams", "shared-cpu-1x", 1024): Price(5.92, FLY, READ, "the page's default table"),
    ("sjc", "shared-cpu-1x", 256): Price(2.32, FLY, READ),
    ("sjc", "shared-cpu-1x", 1024): Price(
        6.79, "https://fly.io/docs/about/cost-management/", READ, "three in sjc are $20.37"
    ),
    ("lax", "shared-cpu-1x", 256): Price(2.33, FLY, READ, "the page's phased roll-out example"),
}
CHEAPEST = ("iad", "ewr")


def fly_machine_usd(size: fly.Size, memory_mb: int | None, region: fly.Region) -> float:
    """A Fly machine running all month in ``region``: its CPUs with their base memory plus any
    extra memory, times the region's multiple (or the printed preset, where there is one)."""
    guest = fly.guest(size)
    memory = memory_mb or guest.min_memory_mb
    where = "*" if region in CHEAPEST else region
    listed = FLY_LISTED.get((where, size, memory))
    if listed is not None:
        return listed.usd
    base = FLY_LISTED.get(("*", size, memory))
    if base is None:
        extra_gb = max(0, memory - guest.min_memory_mb) / 1024
        cpu = FLY_MACHINES.usd(guest.cpu_kind) * guest.cpus
        base_usd = cpu + FLY_MACHINES.usd("memory_per_gb") * extra_gb
    else:
        base_usd = base.usd
    return round(base_usd * FLY_REGIONS.usd(region), 2)
