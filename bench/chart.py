"""``bench/results/chart.png``: the stack figures against the floor, scaling, and import cost."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display on build machines

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from bench.harness import METHODS


def draw(
    stacks: dict[str, Any], scaling: dict[str, Any], imports: dict[str, Any], out: Path
) -> None:
    figure, (left, middle, right) = plt.subplots(1, 3, figsize=(17, 6))
    _stacks(left, stacks)
    _scaling(middle, scaling)
    _imports(right, imports)
    figure.tight_layout()
    figure.savefig(out, dpi=110)
    plt.close(figure)


def _stacks(axes: Axes, stacks: dict[str, Any]) -> None:
    """Ratio to the floor per stack and method, with the goals as lines."""
    width = 0.8 / max(1, len(stacks))
    for index, (stack, result) in enumerate(stacks.items()):
        ratios = [result["methods"][m]["ratio"] for m in METHODS]
        positions = [m + index * width for m in range(len(METHODS))]
        axes.bar(positions, ratios, width, label=stack)
    axes.axhline(1.3, color="grey", linestyle="--", linewidth=1, label="goal 1.3x (preview, no-op)")
    axes.axhline(1.5, color="black", linestyle=":", linewidth=1, label="goal 1.5x (up)")
    axes.set_xticks([m + 0.4 - width / 2 for m in range(len(METHODS))], list(METHODS))
    axes.set_ylabel("wall time / floor")
    axes.set_title("Seed stacks: time as a ratio to the floor")
    axes.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3)


def _scaling(axes: Axes, scaling: dict[str, Any]) -> None:
    sizes = sorted(scaling.get("sizes", {}), key=int)
    for method in ("preview", "up", "noop_up", "destroy"):
        real = [scaling["sizes"][s][method]["seconds"] for s in sizes]
        floor = [scaling["sizes"][s][method]["floor_seconds"] for s in sizes]
        (line,) = axes.plot([int(s) for s in sizes], real, marker="o", label=method)
        axes.plot([int(s) for s in sizes], floor, linestyle="--", color=line.get_color())
    axes.set_xlabel("Upstash databases in the stack (dashed: floor)")
    axes.set_ylabel("wall seconds")
    axes.set_title("Scaling: time against N")
    axes.legend(fontsize=8)


def _imports(axes: Axes, imports: dict[str, Any]) -> None:
    cases = imports.get("wall_seconds", {})
    labels = [textwrap.fill(label.split(" (")[0], 24) for label in cases]
    axes.barh(labels, list(cases.values()), color="tab:purple")
    axes.set_xlabel("seconds (fresh interpreter, median)")
    axes.set_title("Import cost")
    axes.invert_yaxis()
