"""The Supabase emulator's own admin calls, beside the shared ``/_sandbox`` ones.

They stand in for what happens outside the Management API: no API call changes an
organization's billing plan, yet whether a project may have preview branches depends on it.

- ``PUT /_sandbox/organizations/{slug}/plan`` ``{plan}``: the organization's plan from now on
  (``free``, ``pro``, ``team``, ``enterprise``, ``platform``); answers ``{slug, plan}``.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from sandbox.core.context import VendorContext
from sandbox.supabase.organizations import Plan, set_plan

__all__ = ["admin_router"]


class PlanBody(BaseModel):
    plan: Plan


def admin_router(ctx: VendorContext) -> APIRouter:
    router = APIRouter()

    @router.put("/_sandbox/organizations/{slug}/plan")
    def put_plan(slug: str, body: PlanBody) -> dict[str, str]:
        set_plan(ctx, slug, body.plan)
        return {"slug": slug, "plan": body.plan}

    return router
