"""Project settings: the Auth (GoTrue) config and the Postgres config overrides.

The auth config starts from GoTrue's documented defaults for a new project; any field the
response schema lists that has no well-known default is null (or false/0 where the schema
forbids null). PATCH merges the given fields; its body is validated against the spec's own
UpdateAuthConfigBody (234 optional fields) with unknown fields refused, so no hand copy drifts.
Postgres config PUT replaces the stored overrides; the per-database ones are applied for real.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import psycopg
from fastapi import APIRouter, Request
from openapi_schema_validator import OAS30Validator
from psycopg import sql

from sandbox.supabase.auth import Caller, CallerDep
from sandbox.supabase.errors import bad_request
from sandbox.supabase.models import UpdatePostgresConfigBody
from sandbox.supabase.state import (
    AUTH_CONFIG,
    POSTGRES_CONFIG,
    get_setting,
    load_project,
    put_setting,
)

router = APIRouter()
SPEC = Path(__file__).resolve().parents[1] / "specs" / "supabase-management-openapi.json"
#: Settings Postgres lets a database carry (ALTER DATABASE ... SET); the rest are server-wide.
PER_DATABASE = ("statement_timeout", "work_mem", "maintenance_work_mem", "effective_cache_size")
AUTH_DEFAULTS: dict[str, Any] = {
    "site_url": "http://localhost:3000",
    "uri_allow_list": "",
    "jwt_exp": 3600,
    "disable_signup": False,
    "external_email_enabled": True,
    "external_phone_enabled": False,
    "external_anonymous_users_enabled": False,
    "password_min_length": 6,
    "password_hibp_enabled": False,
    "mailer_autoconfirm": False,
    "mailer_otp_exp": 3600,
    "mailer_otp_length": 6,
    "mailer_secure_email_change_enabled": True,
    "mailer_subjects_confirmation": "Confirm Your Signup",
    "mailer_subjects_email_change": "Confirm Email Change",
    "mailer_subjects_invite": "You have been invited",
    "mailer_subjects_magic_link": "Your Magic Link",
    "mailer_subjects_reauthentication": "Confirm reauthentication",
    "mailer_subjects_recovery": "Reset Your Password",
    "sms_autoconfirm": False,
    "sms_otp_exp": 60,
    "sms_otp_length": 6,
    "sms_max_frequency": 60,
    "sms_template": "Your code is {{ .Code }}",
    "smtp_max_frequency": 60,
    "mfa_max_enrolled_factors": 10,
    "mfa_totp_enroll_enabled": True,
    "mfa_totp_verify_enabled": True,
    "mfa_phone_otp_length": 6,
    "mfa_phone_max_frequency": 5,
    "mfa_phone_template": "Your code is {{ .Code }}",
    "refresh_token_rotation_enabled": True,
    "security_refresh_token_reuse_interval": 10,
    "rate_limit_anonymous_users": 30,
    "rate_limit_email_sent": 2,
    "rate_limit_sms_sent": 30,
    "rate_limit_token_refresh": 150,
    "rate_limit_verify": 30,
    "rate_limit_otp": 30,
    "rate_limit_web3": 30,
    "api_max_request_duration": 10,
    "db_max_pool_size": 10,
    "db_max_pool_size_unit": "connections",
    "custom_oauth_max_providers": 3,
    # Nullable enums: OpenAPI 3.0 validators refuse null unless the enum lists it (the spec's
    # do not), so these carry the dashboard's defaults instead of null.
    "password_required_characters": "",
    "security_captcha_provider": "hcaptcha",
    "sms_provider": "twilio",
}


@cache
def _schemas() -> dict[str, Any]:
    schemas: dict[str, Any] = json.loads(SPEC.read_text())["components"]["schemas"]
    return schemas


def default_auth_config() -> dict[str, Any]:
    """Every AuthConfigResponse field: the known default, else null (false/0 if not nullable)."""
    config: dict[str, Any] = {}
    for name, schema in _schemas()["AuthConfigResponse"]["properties"].items():
        if name in AUTH_DEFAULTS:
            config[name] = AUTH_DEFAULTS[name]
        elif schema.get("type") == "boolean":
            config[name] = False if not schema.get("nullable") or "enabled" in name else None
        else:
            config[name] = None if schema.get("nullable") else 0
    return config


def _check_auth_patch(body: Any) -> dict[str, Any]:
    schema = {**_schemas()["UpdateAuthConfigBody"], "additionalProperties": False}
    if not isinstance(body, dict):
        raise bad_request("Request body must be a JSON object")
    errors = sorted(OAS30Validator(schema).iter_errors(body), key=lambda e: list(e.path))
    if errors:
        where = ".".join(str(part) for part in errors[0].path) or "body"
        raise bad_request(f"{where}: {errors[0].message}")
    return body


def auth_config(caller: Caller, ref: str) -> dict[str, Any]:
    return get_setting(caller, AUTH_CONFIG, ref) or default_auth_config()


@router.get("/v1/projects/{ref}/config/auth")
def get_auth_config(ref: str, who: CallerDep) -> dict[str, Any]:
    load_project(who, ref)
    return auth_config(who, ref)


@router.patch("/v1/projects/{ref}/config/auth")
async def update_auth_config(ref: str, request: Request, who: CallerDep) -> dict[str, Any]:
    load_project(who, ref)
    try:
        body = await request.json()
    except ValueError as error:
        raise bad_request("Request body is not valid JSON") from error
    config = {**auth_config(who, ref), **_check_auth_patch(body)}
    put_setting(who, AUTH_CONFIG, ref, config)
    return config


@router.get("/v1/projects/{ref}/config/database/postgres")
def get_postgres_config(ref: str, who: CallerDep) -> dict[str, Any]:
    """Only the overrides the user stored: the real API reports what was customised."""
    load_project(who, ref)
    return get_setting(who, POSTGRES_CONFIG, ref) or {}


def _apply(caller: Caller, database: str, overrides: dict[str, Any]) -> None:
    for name in PER_DATABASE:
        target = sql.Identifier(database)
        statement = (
            sql.SQL("ALTER DATABASE {} SET {} = {}").format(
                target, sql.Identifier(name), sql.Literal(str(overrides[name]))
            )
            if name in overrides
            else sql.SQL("ALTER DATABASE {} RESET {}").format(target, sql.Identifier(name))
        )
        try:
            caller.ctx.postgres.query("postgres", statement.as_string(None))
        except psycopg.Error as error:  # e.g. work_mem "lots": Postgres is the judge
            raise bad_request(f"{name}: {error.diag.message_primary or error}") from error


@router.put("/v1/projects/{ref}/config/database/postgres")
def update_postgres_config(
    ref: str, body: UpdatePostgresConfigBody, who: CallerDep
) -> dict[str, Any]:
    project = load_project(who, ref)
    overrides = body.model_dump(exclude_none=True, exclude={"restart_database"})
    _apply(who, project["db"]["name"], overrides)
    put_setting(who, POSTGRES_CONFIG, ref, overrides)
    return overrides
