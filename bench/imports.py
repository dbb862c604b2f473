"""Seconds to import the library in a fresh interpreter, with and without the bridged SDKs.

Each case is the wall time of ``python -c "import ..."`` (median of several fresh interpreters,
so nothing is cached in ``sys.modules``), minus nothing: the interpreter's own start is its own
row. ``paas_stacks.components.environment`` is what ``__main__.py`` imports; it loads a
bridged SDK only when a stack uses it, so it is timed alone (offline stacks) and with the SDK
modules the bridged components use. ``python -X importtime`` then splits the latter into each
SDK and the rest.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from typing import Any

from bench.harness import REPO, median

BRIDGED = ("pulumi_aws", "pulumi_cloudflare", "pulumi_github", "pulumiverse_vercel")
#: What a stack that uses the bridged providers loads on top (pulumi_aws loads lazily by module).
USED = "pulumi_cloudflare, pulumi_github, pulumiverse_vercel, pulumi_aws.s3, pulumi_aws.cloudfront"
OFFLINE = "paas_stacks.components.environment"
WITH_BRIDGED = f"paas_stacks.components.environment, {USED}"
CASES: dict[str, str] = {
    "interpreter only": "pass",
    "pulumi SDK": "import pulumi",
    "paas_stacks.providers.floor (the floor's provider process)": (
        "import paas_stacks.providers.floor"
    ),
    "providers (dynamic, all four vendors)": (
        "import paas_stacks.providers.render, paas_stacks.providers.fly, "
        "paas_stacks.providers.supabase, paas_stacks.providers.upstash"
    ),
    "paas_stacks.components.environment, bridged SDKs not used (offline)": f"import {OFFLINE}",
    "paas_stacks.components.environment + the bridged SDKs it uses": f"import {WITH_BRIDGED}",
}


def wall(code: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)
        times.append(time.perf_counter() - started)
    return median(times)


def bridged_share(runs: int) -> dict[str, float]:
    """Import seconds of each bridged SDK (its modules' own times summed: SDKs load submodules
    lazily, outside their package's entry) when a stack uses them, and the total."""
    samples: dict[str, list[float]] = {name: [] for name in (*BRIDGED, "total")}
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", f"import {WITH_BRIDGED}"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        )
        own = _self_times(done.stderr)
        for name in BRIDGED:
            samples[name].append(sum(t for m, t in own.items() if m.split(".")[0] == name))
        samples["total"].append(sum(own.values()))
    return {name: round(median(values), 3) for name, values in samples.items()}


def _self_times(report: str) -> dict[str, float]:
    """``{module: own seconds}`` from an ``-X importtime`` report."""
    found: dict[str, float] = {}
    for line in report.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)$", line)
        if match:
            found[match.group(2)] = found.get(match.group(2), 0.0) + int(match.group(1)) / 1e6
    return found


def run(runs: int = 5) -> dict[str, Any]:
    cases = {label: round(wall(code, runs), 3) for label, code in CASES.items()}
    share = bridged_share(runs)
    bridged = round(sum(share[name] for name in BRIDGED), 3)
    for label, seconds in cases.items():
        print(f"  {label}: {seconds:.2f}s", flush=True)
    return {
        "runs": runs,
        "wall_seconds": cases,
        "importtime_seconds": share,
        "with_bridged_sdk_seconds": bridged,
        "with_bridged_other_seconds": round(share["total"] - bridged, 3),
    }
