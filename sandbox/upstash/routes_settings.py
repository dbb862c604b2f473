"""Settings routes: TLS, eviction, auto-upgrade, budget, regions, plan, allowlist, prod pack.

Most answer the JSON string ``"OK"`` as the spec declares; enable-tls answers the ``Database``.
Auto-upgrade toggles refuse a no-op with "already enabled/disabled", the error text the Terraform
provider tolerates; the other toggles are idempotent (no source says otherwise).
"""

from __future__ import annotations

import ipaddress
from typing import Annotated, Any

from fastapi import APIRouter, Depends

from sandbox.upstash.auth import Caller, caller_of
from sandbox.upstash.creation import check_read_regions
from sandbox.upstash.errors import UpstashError
from sandbox.upstash.models import AllowlistBody, BudgetBody, ChangePlanBody, RegionsBody
from sandbox.upstash.records import members, plan_fields, present
from sandbox.upstash.service import Databases

CallerDep = Annotated[Caller, Depends(caller_of)]


def _auto_upgrade(databases: Databases, caller: Caller, database_id: str, on: bool) -> str:
    with databases.lock:
        doc = databases.get(caller, database_id)
        if doc["auto_upgrade"] == on:
            raise UpstashError(400, f"auto upgrade is already {'enabled' if on else 'disabled'}")
        databases.update(caller, database_id, auto_upgrade=on)
    return "OK"


def _valid_networks(values: list[str]) -> list[str]:
    for value in values:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError as exc:
            raise UpstashError(400, f"invalid ip address or range: {value}") from exc
    return values


def toggle_routes(databases: Databases) -> APIRouter:
    router = APIRouter()

    @router.post("/redis/enable-tls/{database_id}")
    def enable_tls(caller: CallerDep, database_id: str) -> dict[str, Any]:
        # No disable endpoint exists anywhere: TLS is one-way.
        return present(databases.update(caller, database_id, tls=True))

    @router.post("/redis/enable-eviction/{database_id}")
    def enable_eviction(caller: CallerDep, database_id: str) -> str:
        databases.update(caller, database_id, eviction=True, db_eviction=True)
        return "OK"

    @router.post("/redis/disable-eviction/{database_id}")
    def disable_eviction(caller: CallerDep, database_id: str) -> str:
        databases.update(caller, database_id, eviction=False, db_eviction=False)
        return "OK"

    @router.post("/redis/enable-autoupgrade/{database_id}")
    def enable_autoupgrade(caller: CallerDep, database_id: str) -> str:
        return _auto_upgrade(databases, caller, database_id, True)

    @router.post("/redis/disable-autoupgrade/{database_id}")
    def disable_autoupgrade(caller: CallerDep, database_id: str) -> str:
        return _auto_upgrade(databases, caller, database_id, False)

    @router.post("/redis/enable-prodpack/{database_id}")
    def enable_prodpack(caller: CallerDep, database_id: str) -> str:
        databases.update(caller, database_id, prod_pack_enabled=True)  # Terraform only
        return "OK"

    @router.post("/redis/disable-prodpack/{database_id}")
    def disable_prodpack(caller: CallerDep, database_id: str) -> str:
        databases.update(caller, database_id, prod_pack_enabled=False)  # Terraform only
        return "OK"

    return router


def change_routes(databases: Databases) -> APIRouter:
    router = APIRouter()

    @router.patch("/redis/update-budget/{database_id}")
    def update_budget(caller: CallerDep, database_id: str, body: BudgetBody) -> str:
        if body.budget < 0:
            raise UpstashError(400, "invalid request: budget: must not be negative")
        databases.update(caller, database_id, budget=body.budget)
        return "OK"

    @router.post("/redis/update-regions/{database_id}")
    def update_regions(caller: CallerDep, database_id: str, body: RegionsBody) -> str:
        doc = databases.get(caller, database_id)
        # The list replaces the old one entirely (the MCP server's reading).
        regions: list[str] = list(body.read_regions)
        check_read_regions(doc["primary_region"], regions)
        fields = members(doc["primary_region"], regions)
        databases.update(caller, database_id, **fields, replicas=1 + len(regions))
        return "OK"

    @router.post("/redis/{database_id}/change-plan")
    def change_plan(caller: CallerDep, database_id: str, body: ChangePlanBody) -> str:
        changes: dict[str, Any] = plan_fields(body.plan_name)
        if body.auto_upgrade is not None:
            changes["auto_upgrade"] = body.auto_upgrade
        if body.prod_pack_enabled is not None:
            changes["prod_pack_enabled"] = body.prod_pack_enabled
        databases.update(caller, database_id, **changes)
        return "OK"

    @router.post("/redis/update-allowlist/{database_id}")
    def update_allowlist(caller: CallerDep, database_id: str, body: AllowlistBody) -> str:
        # Terraform-only endpoint; recorded and reported, not enforced by the local redis.
        ranges = _valid_networks(list(body.allowed_ips))
        databases.update(caller, database_id, allowed_ip_ranges=ranges)
        return "OK"

    return router
