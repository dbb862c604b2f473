"""Machine lifecycle actions: start, stop, suspend, restart, plus the events/versions history.

Each action shows the transient state at once (``starting``, ``stopping``...) and reaches the
persistent one after ``ctx.delays.machine``; see ``machine_state`` for how that is lazy.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends

from sandbox.core.context import VendorContext
from sandbox.fly import limits
from sandbox.fly import machine_state as ms
from sandbox.fly.apps import load_app
from sandbox.fly.auth import org_of
from sandbox.fly.models import StopRequest


def _transition(
    ctx: VendorContext, org: str, app: str, mid: str, *, action: str, moving: str, final: str
) -> tuple[str, dict[str, Any]]:
    """Begin ``action`` unless the machine is already there; returns the previous state."""
    load_app(ctx, org, app)
    limits.check(ctx, f"machine_{action}", mid)
    doc = ms.load(ctx, org, app, mid, live=True)
    previous = doc["m"]["state"]
    # A task machine's pending exit is its command running, not a transition in progress.
    running_task = previous == "started" and doc.get("next_kind") == "exit"
    if previous != final or (doc.get("next_state") and not running_task):
        ms.record(ctx, doc, action, moving, "user")
        ms.schedule(ctx, doc, final, "exit" if final != "started" else "start")
        ms.save(ctx, doc)
    return previous, doc


def router(ctx: VendorContext) -> APIRouter:
    api = APIRouter(prefix="/apps/{app_name}/machines/{machine_id}")

    @api.post("/start")
    def start(app_name: str, machine_id: str, org: str = Depends(org_of)) -> Any:
        previous, _ = _transition(
            ctx, org, app_name, machine_id, action="start", moving="starting", final="started"
        )
        # fly-go decodes MachineStartResponse; the spec declares no body.
        return {"previous_state": previous, "migrated": False, "new_host": ""}

    @api.post("/stop")
    def stop(
        app_name: str,
        machine_id: str,
        body: Annotated[StopRequest | None, Body()] = None,
        org: str = Depends(org_of),
    ) -> Any:
        _transition(
            ctx, org, app_name, machine_id, action="stop", moving="stopping", final="stopped"
        )
        return {"ok": True}

    @api.post("/suspend")
    def suspend(app_name: str, machine_id: str, org: str = Depends(org_of)) -> Any:
        _transition(
            ctx, org, app_name, machine_id, action="suspend", moving="suspending", final="suspended"
        )
        return {"ok": True}

    @api.post("/restart")
    def restart(app_name: str, machine_id: str, org: str = Depends(org_of)) -> Any:
        load_app(ctx, org, app_name)
        limits.check(ctx, "machine_restart", machine_id)
        doc = ms.load(ctx, org, app_name, machine_id, live=True)
        ms.record(ctx, doc, "restart", "restarting", "user")
        ms.schedule(ctx, doc, "started", "start")
        ms.save(ctx, doc)
        return {"ok": True}

    @api.get("/events")
    def events(app_name: str, machine_id: str, limit: int = 20, org: str = Depends(org_of)) -> Any:
        load_app(ctx, org, app_name)
        return ms.load(ctx, org, app_name, machine_id)["m"]["events"][: max(limit, 0)]

    @api.get("/versions")
    def versions(app_name: str, machine_id: str, org: str = Depends(org_of)) -> Any:
        load_app(ctx, org, app_name)
        return ms.load(ctx, org, app_name, machine_id)["versions"]

    return api
