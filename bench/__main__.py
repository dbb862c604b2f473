"""``python -m bench``: run every benchmark and rewrite bench/results/.

``--quick`` (one repetition, the demo stack, sizes 1 and 10, two import runs) checks the
machinery in a few minutes; the committed results come from a full run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
from pathlib import Path
from typing import Any

from bench import chart, imports, report, sandbox, scaling, stacks

RESULTS = Path(__file__).parent / "results"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a small run to check the scripts")
    parser.add_argument("--repetitions", type=int, default=3, help="per seed stack (default 3)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results directory")
    parser.add_argument("--skip-sandbox", action="store_true", help="skip the throughput bench")
    return parser


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def run(quick: bool, repetitions: int) -> dict[str, Any]:
    results: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
        "load_before": _load(),
    }
    print("== seed stacks", flush=True)
    results["stacks"] = stacks.run(
        ("demo",) if quick else stacks.STACKS, 1 if quick else repetitions
    )
    print("== scaling", flush=True)
    results["scaling"] = scaling.run((1, 10) if quick else scaling.SIZES, 1 if quick else 2)
    print("== imports", flush=True)
    results["imports"] = imports.run(2 if quick else 5)
    results["load_after"] = _load()
    return results


def write(results: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name in ("stacks", "scaling", "imports"):
        document = {
            "machine": results["machine"],
            "load_before": results["load_before"],
            "load_after": results["load_after"],
            name: results[name],
        }
        (out / f"{name}.json").write_text(json.dumps(document, indent=2) + "\n")
    (out / "results.md").write_text(report.markdown(results))
    chart.draw(results["stacks"], results["scaling"], results["imports"], out / "chart.png")


def main() -> None:
    args = _parser().parse_args()
    results = run(args.quick, args.repetitions)
    write(results, args.out)
    print("\n".join(report.goals(results)))
    if not args.skip_sandbox and not args.quick:
        print("== sandbox throughput", flush=True)
        sandbox.main()


if __name__ == "__main__":
    main()
