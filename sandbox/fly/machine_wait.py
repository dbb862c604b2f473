"""Destroy and wait.

Destroying a machine that is running needs ``force=true`` (or ``kill=true``, which fly-go sends);
otherwise 412, as flyd refuses. Wait blocks (async, polling the store) until the machine's lazy
state reaches one of the wanted states, at most ``timeout`` seconds (capped at 60 as the spec
says), and answers 408 on timeout (the docs' "request timed out"; UNCONFIRMED for wait).
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from sandbox.core.context import VendorContext
from sandbox.fly import limits
from sandbox.fly import machine_state as ms
from sandbox.fly.apps import load_app
from sandbox.fly.auth import org_of
from sandbox.fly.errors import FlyError

WAIT_STATES = {"started", "stopped", "suspended", "destroyed", "failed", "settled"}
_NOT_STOPPED = "failed_precondition: unable to destroy machine, not currently stopped"


def _wait_params(state: list[str], version: str | None, instance_id: str | None) -> set[str]:
    targets = {s.strip() for value in state for s in value.split(",") if s.strip()} or {"started"}
    if unknown := targets - WAIT_STATES:
        raise FlyError(400, f"invalid state: {', '.join(sorted(unknown))}")
    if "stopped" in targets and not (version or instance_id):
        # Documented rule (and flyd's message): a stopped wait must name the version.
        raise FlyError(400, "instance_id required when waiting for stopped machine")
    return targets


def _answer(m: dict[str, Any], wanted: str | None, targets: set[str]) -> dict[str, Any] | None:
    """The wait's 200 body once the machine (at version ``wanted``) is in a wanted state."""
    current = m["state"] if not wanted or wanted == m["instance_id"] else "replaced"
    event = m["events"][0] if m["events"] else None
    exit_event = ms.auto_destroy_exit(m) if current == "destroyed" else None
    if exit_event and "stopped" in targets and not ms.reached(current, targets):
        # It stopped on its way to auto-destruction (same instant): a stopped wait must not
        # hang on it. UNCONFIRMED: flyd's wait follows the event log (from_event_id), so it
        # presumably sees that stop too.
        current, event = "stopped", exit_event
    if not ms.reached(current, targets):
        return None
    return {
        "ok": True,
        "state": current,
        "event_id": event["id"] if event else "",
        "version": m["instance_id"],
    }


def router(ctx: VendorContext) -> APIRouter:
    api = APIRouter(prefix="/apps/{app_name}/machines")

    @api.delete("/{machine_id}")
    def destroy_machine(
        app_name: str,
        machine_id: str,
        *,
        force: bool = False,
        kill: bool = False,
        org: str = Depends(org_of),
    ) -> Any:
        load_app(ctx, org, app_name)
        limits.check(ctx, "machine_destroy", machine_id)
        doc = ms.load(ctx, org, app_name, machine_id, live=True)
        if ms.is_running(doc) and not (force or kill):
            raise FlyError(412, _NOT_STOPPED)
        ms.record(ctx, doc, "destroy", "destroyed", "user")
        doc.update(destroyed=True, next_state=None)
        ms.save(ctx, doc)
        return {"ok": True}

    @api.get("/{machine_id}/wait")
    async def wait(
        app_name: str,
        machine_id: str,
        *,
        state: Annotated[list[str] | None, Query()] = None,
        timeout: int = 60,
        version: str | None = None,
        instance_id: str | None = None,
        from_event_id: str | None = None,
        org: str = Depends(org_of),
    ) -> Any:
        load_app(ctx, org, app_name)
        limits.check(ctx, "machine_wait", machine_id)
        targets = _wait_params(state or [], version, instance_id)
        wanted = version or instance_id
        versions = {v["version"] for v in ms.load(ctx, org, app_name, machine_id)["versions"]}
        if wanted and wanted not in versions:
            raise FlyError(400, f"invalid version {wanted}")
        deadline = ctx.now() + max(1, min(timeout, 60))  # the spec caps a wait at 60 s
        while True:
            m = ms.load(ctx, org, app_name, machine_id)["m"]
            if answer := _answer(m, wanted, targets):
                return answer
            if ctx.now() >= deadline:
                raise FlyError(408, f"deadline_exceeded: machine did not reach {sorted(targets)}")
            await asyncio.sleep(0.05)

    return api
