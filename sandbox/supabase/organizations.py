"""Organizations and their plan: the plan decides whether a project may have preview branches.

The real API shows an organization's plan in ``GET /v1/organizations/{slug}`` (``plan``) and what
the plan allows in ``GET /v1/organizations/{slug}/entitlements`` (the Supabase CLI reads the
``branching_limit`` entitlement when a branch create is refused). No API call changes a plan, so
the sandbox keeps it as a setting that tests set through ``PUT /_sandbox/organizations/{slug}/plan``
(see ``admin.py``). Out of the box ``acme-sandbox-org`` is on ``pro`` and every other
organization on ``free``.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from fastapi import APIRouter

from sandbox.core.context import VendorContext
from sandbox.supabase.auth import CallerDep
from sandbox.supabase.errors import ApiError
from sandbox.supabase.state import VENDOR

router = APIRouter()
ORG_PLAN = "_organization_plan"
Plan = Literal["free", "pro", "team", "enterprise", "platform"]
PLANS: tuple[str, ...] = get_args(Plan)
DEFAULT_PLANS: dict[str, Plan] = {"acme-sandbox-org": "pro"}
#: What each plan allows of branching (UNCONFIRMED beyond "branching needs a paid plan": the
#: numbers are the sandbox's). ``None`` means unlimited.
BRANCH_LIMITS: dict[str, int | None] = {
    "free": 0,
    "pro": 50,
    "team": 50,
    "enterprise": None,
    "platform": None,
}


def plan_of(ctx: VendorContext, slug: str) -> str:
    doc = ctx.store.get(VENDOR, ORG_PLAN, slug)
    if doc is not None:
        return str(doc["plan"])
    return DEFAULT_PLANS.get(slug, "free")


def set_plan(ctx: VendorContext, slug: str, plan: str) -> None:
    if plan not in PLANS:
        raise ValueError(f"plan must be one of {', '.join(PLANS)}: got {plan!r}")
    ctx.store.put(VENDOR, ORG_PLAN, slug, slug, {"slug": slug, "plan": plan})


def allows_branching(ctx: VendorContext, slug: str) -> bool:
    return BRANCH_LIMITS[plan_of(ctx, slug)] != 0


@router.get("/v1/organizations")
def list_organizations(who: CallerDep) -> list[dict[str, str]]:
    # A token sees exactly one organization; the deprecated ``id`` equals the slug.
    return [{"id": who.org, "slug": who.org, "name": f"{who.org} (sandbox)"}]


@router.get("/v1/organizations/{slug}")
def get_organization(slug: str, who: CallerDep) -> dict[str, Any]:
    """V1OrganizationSlugResponse; another organization is as unknown as a missing one."""
    if slug != who.org:
        raise ApiError(404, "Organization not found")
    return {
        "id": slug,
        "name": f"{slug} (sandbox)",
        "plan": plan_of(who.ctx, slug),
        "opt_in_tags": [],
        "allowed_release_channels": ["ga"],
    }


@router.get("/v1/organizations/{slug}/entitlements")
def list_entitlements(slug: str, who: CallerDep) -> dict[str, Any]:
    """Only the branching entitlements are modelled (the spec's list has ~60 features)."""
    if slug != who.org:
        raise ApiError(404, "Organization not found")
    limit = BRANCH_LIMITS[plan_of(who.ctx, slug)]
    allowed = limit != 0
    count = {
        "enabled": allowed,
        "value": limit or 0,
        "unlimited": limit is None,
        "unit": "count",
    }
    return {
        "entitlements": [
            {
                "feature": {"key": "branching_limit", "type": "numeric"},
                "hasAccess": allowed,
                "type": "numeric",
                "config": count,
            },
            {
                "feature": {"key": "branching_persistent", "type": "boolean"},
                "hasAccess": allowed,
                "type": "boolean",
                "config": {"enabled": allowed},
            },
        ]
    }
