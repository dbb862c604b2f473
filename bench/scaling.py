"""Time and vendor calls against the size of an environment: 1, 10 and 50 resources.

The resource is an Upstash Redis database, one per generated ``redis:`` entry of a stack file run
through the real program. It is the cheapest kind that still does real HTTP and whose documented
limit (600 requests a minute per key) a 50-resource stack stays under: Render allows 20 service
creates an hour and 30 other writes a minute per key, and Fly 3 app creates a second, so with the
sandbox's rate limits on, a 50-service Render or Fly environment measures the vendor's limit
(429 waits), not the providers. Each repetition of a size gets a fresh sandbox, then the floor;
figures are medians.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from bench.harness import METHODS, Step, median, project_copy, sandbox, sequence

SIZES = (1, 10, 50)
#: Seconds per resource at 50 may be this factor of those at 10 and still count as flat.
FLAT_TOLERANCE = 1.1


def stack_file(size: int) -> str:
    """A stack of ``size`` Upstash databases and nothing else."""
    entries = "".join(f"      cache-{n}: {{provider: upstash, plan: free}}\n" for n in range(size))
    return "config:\n  paas-stacks:environment:\n    region: frankfurt\n    redis:\n" + entries


def run_size(
    size: int, tmp: Path, floor_first: bool = False
) -> tuple[dict[str, Step], dict[str, Step]]:
    name = f"scale-{size}"
    with sandbox(tmp / "sandbox") as sb:
        project = project_copy(tmp, {name: stack_file(size)})
        if floor_first:
            floor, _ = sequence(project, name, sb, True, {})
        real, kinds = sequence(project, name, sb, False, {})
        if not floor_first:
            floor, _ = sequence(project, name, sb, True, {})
        leftover = sb.objects()
    if kinds.get("upstash:RedisDatabase") != size or leftover:
        raise RuntimeError(f"{name}: state held {kinds}, sandbox kept {leftover}")
    return real, floor


def _figures(real: list[Step], floor: list[Step], size: int) -> dict[str, Any]:
    seconds = median([step.seconds for step in real])
    floor_seconds = median([step.seconds for step in floor])
    return {
        "seconds": round(seconds, 2),
        "floor_seconds": round(floor_seconds, 2),
        "ratio": round(seconds / floor_seconds, 2),
        "seconds_per_resource": round(seconds / size, 3),
        "calls": real[0].total_calls,
        "writes": real[0].writes,
        "calls_per_resource": round(real[0].total_calls / size, 2),
    }


def measure(size: int, repetitions: int) -> dict[str, Any]:
    real: list[dict[str, Step]] = []
    floor: list[dict[str, Step]] = []
    for repetition in range(repetitions):
        with tempfile.TemporaryDirectory(prefix=f"bench-scale-{size}-") as tmp:
            steps, floor_steps = run_size(size, Path(tmp), repetition % 2 == 1)
        real.append(steps)
        floor.append(floor_steps)
    return {
        method: _figures([r[method] for r in real], [f[method] for f in floor], size)
        for method in METHODS
    }


def run(sizes: tuple[int, ...] = SIZES, repetitions: int = 2) -> dict[str, Any]:
    results: dict[str, Any] = {
        "resource": "upstash:RedisDatabase",
        "repetitions": repetitions,
        "sizes": {},
    }
    for size in sizes:
        figures = measure(size, repetitions)
        results["sizes"][str(size)] = figures
        print(
            f"  {size} resources: "
            + ", ".join(
                f"{m} {f['seconds']:.1f}s ({f['calls']} calls)" for m, f in figures.items()
            ),
            flush=True,
        )
    results["flatness"] = flatness(results["sizes"])
    return results


def flatness(sizes: dict[str, Any]) -> dict[str, Any]:
    """Per method: seconds per resource at 10 and at 50 (the goal: flat), the marginal seconds per
    added resource with the real providers and on the floor, and the providers' own share per
    resource ((real - floor) / N)."""
    if not {"1", "10", "50"} <= set(sizes):
        return {}
    out: dict[str, Any] = {}
    for method in METHODS:
        one, ten, fifty = (sizes[n][method] for n in ("1", "10", "50"))
        per_10, per_50 = ten["seconds"] / 10, fifty["seconds"] / 50
        out[method] = {
            "per_resource_10": round(per_10, 3),
            "per_resource_50": round(per_50, 3),
            "marginal_1_to_10": round((ten["seconds"] - one["seconds"]) / 9, 3),
            "marginal_10_to_50": round((fifty["seconds"] - ten["seconds"]) / 40, 3),
            "floor_marginal_10_to_50": round(
                (fifty["floor_seconds"] - ten["floor_seconds"]) / 40, 3
            ),
            "providers_per_resource_10": round((ten["seconds"] - ten["floor_seconds"]) / 10, 3),
            "providers_per_resource_50": round((fifty["seconds"] - fifty["floor_seconds"]) / 50, 3),
            "flat": per_50 <= per_10 * FLAT_TOLERANCE,
        }
    return out
