"""Network restrictions: which CIDRs may reach the database (bookkeeping only, not enforced).

A new project allows everything (``0.0.0.0/0`` and ``::/0``). ``POST .../apply`` replaces the
whole list; ``PATCH`` adds and removes entries. Changes are applied at once, so ``status`` is
always ``applied`` and ``old_config`` (a config not yet applied) never appears.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from fastapi import APIRouter

from sandbox.supabase.auth import Caller, CallerDep
from sandbox.supabase.errors import bad_request
from sandbox.supabase.models import CidrList, NetworkPatchBody
from sandbox.supabase.state import NETWORK, get_setting, iso, load_project, put_setting

router = APIRouter()
PATH = "/v1/projects/{ref}/network-restrictions"
OPEN = {"dbAllowedCidrs": ["0.0.0.0/0"], "dbAllowedCidrsV6": ["::/0"]}


def _checked(cidrs: list[str] | None, version: int) -> list[str]:
    result = []
    for cidr in cidrs or []:
        try:
            network = ipaddress.ip_network(cidr, strict=False)
        except ValueError as error:
            raise bad_request(f"Invalid CIDR {cidr}: {error}") from error
        if network.version != version:
            raise bad_request(f"{cidr} is not an IPv{version} CIDR")
        result.append(cidr)
    return result


def _load(caller: Caller, ref: str) -> dict[str, Any]:
    load_project(caller, ref)
    return get_setting(caller, NETWORK, ref) or {"config": OPEN, "at": None}


def _save(caller: Caller, ref: str, config: dict[str, list[str]]) -> dict[str, Any]:
    state = {"config": config, "at": iso(caller.ctx.now())}
    put_setting(caller, NETWORK, ref, state)
    return state


def view(state: dict[str, Any]) -> dict[str, Any]:
    """NetworkRestrictionsResponse."""
    dates = {"updated_at": state["at"], "applied_at": state["at"]} if state["at"] else {}
    return {"entitlement": "allowed", "config": state["config"], "status": "applied", **dates}


@router.get(PATH)
def get_restrictions(ref: str, who: CallerDep) -> dict[str, Any]:
    return view(_load(who, ref))


@router.post(f"{PATH}/apply", status_code=201)
def apply_restrictions(ref: str, body: CidrList, who: CallerDep) -> dict[str, Any]:
    _load(who, ref)
    config = {
        "dbAllowedCidrs": _checked(body.dbAllowedCidrs, 4),
        "dbAllowedCidrsV6": _checked(body.dbAllowedCidrsV6, 6),
    }
    return view(_save(who, ref, config))


@router.patch(PATH)
def patch_restrictions(ref: str, body: NetworkPatchBody, who: CallerDep) -> dict[str, Any]:
    """NetworkRestrictionsV2Response: one list of ``{address, type: v4|v6}`` entries."""
    config = {name: list(values) for name, values in _load(who, ref)["config"].items()}
    add, remove = body.add or CidrList(), body.remove or CidrList()
    for name, version in (("dbAllowedCidrs", 4), ("dbAllowedCidrsV6", 6)):
        gone = set(_checked(getattr(remove, name), version))
        kept = [cidr for cidr in config[name] if cidr not in gone]
        kept += [c for c in _checked(getattr(add, name), version) if c not in kept]
        config[name] = kept
    state = _save(who, ref, config)
    entries = [{"address": cidr, "type": "v4"} for cidr in config["dbAllowedCidrs"]]
    entries += [{"address": cidr, "type": "v6"} for cidr in config["dbAllowedCidrsV6"]]
    return {**view(state), "config": {"dbAllowedCidrs": entries}}
