"""The ``Database`` object: what is stored, and how it is shown.

The stored document is exactly the response body (credentials included), so a restart loses
nothing and GET is a plain read. Field names follow the spec's ``Database`` schema plus the
fields the spec omits but every official client reads (``password``, ``rest_token``,
``read_only_rest_token``, ``user_email``, ``database_type``, ``allowed_ip_ranges``).
"""

from __future__ import annotations

import base64
import secrets
from typing import Any

CREDENTIAL_FIELDS = ("password", "rest_token", "read_only_rest_token")

PLAN_TYPES = {"free": ("free", "Free"), "payg": ("payg", "Pay as You Go")}
PAID = ("paid", "Fixed")

#: Limits reported for every database; values are the spec's examples (the sandbox enforces none).
LIMITS: dict[str, Any] = {
    "db_max_clients": 10000,
    "db_max_request_size": 10485760,
    "db_disk_threshold": 107374182400,
    "db_max_entry_size": 104857600,
    "db_memory_threshold": 3221225472,
    "db_max_commands_per_second": 10000,
    "db_request_limit": 8024278031528736858,
    "db_resource_size": "L",
    "db_type": "pebble",
    "db_conn_idle_timeout": 21600000000000,
    "db_lua_timeout": 250000000,
    "db_lua_credits_per_min": 10000000000,
    "db_store_max_idle": 900000000000,
    "db_max_loads_per_sec": 1000000,
    "db_acl_enabled": "false",
    "db_acl_default_user_status": "true",
    "prometheus_enabled": "false",
}
SECURITY_ADDONS = {
    "ipWhitelisting": False,
    "vpcPeering": False,
    "privateLink": False,
    "tlsMutualAuth": False,
    "encryptionAtRest": False,
}


def new_password() -> str:
    return secrets.token_hex(16)  # 32 hex characters, like the documented examples


def rest_tokens(database_id: str, password: str) -> dict[str, str]:
    """REST tokens; the documented example's token decodes to id + password, so they rotate."""
    full = base64.b64encode(f"{database_id}{password}".encode()).decode()
    read_only = base64.urlsafe_b64encode(secrets.token_bytes(33)).decode()
    return {"rest_token": f"AX{full}", "read_only_rest_token": f"An{read_only}"}


def plan_fields(plan: str) -> dict[str, str]:
    kind, label = PLAN_TYPES.get(plan, PAID)
    return {"type": kind, "database_type": label, "plan": plan}


def members(primary: str, read_regions: list[str]) -> dict[str, Any]:
    return {
        "primary_region": primary,
        "read_regions": list(read_regions),
        "primary_members": [primary],
        "all_members": [primary, *read_regions],
    }


def present(doc: dict[str, Any], hide_credentials: bool = False) -> dict[str, Any]:
    """The response body; ``?credentials=hide`` drops the secrets."""
    shown = {key: value for key, value in doc.items() if key != "plan"}
    if hide_credentials:
        for key in CREDENTIAL_FIELDS:
            shown.pop(key, None)
    return shown
