"""The realistic-delay bench's yardstick: the critical path of a state's resource graph."""

from __future__ import annotations

from typing import Any

from bench.delays import REALISTIC, critical_path


def _resource(
    urn: str, kind: str = "", parent: str = "", deps: tuple[str, ...] = ()
) -> dict[str, Any]:
    type_ = f"pulumi-python:dynamic/{kind}" if kind else "paas:components:Thing"
    return {
        "urn": f"urn:pulumi:s::p::{type_}::{urn}",
        "type": type_,
        "parent": parent,
        "dependencies": list(deps),
    }


def test_the_critical_path_is_the_longest_chain_of_waits_through_dependencies() -> None:
    project = _resource("db-project", "supabase:Project", parent="c")
    component = _resource("db")
    component["urn"] = project["parent"] = "urn:db"
    service = _resource("api-service", "render:Service", deps=("urn:db",))
    cache = _resource("cache", "render:KeyValue")
    seconds, chain = critical_path([component, project, service, cache])
    # A dependency on the component waits for the project under it: 20 s + 15 s.
    assert seconds == REALISTIC.project + REALISTIC.deploy
    assert chain == ["db-project", "api-service"]


def test_independent_waits_do_not_add_up() -> None:
    resources = [
        _resource("pg", "render:Postgres"),
        _resource("kv", "render:KeyValue"),
        _resource("web", "render:Service"),
    ]
    assert critical_path(resources)[0] == max(REALISTIC.database, REALISTIC.deploy)
    assert critical_path([]) == (0.0, [])
