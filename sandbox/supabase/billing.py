"""Billing add-ons: a project's compute size (``ci_<size>``) plus PITR, IPv4 and custom domain.

The compute size is the project document's ``instance_size`` (set at creation from
``desired_instance_size``, ``nano`` when omitted), so it persists and survives restarts with the
project. ``nano`` has no ``ci_`` variant in the spec: a nano project lists no compute_instance
add-on, and removing the compute add-on brings it back to nano. A size change leaves the project
``RESIZING`` for ``delays.project`` seconds. The other add-ons are bookkeeping only.
"""

from __future__ import annotations

from typing import Any, get_args

from fastapi import APIRouter, Response

from sandbox.supabase.auth import Caller, CallerDep
from sandbox.supabase.errors import ApiError, bad_request
from sandbox.supabase.models import ADDON_VARIANTS, ApplyAddonBody
from sandbox.supabase.state import Doc, load_project, save_project

router = APIRouter()
PATH = "/v1/projects/{ref}/billing/addons"
VARIANTS = frozenset(get_args(ADDON_VARIANTS))
#: Variant prefix -> addon type (the spec pairs them only by name).
TYPE_OF = {"ci": "compute_instance", "cd": "custom_domain", "pitr": "pitr", "ipv4": "ipv4"}
#: size -> (name, USD per hour, ~USD per month), from the compute table of
#: supabase.com/docs/guides/platform/manage-your-usage/compute. Names and the price
#: ``description`` wording are UNCONFIRMED (the spec only says they are strings).
COMPUTE_HOURLY = {
    "micro": ("Micro", 0.01344, 10),
    "small": ("Small", 0.0206, 15),
    "medium": ("Medium", 0.0822, 60),
    "large": ("Large", 0.1517, 110),
    "xlarge": ("XL", 0.2877, 210),
    "2xlarge": ("2XL", 0.562, 410),
    "4xlarge": ("4XL", 1.32, 960),
    "8xlarge": ("8XL", 2.562, 1870),
    "12xlarge": ("12XL", 3.836, 2800),
    "16xlarge": ("16XL", 5.12, 3730),
}
#: variant -> (name, USD per month), from supabase.com/pricing; names UNCONFIRMED.
MONTHLY = {
    "cd_default": ("Custom domain", 10),
    "pitr_7": ("7 days", 100),
    "pitr_14": ("14 days", 200),
    "pitr_28": ("28 days", 400),
    "ipv4_default": ("Dedicated IPv4 address", 4),
}
#: The add-on types that have variants in ApplyProjectAddonBody; names UNCONFIRMED.
TYPE_NAMES = {
    "compute_instance": "Compute size",
    "custom_domain": "Custom domain",
    "pitr": "Point in time recovery",
    "ipv4": "Dedicated IPv4 address",
}


def _compute_variant(variant: str) -> dict[str, Any]:
    size = variant.removeprefix("ci_")
    if size not in COMPUTE_HOURLY:
        # The 24XL and 48XL sizes have no public price: UNCONFIRMED placeholder.
        name = size.upper().replace("XLARGE", "XL").replace("_", " ")
        price = {"description": "Contact sales", "type": "usage", "interval": "hourly", "amount": 0}
        return {"id": variant, "name": name, "price": price}
    name, hourly, monthly = COMPUTE_HOURLY[size]
    price = {
        "description": f"${hourly}/hour (~${monthly}/month)",
        "type": "usage",
        "interval": "hourly",
        "amount": hourly,
    }
    return {"id": variant, "name": name, "price": price}


def variant_view(variant: str) -> dict[str, Any]:
    """One entry of ``variants`` / one ``variant``: ``{id, name, price}``."""
    if variant.startswith("ci_"):
        return _compute_variant(variant)
    name, monthly = MONTHLY[variant]
    price = {
        "description": f"${monthly}/month",
        "type": "fixed",
        "interval": "monthly",
        "amount": monthly,
    }
    return {"id": variant, "name": name, "price": price}


def selected(project: Doc) -> dict[str, str]:
    """addon type -> selected variant; the compute size comes from the project itself."""
    chosen = dict(project.get("addons", {}))
    # ``pico`` (a branch size) has no add-on variant either.
    if project["instance_size"] not in ("nano", "pico"):
        chosen["compute_instance"] = f"ci_{project['instance_size']}"
    return chosen


def addons_view(project: Doc) -> dict[str, Any]:
    """ListProjectAddonsResponse: what is selected, and every variant that can be applied."""
    chosen = [
        {"type": kind, "variant": variant_view(variant)}
        for kind, variant in sorted(selected(project).items())
    ]
    available = [
        {
            "type": kind,
            "name": TYPE_NAMES[kind],
            "variants": [variant_view(v) for v in get_args(ADDON_VARIANTS) if type_of(v) == kind],
        }
        for kind in TYPE_NAMES
    ]
    return {"selected_addons": chosen, "available_addons": available}


def type_of(variant: str) -> str:
    return TYPE_OF[variant.split("_", maxsplit=1)[0]]


def _resize(who: Caller, project: Doc, size: str) -> None:
    """The instance restarts on its new size: RESIZING until ``delays.project`` passed."""
    if project["instance_size"] == size:
        return  # selecting the current size again changes nothing (and does not restart)
    project["instance_size"] = size
    project["ready_at"] = who.ctx.now() + who.ctx.delays.project
    project["resizing"] = True


@router.get(PATH)
def list_addons(ref: str, who: CallerDep) -> dict[str, Any]:
    return addons_view(load_project(who, ref))


@router.patch(PATH)
def apply_addon(ref: str, body: ApplyAddonBody, who: CallerDep) -> Response:
    """200 with no body: the spec declares no response content."""
    project = load_project(who, ref)
    if type_of(body.addon_variant) != body.addon_type:
        raise bad_request(f"{body.addon_variant} is not a {body.addon_type} add-on variant")
    if body.addon_type == "compute_instance":
        _resize(who, project, body.addon_variant.removeprefix("ci_"))
    else:
        project["addons"] = {**project.get("addons", {}), body.addon_type: body.addon_variant}
    save_project(who, project)
    return Response(status_code=200)


@router.delete(f"{PATH}/{{addon_variant}}")
def remove_addon(ref: str, addon_variant: str, who: CallerDep) -> Response:
    """Removing the compute add-on rolls the instance back to nano (the smallest size)."""
    project = load_project(who, ref)
    if addon_variant not in VARIANTS:
        raise bad_request(f"Invalid addon variant: {addon_variant}")
    kind = type_of(addon_variant)
    if selected(project).get(kind) != addon_variant:
        raise ApiError(404, f"Addon {addon_variant} is not applied to this project")
    if kind == "compute_instance":
        _resize(who, project, "nano")
    else:
        project["addons"] = {k: v for k, v in project.get("addons", {}).items() if k != kind}
    save_project(who, project)
    return Response(status_code=200)
