"""How a preview gets each Supabase database: a ``pr-<N>`` branch of the base's project, or a
new project, decided once from the base stack (its file and its state).

The rule that matters here: a branch needs a paid plan, so the default follows the base's plan
(``preview_databases`` in the stack file overrides it); a branch is only ever made of the project
the base stack itself deployed (read from its state), never of a project named by the preview,
and a preview never adopts anything.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from paas_stacks.components.spec import EnvironmentSpec, SupabasePostgresSpec
from paas_stacks.components.spec.cost_supabase import branch_hourly
from paas_stacks.components.spec.prices import HOURS_PER_MONTH
from paas_stacks.errors import PreviewError
from paas_stacks.preview.pulumi_cli import Pulumi
from paas_stacks.providers.supabase import SupabaseClient
from paas_stacks.providers.supabase.project import FAILED
from paas_stacks.vendors import supabase

__all__ = [
    "DatabasePlan",
    "base_project_refs",
    "base_refs",
    "branch_override",
    "comment_notes",
    "database_plans",
    "lookup_refs",
    "wanted_refs",
]

PROJECT_TYPE = "pulumi-python:dynamic/supabase:Project"
POSTGRES_TYPE = "paas:components:Postgres"


@dataclass(frozen=True)
class DatabasePlan:
    """One Supabase database of the base and what its preview gets."""

    component: str
    mode: Literal["branch", "project"]
    #: Why, in words for the PR comment.
    why: str
    #: The project a branch is made of, and the base's plan that allows it (``branch`` only).
    parent_ref: str | None = None
    plan: supabase.Plan | None = None


def base_refs(deployment: Mapping[str, Any]) -> dict[str, str]:
    """Postgres component -> the ref of the Supabase project the base stack deployed for it,
    from ``pulumi stack export`` of the base."""
    resources = deployment.get("deployment", {}).get("resources", []) or []
    postgres = {
        r["urn"].rsplit("::", 1)[-1]: r["urn"]
        for r in resources
        if str(r.get("type")) == POSTGRES_TYPE
    }
    found: dict[str, str] = {}
    for resource in resources:
        if resource.get("type") != PROJECT_TYPE or resource.get("delete"):
            continue
        ref = (resource.get("outputs") or {}).get("ref")
        for name, urn in postgres.items():
            if resource.get("parent") == urn and isinstance(ref, str):
                found[name] = ref
    return found


def base_project_refs(pulumi: Pulumi, base: str, base_spec: EnvironmentSpec) -> dict[str, str]:
    """The base's Supabase project refs, read only when a branch needs one: from the base's
    state when this backend holds it, else by name at Supabase (a separate preview backend)."""
    wanted = wanted_refs(base_spec)
    if not wanted:
        return {}
    refs = base_refs(pulumi.export(base)) if pulumi.exists(base) else {}
    missing = {name: db for name, db in wanted.items() if name not in refs}
    if missing and os.environ.get("SUPABASE_ACCESS_TOKEN"):
        refs.update(lookup_refs(SupabaseClient.from_config(None), base_spec, missing))
    return refs


def wanted_refs(base: EnvironmentSpec) -> dict[str, SupabasePostgresSpec]:
    """The base's Supabase databases a preview would branch whose project ref must be found
    (in the base's state, else by name at Supabase)."""
    if base.preview_databases == "project":
        return {}
    return {
        name: db
        for name, db in base.postgres.items()
        if isinstance(db, SupabasePostgresSpec)
        and db.branch is None
        and db.plan in supabase.BRANCHING_PLANS
    }


def lookup_refs(
    client: SupabaseClient, base: EnvironmentSpec, wanted: Mapping[str, SupabasePostgresSpec]
) -> dict[str, str]:
    """The refs of the base's projects by their vendor-side name in their organization, for a
    base whose state the preview's backend cannot read; a name held twice is refused."""
    projects = client.list_projects()
    found: dict[str, str] = {}
    for name, db in wanted.items():
        vendor_name = base.resource_name(name)
        same = [
            str(project["ref"])
            for project in projects
            if project.get("name") == vendor_name
            and project.get("organization_slug") == db.organization
            and project.get("status") not in FAILED
        ]
        if len(same) > 1:
            raise PreviewError(
                f"postgres.{name}: {len(same)} Supabase projects are named {vendor_name!r} in "
                f"organization {db.organization!r} ({', '.join(sorted(same))}); give the base's "
                "one as branch.parent_ref in the preview or remove the others"
            )
        if same:
            found[name] = same[0]
    return found


def database_plans(base: EnvironmentSpec, refs: Mapping[str, str]) -> list[DatabasePlan]:
    """Each Supabase database of ``base``: a branch of its project when the stack allows it
    (``preview_databases``, default: when the plan allows branching), else a new project."""
    plans = []
    for name, db in base.postgres.items():
        if not isinstance(db, SupabasePostgresSpec):
            continue
        plans.append(_plan(base, name, db, refs))
    return plans


def _plan(
    base: EnvironmentSpec, name: str, db: SupabasePostgresSpec, refs: Mapping[str, str]
) -> DatabasePlan:
    if base.preview_databases == "project":
        why = "a new Supabase project: the base stack sets preview_databases: project"
        return DatabasePlan(name, "project", why)
    if db.plan not in supabase.BRANCHING_PLANS:
        why = (
            f"a new Supabase project, not a branch: Supabase branching needs a paid plan and "
            f"postgres.{name} of `{base.name}` is on {db.plan!r}"
        )
        return DatabasePlan(name, "project", why)
    parent = db.branch.parent_ref if db.branch is not None else refs.get(name)
    if parent is None:
        raise PreviewError(
            f"postgres.{name}: the base stack {base.name!r} has no Supabase project for it in "
            "its state, so no branch can be made of it; deploy the base first, or set "
            "preview_databases: project in its stack file"
        )
    why = f"a Supabase branch of `{base.name}`'s project {parent} (Supabase Branching)"
    return DatabasePlan(name, "branch", why, parent, db.plan)


def branch_override(plan: DatabasePlan, pr: int, head_ref: str | None) -> dict[str, Any]:
    """The preview's keys for a database made a branch: ``pr-<N>``, following the PR's head,
    never persistent, empty (the migrations make its schema); the base's plan stays (it is what
    allows the branch), its compute is the smallest."""
    branch: dict[str, Any] = {
        "parent_ref": plan.parent_ref,
        "name": f"pr-{pr}",
        # Set, not inherited: a base that is itself a persistent branch must not pass it on.
        "persistent": False,
        "with_data": False,
    }
    if head_ref:
        branch["git_branch"] = head_ref
    return {
        "plan": plan.plan,
        "branch": branch,
        "instance_size": None,
        "pitr_days": None,
        "adopt_id": None,
    }


def comment_notes(base: EnvironmentSpec, preview: EnvironmentSpec) -> tuple[str, ...]:
    """One line per Supabase database for the PR comment: what it is, why, and a branch's
    price by the hour and the month."""
    made = {
        name: db.branch.parent_ref
        for name, db in preview.postgres.items()
        if isinstance(db, SupabasePostgresSpec) and db.branch is not None
    }
    notes = []
    for name, db in preview.postgres.items():
        if not isinstance(db, SupabasePostgresSpec) or name not in base.postgres:
            continue
        base_db = base.postgres[name]
        if not isinstance(base_db, SupabasePostgresSpec):
            continue
        try:
            plan = _plan(base, name, base_db, made)
        except PreviewError:
            plan = DatabasePlan(name, "project", "a new Supabase project")
        line = f"`{name}` is {plan.why}"
        if db.branch is not None:
            size, hourly = branch_hourly(db)
            line += (
                f", branch `{db.branch.name}`: {size} compute ${hourly:g}/hour "
                f"(${hourly * HOURS_PER_MONTH:.2f} a month if open all month), billed while "
                "the PR is open"
            )
        notes.append(line)
    return tuple(notes)
