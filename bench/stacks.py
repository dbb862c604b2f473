"""The sandbox-backed seed stacks through the real engine, each method timed against the floor.

Per stack and repetition: a fresh sandbox (rate limits on, provisioning delays zero, so windows
start empty as for a new workspace), then ``preview``, ``up`` from empty, a no-op ``up``,
``refresh`` and ``destroy`` with the real providers, then the same five with
``PAAS_STACKS_FLOOR=1`` (same program and graph, no HTTP). Figures are medians over repetitions;
ratios are real / floor.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from bench.harness import METHODS, Step, median, project_copy, sandbox, sequence
from paas_stacks.components.spec import load_stack

STACKS = ("demo", "masstock", "wecelebrate", "realstaging")
#: The one call that creates each resource kind (``vendor METHOD route``, the sandbox's route
#: template under the vendor's base path).
CREATE_ROUTES: dict[str, str] = {
    "render:Service": "render POST /services",
    "render:Postgres": "render POST /postgres",
    "render:KeyValue": "render POST /key-value",
    "render:EnvGroup": "render POST /env-groups",
    "render:CustomDomain": "render POST /services/{serviceId}/custom-domains",
    "supabase:Project": "supabase POST /v1/projects",
    "upstash:RedisDatabase": "upstash POST /redis/database",
    "fly:App": "fly POST /apps",
}
#: Goals from the issue: time ratio to the floor per method (None: no goal).
GOALS: dict[str, float | None] = {
    "preview": 1.3,
    "up": 1.5,
    "noop_up": 1.3,
    "refresh": None,
    "destroy": None,
}


def secret_config(stack: str, project: Path) -> dict[str, str]:
    """A made-up value for every config key the stack's secret sets and buckets reference."""
    spec = load_stack(stack, project / "stacks", check_secrets=False)
    keys = [key for s in spec.secrets.values() for key in s.from_config.values()]
    for store in spec.object_stores.values():
        keys += [k for k in (store.access_key_from_config, store.secret_key_from_config) if k]
    return {f"paas-stacks:{key}": f"bench-secret-{stack}-{key}" for key in keys}


def run_once(
    stack: str, tmp: Path, floor_first: bool = False
) -> tuple[dict[str, Step], dict[str, Step], dict[str, int]]:
    """One repetition: the five methods with the real providers and on the floor (the order
    alternates between repetitions, so a machine getting busier favours neither)."""
    with sandbox(tmp / "sandbox") as sb:
        project = project_copy(tmp)
        secrets = secret_config(stack, project)
        if floor_first:
            floor, _ = sequence(project, stack, sb, True, secrets)
        real, kinds = sequence(project, stack, sb, False, secrets)
        if not floor_first:
            floor, _ = sequence(project, stack, sb, True, secrets)
        leftover = sb.objects()
        if leftover:
            raise RuntimeError(f"{stack}: destroy left {leftover} in the sandbox")
    return real, floor, kinds


def summarize(real: list[dict[str, Step]], floor: list[dict[str, Step]]) -> dict[str, Any]:
    """Median seconds and ratio per method; calls from the first repetition (they repeat)."""
    methods: dict[str, Any] = {}
    for method in METHODS:
        seconds = median([run[method].seconds for run in real])
        floor_seconds = median([run[method].seconds for run in floor])
        first = real[0][method]
        goal = GOALS[method]
        ratio = seconds / floor_seconds
        methods[method] = {
            "seconds": round(seconds, 2),
            "floor_seconds": round(floor_seconds, 2),
            "ratio": round(ratio, 2),
            "goal_ratio": goal,
            "meets_time_goal": None if goal is None else ratio <= goal,
            "calls": first.calls,
            "total_calls": first.total_calls,
            "writes": first.writes,
            "routes": first.routes,
            "floor_calls": max(run[method].total_calls for run in floor),
        }
    return methods


def create_check(kinds: dict[str, int], up: dict[str, Any]) -> dict[str, Any]:
    """Exactly one create call per created resource; every other write is configuration."""
    routes: dict[str, int] = up["routes"]
    creates = {kind: routes.get(route, 0) for kind, route in CREATE_ROUTES.items() if kind in kinds}
    expected = {kind: kinds[kind] for kind in creates}
    create_routes = set(CREATE_ROUTES.values())
    config_writes = {
        route: n
        for route, n in routes.items()
        if route.split(" ")[1] in {"POST", "PUT", "PATCH", "DELETE"} and route not in create_routes
    }
    return {
        "resources": kinds,
        "creates": creates,
        "one_create_per_resource": creates == expected,
        "configuration_writes": config_writes,
    }


def run(stacks: tuple[str, ...] = STACKS, repetitions: int = 3) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for stack in stacks:
        real: list[dict[str, Step]] = []
        floor: list[dict[str, Step]] = []
        kinds: dict[str, int] = {}
        for repetition in range(repetitions):
            with tempfile.TemporaryDirectory(prefix=f"bench-{stack}-") as tmp:
                steps, floor_steps, kinds = run_once(stack, Path(tmp), repetition % 2 == 1)
            real.append(steps)
            floor.append(floor_steps)
            print(f"  {stack} #{repetition + 1}: " + _line(steps, floor_steps), flush=True)
        methods = summarize(real, floor)
        results[stack] = {
            "repetitions": repetitions,
            "methods": methods,
            "up_creates": create_check(kinds, methods["up"]),
        }
    return results


def _line(real: dict[str, Step], floor: dict[str, Step]) -> str:
    return ", ".join(
        f"{m} {real[m].seconds:.1f}s/{floor[m].seconds:.1f}s ({real[m].total_calls} calls)"
        for m in METHODS
    )
