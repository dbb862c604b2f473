"""``python -m bench``: run every benchmark and rewrite bench/results/.

``--quick`` (one repetition, the demo stack, sizes 1 and 10, two import runs) checks the
machinery in a few minutes; the committed results come from a full run. ``--delays-only`` runs
just the realistic-delay scenario and rewrites results.md from the other committed JSON files.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
from pathlib import Path
from typing import Any

from bench import chart, delays, imports, report, sandbox, scaling, stacks

RESULTS = Path(__file__).parent / "results"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a small run to check the scripts")
    parser.add_argument("--repetitions", type=int, default=3, help="per seed stack (default 3)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results directory")
    parser.add_argument("--skip-sandbox", action="store_true", help="skip the throughput bench")
    parser.add_argument(
        "--delays-only",
        action="store_true",
        help="run only the realistic-delay scenario; keep the other committed results",
    )
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
    print("== realistic delays", flush=True)
    results["delays"] = delays.run(("demo",) if quick else delays.STACKS, 1 if quick else 3)
    results["load_after"] = _load()
    return results


def write(
    results: dict[str, Any],
    out: Path,
    names: tuple[str, ...] = ("stacks", "scaling", "imports", "delays"),
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name in names:
        if name not in results:
            continue
        document = {
            "machine": results["machine"],
            "load_before": results["load_before"],
            "load_after": results["load_after"],
            name: results[name],
        }
        (out / f"{name}.json").write_text(json.dumps(document, indent=2) + "\n")
    (out / "results.md").write_text(report.markdown(results))
    chart.draw(results["stacks"], results["scaling"], results["imports"], out / "chart.png")


def rerun_delays(out: Path, repetitions: int) -> dict[str, Any]:
    """The committed results with only the realistic-delay scenario run again."""
    results: dict[str, Any] = {}
    for name in ("stacks", "scaling", "imports"):
        document = json.loads((out / f"{name}.json").read_text())
        results[name] = document[name]
        for key in ("machine", "load_before", "load_after"):
            results.setdefault(key, document[key])
    print("== realistic delays", flush=True)
    before = _load()
    results["delays"] = delays.run(delays.STACKS, repetitions)
    # Its own load: the other results keep the figures of the run that made them.
    results["delays"] |= {"load_before": before, "load_after": _load()}
    return results


def main() -> None:
    args = _parser().parse_args()
    if args.delays_only:
        write(rerun_delays(args.out, args.repetitions), args.out, ("delays",))
        print(
            "\n".join(
                report.delay_goals(json.loads((args.out / "delays.json").read_text())["delays"])
            )
        )
        return
    results = run(args.quick, args.repetitions)
    write(results, args.out)
    print("\n".join(report.goals(results)))
    if not args.skip_sandbox and not args.quick:
        print("== sandbox throughput", flush=True)
        sandbox.main()


if __name__ == "__main__":
    main()
