"""``up`` with provisioning delays in the vendors' real proportions, against the graph's floor.

The sandbox is started with ``REALISTIC`` delays (Supabase project 20 s, Render deploy 15 s,
Render Postgres 10 s, Key Value 5 s, Fly machine 3 s; rate limits on). The rule that matters:
no run can be faster than the longest chain of those delays through the resource graph (a
resource waits for everything its inputs come from) plus what the same ``up`` costs on the floor
(no delays, no HTTP), so ``up`` wall time is reported against that sum, and the waits' polls are
counted from the sandbox's request log.
"""

from __future__ import annotations

import re
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from bench.harness import Workspace, project_copy
from bench.stacks import secret_config
from sandbox import Sandbox, SandboxConfig
from sandbox.core.context import Delays

STACKS = ("demo", "masstock", "wecelebrate", "realstaging")
REALISTIC = Delays(deploy=15, database=10, project=20, machine=3, key_value=5)
GOAL = 1.10
#: Seconds a created resource of each type waits for its vendor, under ``REALISTIC``.
WAITS: dict[str, float] = {
    "render:Service": REALISTIC.deploy,
    "render:Postgres": REALISTIC.database,
    "render:KeyValue": REALISTIC.key_value_seconds,
    "supabase:Project": REALISTIC.project,
    "fly:Machines": REALISTIC.machine,
}
#: The request each kind's wait repeats (vendor, method, route template without a ``/v1``).
POLLS: dict[str, str] = {
    "render:Service": "render GET /services/{serviceId}/deploys/{deployId}",
    "render:Postgres": "render GET /postgres/{postgresId}",
    "render:KeyValue": "render GET /key-value/{keyValueId}",
    "supabase:Project": "supabase GET /projects/{ref}",
    "fly:Machines": "fly GET /apps/{app_name}/machines/{machine_id}/wait",
}
_DYNAMIC = re.compile(r"pulumi-python:dynamic/(\w+:\w+)")


def kind_of(resource: dict[str, Any]) -> str:
    match = _DYNAMIC.fullmatch(str(resource.get("type", "")))
    return match.group(1) if match else ""


def critical_path(resources: list[dict[str, Any]]) -> tuple[float, list[str]]:
    """The longest chain of ``WAITS`` through the state's dependency graph, and its resources.

    A dependency on a component means every resource under it (the engine waits for them all)."""
    by_urn = {r["urn"]: r for r in resources}
    children: dict[str, list[str]] = {}
    for r in resources:
        if r.get("parent"):
            children.setdefault(r["parent"], []).append(r["urn"])

    def below(urn: str) -> list[str]:
        found = [urn]
        for child in children.get(urn, []):
            found += below(child)
        return found

    @cache
    def longest(urn: str) -> tuple[float, tuple[str, ...]]:
        resource = by_urn[urn]
        best: tuple[float, tuple[str, ...]] = (0.0, ())
        for dep in resource.get("dependencies") or []:
            for inner in below(dep) if dep in by_urn else []:
                candidate = longest(inner)
                best = max(best, candidate)
        weight = WAITS.get(kind_of(resource), 0.0)
        chain = (*best[1], urn.rsplit("::", 1)[-1]) if weight else best[1]
        return best[0] + weight, chain

    if not resources:
        return 0.0, []
    seconds, chain = max(longest(r["urn"]) for r in resources)
    return seconds, list(chain)


def _polls(routes: dict[str, int], kinds: dict[str, int]) -> dict[str, float]:
    """Mean polls per waiting resource of each kind (the first read included)."""
    # Routers differ in whether the logged template keeps the ``/v1`` prefix.
    plain = {key.replace(" /v1/", " /", 1): n for key, n in routes.items()}
    return {
        kind: round(plain.get(POLLS[kind], 0) / count, 1)
        for kind, count in sorted(kinds.items())
        if kind in POLLS and count
    }


def run_stack(stack: str, tmp: Path) -> dict[str, Any]:
    config = SandboxConfig(state_dir=tmp / "sandbox", delays=REALISTIC, rate_limits=True)
    with Sandbox(config) as sb:
        project = project_copy(tmp)
        secrets = secret_config(stack, project)
        real = Workspace(project, stack, sb)
        real.init({"paas-stacks:offline": "true"}, secrets)
        up = real.timed("up")
        resources = real.state_resources()
        real.timed("destroy")
        real.remove()
        floor = Workspace(project, stack, sb, floor=True)
        floor.init({"paas-stacks:offline": "true"}, secrets)
        floor_up = floor.timed("up")
        floor.timed("destroy")
        floor.remove()
    path, chain = critical_path(resources)
    kinds: dict[str, int] = {}
    for resource in resources:
        if kind_of(resource):
            kinds[kind_of(resource)] = kinds.get(kind_of(resource), 0) + 1
    bound = path + floor_up.seconds
    return {
        "up_seconds": round(up.seconds, 2),
        "critical_path_seconds": path,
        "critical_chain": chain,
        "floor_up_seconds": round(floor_up.seconds, 2),
        "ratio": round(up.seconds / bound, 3),
        "meets_goal": up.seconds <= GOAL * bound,
        "polls_per_wait": _polls(up.routes, kinds),
        "up_calls": up.total_calls,
    }


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The repetition whose ``up`` is the median one, with the median floor beside it."""
    ordered = sorted(runs, key=lambda r: r["up_seconds"])
    chosen = dict(ordered[len(ordered) // 2])
    floors = sorted(r["floor_up_seconds"] for r in runs)
    chosen["floor_up_seconds"] = floors[len(floors) // 2]
    bound = chosen["critical_path_seconds"] + chosen["floor_up_seconds"]
    chosen["ratio"] = round(chosen["up_seconds"] / bound, 3)
    chosen["meets_goal"] = chosen["up_seconds"] <= GOAL * bound
    chosen["runs_up_seconds"] = [r["up_seconds"] for r in runs]
    chosen["runs_floor_up_seconds"] = [r["floor_up_seconds"] for r in runs]
    return chosen


def run(stacks: tuple[str, ...] = STACKS, repetitions: int = 3) -> dict[str, Any]:
    """Per stack, the median of ``repetitions`` runs (up and floor each by its median)."""
    results: dict[str, Any] = {"delays": dict(WAITS), "goal": GOAL, "repetitions": repetitions}
    for stack in stacks:
        runs = []
        for _ in range(repetitions):
            with tempfile.TemporaryDirectory(prefix=f"bench-delays-{stack}-") as tmp:
                runs.append(run_stack(stack, Path(tmp)))
        results[stack] = _median_run(runs)
        r = results[stack]
        print(
            f"  {stack}: up {r['up_seconds']:.1f}s, critical path "
            f"{r['critical_path_seconds']:.0f}s + floor {r['floor_up_seconds']:.1f}s -> "
            f"{r['ratio']:.2f}x, polls {r['polls_per_wait']}",
            flush=True,
        )
    return results
