"""Live prices: Supabase publishes its compute and PITR prices per project in ``GET
/v1/projects/{ref}/billing/addons``; with a Supabase token, they replace the table's.

The rule that matters here: reading live prices never fails an estimate; without a token, with
no project to ask, or when the call fails, the tables stand and the estimate says why.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

from paas_stacks.components.spec.cost_model import LivePrices
from paas_stacks.errors import CredentialsError, PaasStacksError
from paas_stacks.providers.supabase.client import SupabaseClient

__all__ = ["HOURS_PER_MONTH", "parse_addons", "supabase_prices"]

#: Supabase's monthly figures are its hourly prices times 730 (8,760 hours / 12), to the dollar.
HOURS_PER_MONTH = 730
VIA = "Supabase GET /v1/projects/{ref}/billing/addons"


def supabase_prices(
    organizations: Iterable[str], env: Mapping[str, str] | None = None
) -> LivePrices:
    """Compute and PITR prices from any project the token sees (one in ``organizations`` first:
    prices are the same for every project)."""
    if not _has_token(env):
        return LivePrices(missing="no SUPABASE_ACCESS_TOKEN: Supabase prices from the table")
    try:
        client = SupabaseClient.from_config(None)
    except CredentialsError as exc:
        return LivePrices(missing=f"Supabase not configured ({exc})")
    try:
        wanted = set(organizations)
        projects = sorted(
            client.list_projects(), key=lambda p: p.get("organization_slug") not in wanted
        )
        if not projects:
            return LivePrices(missing="the Supabase token sees no project to read prices from")
        ref = str(projects[0]["ref"])
        compute, pitr = parse_addons(client.addons(ref))
    except PaasStacksError as exc:
        return LivePrices(missing=f"Supabase billing add-ons could not be read: {exc}")
    finally:
        client.close()
    return LivePrices(compute, pitr, via=VIA.format(ref=ref))


def _has_token(env: Mapping[str, str] | None) -> bool:
    return bool((env if env is not None else os.environ).get("SUPABASE_ACCESS_TOKEN"))


def parse_addons(body: Mapping[str, Any]) -> tuple[dict[str, float], dict[str, float]]:
    """``ListProjectAddonsResponse`` -> (size -> USD/month, PITR days -> USD/month); variants
    without a usable price (24XL and up say "Contact sales" with 0) are left to the table."""
    compute: dict[str, float] = {}
    pitr: dict[str, float] = {}
    for addon in body.get("available_addons") or []:
        for variant in addon.get("variants") or []:
            monthly = _monthly(variant.get("price") or {})
            ident = str(variant.get("id", ""))
            if monthly is None:
                continue
            if addon.get("type") == "compute_instance" and ident.startswith("ci_"):
                compute[ident.removeprefix("ci_")] = monthly
            elif addon.get("type") == "pitr" and ident.startswith("pitr_"):
                pitr[ident.removeprefix("pitr_")] = monthly
    return compute, pitr


def _monthly(price: Mapping[str, Any]) -> float | None:
    amount = price.get("amount")
    if not isinstance(amount, int | float) or amount <= 0:
        return None
    if price.get("interval") == "hourly":
        return round(float(amount) * HOURS_PER_MONTH, 2)
    return float(amount)
