"""A preview's Supabase databases: a ``pr-<N>`` branch of the base's project on a paid plan, a
new project on a free one, the price of a branch, and the sweep of stale branches."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from paas_stacks.components.spec import EnvironmentSpec
from paas_stacks.components.spec.cost import estimate
from paas_stacks.errors import PreviewError
from paas_stacks.preview.branch_sweep import stale_reason, sweep_branches
from paas_stacks.preview.databases import (
    base_refs,
    branch_override,
    comment_notes,
    database_plans,
    lookup_refs,
)
from tests.unit.providers.test_supabase import REF, Fake, client
from tests.unit.providers.test_supabase_branch import Branching

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def stack(plan: str = "pro", **top: Any) -> EnvironmentSpec:
    db = {"provider": "supabase", "organization": "acme", "plan": plan}
    return EnvironmentSpec.model_validate(
        {"name": "staging", "postgres": {"db": db}, **top}, context={"rules": False}
    )


def test_a_paid_base_previews_as_a_branch_of_the_project_its_state_holds() -> None:
    [plan] = database_plans(stack("pro"), {"db": REF})
    assert (plan.mode, plan.parent_ref) == ("branch", REF)
    override = branch_override(plan, 7, "feature/login")
    assert override["branch"] == {
        "parent_ref": REF,
        "name": "pr-7",
        "persistent": False,
        "with_data": False,
        "git_branch": "feature/login",
    }
    assert override["plan"] == "pro"
    assert override["adopt_id"] is None


def test_a_free_base_keeps_the_new_project_and_says_why() -> None:
    [plan] = database_plans(stack("free"), {"db": REF})
    assert plan.mode == "project"
    assert "branching needs a paid plan" in plan.why
    assert "'free'" in plan.why


def test_a_stack_can_choose_new_projects_for_its_previews_on_a_paid_plan() -> None:
    [plan] = database_plans(stack("pro", preview_databases="project"), {"db": REF})
    assert plan.mode == "project"
    assert "preview_databases: project" in plan.why


def test_a_paid_base_never_deployed_refuses_with_the_way_out() -> None:
    with pytest.raises(PreviewError, match="deploy the base first, or set preview_databases"):
        database_plans(stack("pro"), {})


def test_branching_on_a_free_plan_is_refused_in_the_stack_file() -> None:
    with pytest.raises(ValueError, match="preview_databases: 'branch' needs Supabase branching"):
        EnvironmentSpec.model_validate(
            {
                "name": "staging",
                "preview_databases": "branch",
                "postgres": {"db": {"provider": "supabase", "organization": "a", "plan": "free"}},
            }
        )


def test_the_base_refs_come_from_its_state_by_component() -> None:
    postgres = (
        "urn:pulumi:staging::paas-stacks::paas:components:Environment$paas:components:Postgres::db"
    )
    deployment = {
        "deployment": {
            "resources": [
                {"urn": postgres, "type": "paas:components:Postgres"},
                {
                    "urn": f"{postgres}$pulumi-python:dynamic/supabase:Project::db-project",
                    "type": "pulumi-python:dynamic/supabase:Project",
                    "parent": postgres,
                    "outputs": {"ref": REF},
                },
            ]
        }
    }
    assert base_refs(deployment) == {"db": REF}


def test_a_base_in_another_backend_is_found_by_name_and_a_name_held_twice_is_refused() -> None:
    def projects(*refs: str) -> list[dict[str, Any]]:
        return [
            {
                "ref": ref,
                "name": "staging-db",
                "organization_slug": "acme",
                "status": "ACTIVE_HEALTHY",
            }
            for ref in refs
        ]

    base = stack("pro")
    one = client(Fake({"GET /v1/projects": projects(REF)}))
    assert lookup_refs(one, base, {"db": base.postgres["db"]}) == {"db": REF}  # type: ignore[dict-item]
    two = client(Fake({"GET /v1/projects": projects(REF, "z" * 20)}))
    with pytest.raises(PreviewError, match="2 Supabase projects are named 'staging-db'"):
        lookup_refs(two, base, {"db": base.postgres["db"]})  # type: ignore[dict-item]


def preview_of(base: EnvironmentSpec, pr: int = 3) -> EnvironmentSpec:
    [plan] = database_plans(base, {"db": REF})
    db = {**base.postgres["db"].model_dump(exclude_none=True), **branch_override(plan, pr, "f")}
    db = {key: value for key, value in db.items() if value is not None}
    return EnvironmentSpec.model_validate(
        {"name": f"pr-{pr}", "postgres": {"db": db}}, context={"rules": False}
    )


def test_a_branch_is_priced_by_the_hour_and_the_month_without_the_plan_fee() -> None:
    preview = preview_of(stack("pro"))
    [line] = [line for line in estimate(preview).lines if line.component == "db"]
    assert line.usd == pytest.approx(0.01344 * 730, abs=0.01)
    assert "$0.01344/hour" in line.note
    assert "plan fee is the parent project's" in line.note
    [note] = comment_notes(stack("pro"), preview)
    assert "branch `pr-3`" in note
    assert "$0.01344/hour" in note
    assert "$9.81 a month" in note


def test_the_comment_of_a_free_base_says_why_its_database_is_a_new_project() -> None:
    base = stack("free")
    [note] = comment_notes(base, base)
    assert note.startswith("`db` is a new Supabase project, not a branch")


# -- the sweep ---------------------------------------------------------------------------------
def branch(name: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, "created_at": "2026-11-30T12:00:00Z", "is_default": False, **fields}


def test_only_pr_branches_of_closed_or_expired_prs_are_stale() -> None:
    assert stale_reason(branch("pr-1"), {2}, NOW, 7) == "PR #1 is not open"
    assert stale_reason(branch("pr-2"), {2}, NOW, 7) is None
    old = branch("pr-2", created_at="2026-11-01T00:00:00Z")
    assert stale_reason(old, {2}, NOW, 7) == ("created 30 days ago, older than the TTL of 7 days")
    assert stale_reason(branch("main", is_default=True), set(), NOW, 7) is None
    assert stale_reason(branch("feature-x"), set(), NOW, 7) is None
    # A run killed before its rename left the tagged name: still PR 1's branch.
    assert stale_reason(branch("pr-1-ps-0123456789ab"), {2}, NOW, 7) == "PR #1 is not open"
    assert stale_reason(branch("pr-2-ps-0123456789ab"), {2}, NOW, 7) is None


def test_the_sweep_deletes_stale_branches_and_never_a_persistent_one_it_did_not_make() -> None:
    world = Branching()
    world.add("main", is_default=True)
    closed = world.add("pr-1")
    mine = world.add("pr-4", persistent=True)
    world.secrets[mine["project_ref"]] = {"PAAS_STACKS_OWNER_0123456789AB"}
    theirs = world.add("pr-5", persistent=True)
    still_open = world.add("pr-2")
    done = sweep_branches(client(world.fake), [REF, REF], {2}, NOW, 7)
    assert set(world.branches) == {
        next(b["id"] for b in world.branches.values() if b["is_default"]),
        theirs["id"],
        still_open["id"],
    }
    assert closed["id"] not in world.branches
    assert mine["id"] not in world.branches
    assert done == [
        f"branch pr-1 of {REF}: deleted (PR #1 is not open)",
        f"branch pr-4 of {REF}: deleted (PR #4 is not open)",
        f"branch pr-5 of {REF}: kept (PR #5 is not open, but it is persistent and paas-stacks "
        "did not make it)",
    ]


def test_a_sweep_that_cannot_list_branches_is_an_error_not_a_silent_pass() -> None:
    refused = Branching()
    refused.fake.routes[f"GET /v1/projects/{REF}/branches"] = [
        httpx.Response(401, json={"message": "bad token"})
    ]
    with pytest.raises(Exception, match="401"):
        sweep_branches(client(refused.fake), [REF], set(), NOW, 7)
